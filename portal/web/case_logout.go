package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/views"
)

// caseLogout is POST /case/logout (CSRF-protected): it revokes the session
// row, so the cookie is dead even if a copy survives, clears the cookie and
// redirects to a page that says how to come back. It works without a live
// session too, so a debtor whose session ended can still press it.
func (s *Server) caseLogout(c *fiber.Ctx) error {
	if cookie := c.Cookies(sessionCookie); cookie != "" {
		if err := s.svc.EndSession(c.UserContext(), cookie); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect("/signed-out", fiber.StatusSeeOther)
}

// signedOut is GET /signed-out.
func (s *Server) signedOut(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "signed_out", views.SignedOutView{})
}
