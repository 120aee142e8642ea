package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/views"
)

// RetentionYears is how long a paid or closed case is kept before it is
// anonymised (the outside contract's "Privacy" default), as the privacy
// notice states it.
const RetentionYears = 5

// privacy is GET /privacy: the privacy notice GDPR art. 14 requires, open
// to anyone (no session), linked from every page.
func (s *Server) privacy(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "privacy", views.PrivacyView{RetentionYears: RetentionYears})
}

// accessibility is GET /accessibility: the accessibility statement (RGAA).
func (s *Server) accessibility(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "accessibility", views.AccessibilityView{})
}
