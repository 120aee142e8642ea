package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/web/api"
)

// localsUnstorable holds the name of a field whose text the database
// cannot store; render shows every page of that request with an error
// naming it, status 422.
const localsUnstorable = "unstorable_field"

// formText refuses form fields and query parameters that the database
// cannot store (a NUL byte, bytes that are not UTF-8) before any handler
// reads them, so such a request changes nothing and is never a 500. A form
// posted to an address that also shows a page (the form's own page: /l/:token,
// /case/promise, /admin/login...) gets that page again, status 422, with an
// error naming the field in the reader's language; any other request gets
// the error page with the same message.
func (s *Server) formText(c *fiber.Ctx) error {
	if unstorableField(c) != "" {
		return c.Next() // the page shown again for a refused form
	}
	if err := api.CheckQuery(c); err != nil {
		c.Locals(localsUnstorable, fieldOf(err))
		return err
	}
	err := api.CheckForm(c)
	if err == nil {
		return c.Next()
	}
	c.Locals(localsUnstorable, fieldOf(err))
	if c.Method() != fiber.MethodPost {
		return err
	}
	// The page is the GET of the same address, routed from the start (the
	// request keeps its id and is logged once: requestID, accessLog).
	c.Method(fiber.MethodGet)
	rerr := c.RestartRouting()
	c.Method(fiber.MethodPost)
	var fe *fiber.Error
	switch {
	case rerr != nil && errors.As(rerr, &fe) && (fe.Code == fiber.StatusNotFound || fe.Code == fiber.StatusMethodNotAllowed):
		c.Response().Header.Del(fiber.HeaderAllow)
		return err // no page at this address
	case rerr != nil:
		return rerr // the page itself refused (no session...)
	case c.Response().StatusCode() < 400:
		c.Response().Header.Del(fiber.HeaderLocation) // the page redirects elsewhere
		return err
	}
	return nil
}

// unstorableField is the field formText refused, "" if none.
func unstorableField(c *fiber.Ctx) string {
	f, _ := c.Locals(localsUnstorable).(string)
	return f
}

func fieldOf(err error) string {
	var inv *portal.InvalidError
	if errors.As(err, &inv) && inv.Field != "" {
		return inv.Field
	}
	return "?"
}
