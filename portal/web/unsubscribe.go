package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/views"
)

// unsubscribeShow is GET /u/:token: who writes and on which channel, with
// a form to stop. It changes nothing (mail scanners prefetch links).
func (s *Server) unsubscribeShow(c *fiber.Ctx) error {
	u, err := s.cfg.Services.Outreach.UnsubscribeFor(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	useCaseLanguage(c, u.Language)
	return s.render(c, fiber.StatusOK, "unsubscribe", views.UnsubscribeView{Action: "/u/" + c.Params("token"), Channel: u.Channel, Creditor: u.Creditor, Done: u.Done})
}

// unsubscribe is POST /u/:token: the RFC 8058 one-click unsubscribe (a mail
// client posts List-Unsubscribe=One-Click) and the confirm form. It needs
// no CSRF token: the unguessable token in the URL is the authority, and
// the only thing it can do is stop messages.
func (s *Server) unsubscribe(c *fiber.Ctx) error {
	u, err := s.cfg.Services.Outreach.UnsubscribeByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	useCaseLanguage(c, u.Language)
	return s.render(c, fiber.StatusOK, "unsubscribe", views.UnsubscribeView{Channel: u.Channel, Creditor: u.Creditor, Done: true})
}
