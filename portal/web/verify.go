package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/views"
)

// verifyShow is GET /verify: "is this message really from us?".
func (s *Server) verifyShow(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "verify", views.VerifyView{})
}

// verify is POST /verify (fields reference and postcode, rate-limited per
// client like the identity step): whether Reglo recently wrote to the
// debtor of that case, and nothing else.
func (s *Server) verify(c *fiber.Ctx) error {
	v := views.VerifyView{Reference: strings.TrimSpace(c.FormValue("reference")), Postcode: strings.TrimSpace(c.FormValue("postcode"))}
	if v.Reference == "" || v.Postcode == "" {
		v.Result = "required"
		return s.render(c, fiber.StatusUnprocessableEntity, "verify", v)
	}
	ok, err := s.cfg.Services.Outreach.Verify(c.UserContext(), v.Reference, v.Postcode)
	if err != nil {
		return err
	}
	v.Result = "unknown"
	if ok {
		v.Result = "genuine"
	}
	return s.render(c, fiber.StatusOK, "verify", v)
}
