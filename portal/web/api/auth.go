package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
)

const creditorKey = "creditor"

// apiAuth resolves the bearer API key to a creditor, or answers 401.
func (s *Handler) apiAuth(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	key, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || key == "" {
		return portal.ErrUnauthenticated
	}
	cr, err := s.svc.CreditorByAPIKey(c.UserContext(), strings.TrimSpace(key))
	if err != nil {
		return err
	}
	c.Locals(creditorKey, cr)
	return c.Next()
}

func apiCreditor(c *fiber.Ctx) portal.Creditor {
	return c.Locals(creditorKey).(portal.Creditor)
}

// decodeJSON parses a JSON body strictly: wrong content type is 415,
// malformed JSON or unknown fields are 400, a string the database cannot
// store is 422 naming its field.
func decodeJSON(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "send application/json")
	}
	if err := checkJSONText(c.Body()); err != nil {
		return err
	}
	dec := jsonDecoder(c.Body())
	if err := dec.Decode(v); err != nil {
		if field, ok := jsonTypeField(err); ok {
			return portal.Invalid(field, "type", "field "+field+" has the wrong type")
		}
		return fiber.NewError(fiber.StatusBadRequest, "malformed JSON: "+jsonProblem(err))
	}
	if dec.More() {
		return fiber.NewError(fiber.StatusBadRequest, "malformed JSON: trailing data")
	}
	return nil
}

// PathID reads a positive integer path parameter; anything else is 404.
func PathID(c *fiber.Ctx, name string) (int64, error) {
	id, err := c.ParamsInt(name)
	if err != nil || id <= 0 {
		return 0, portal.ErrNotFound
	}
	return int64(id), nil
}
