package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/web/letter"
)

// adminLetter is GET /admin/cases/:id/letter.pdf: the case's first letter
// for an agent to read or print, in the debtor's language.
func (s *Server) adminLetter(c *fiber.Ctx) error {
	id, err := boCaseID(c, "id")
	if err != nil {
		return err
	}
	l, err := s.office.LetterForUser(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return sendLetter(c, l.Detail.Case.Reference, func() ([]byte, error) { return letter.PDF(l, s.cfg.BaseURL, "") })
}

// adminLetterSend is POST /admin/cases/:id/letter (field channel: email or
// post): sends the letter or records that it was posted, on the timeline.
func (s *Server) adminLetterSend(send notify.Senders) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := boCaseID(c, "id")
		if err != nil {
			return err
		}
		if err := s.office.SendLetterForUser(c.UserContext(), currentUser(c), id, c.FormValue("channel"), send); err != nil {
			return err
		}
		return c.Redirect(fmt.Sprintf("/admin/cases/%d#timeline-h", id), fiber.StatusSeeOther)
	}
}
