package api

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal/web/letter"
)

// apiCaseLetter is GET /api/v1/cases/:id/letter.pdf: the case's first
// letter (CPCE R124-4) in the debtor's language; another creditor's case
// is 404.
func (s *Handler) apiCaseLetter(c *fiber.Ctx) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	l, err := s.svc.FirstLetterForCreditor(c.UserContext(), apiCreditor(c).ID, id)
	if err != nil {
		return err
	}
	b, err := letter.PDF(l, s.svc.BaseURL, "")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="letter-%d.pdf"`, id))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}
