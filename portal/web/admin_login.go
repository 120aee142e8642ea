package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/views"
)

// adminLoginShow is the back-office sign-in form; a signed-in user goes
// straight to the search page.
func (s *Server) adminLoginShow(c *fiber.Ctx) error {
	if _, err := s.svc.UserFromCookie(c.UserContext(), c.Cookies(adminCookie)); err == nil {
		return c.Redirect("/admin", fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "admin_login", views.BoLoginView{Next: safeNext(c.Query("next"))})
}

// adminLogin checks the email and password. A wrong pair and a locked account
// answer 422 with the email kept and the password never echoed.
func (s *Server) adminLogin(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	v := views.BoLoginView{Email: email, Next: safeNext(c.FormValue("next"))}
	if email == "" || password == "" {
		v.Problem = "required"
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_login", v)
	}
	login, err := s.svc.Login(c.UserContext(), email, password)
	switch {
	case errors.Is(err, portal.ErrBadLogin):
		v.Problem = "wrong"
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_login", v)
	case errors.Is(err, portal.ErrLocked):
		v.Problem = "locked"
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_login", v)
	case err != nil:
		return err
	}
	s.setAdminCookie(c, login)
	return c.Redirect(v.Next, fiber.StatusSeeOther)
}

// adminLogout ends the back-office session, with or without a live one.
func (s *Server) adminLogout(c *fiber.Ctx) error {
	if cookie := c.Cookies(adminCookie); cookie != "" {
		if err := s.svc.EndSession(c.UserContext(), cookie); err != nil {
			return err
		}
	}
	s.clearAdminCookie(c)
	return c.Redirect("/admin/login", fiber.StatusSeeOther)
}

// boUser is the header's view of the signed-in user.
func boUser(c *fiber.Ctx) views.BoUser {
	u := currentUser(c)
	return views.BoUser{Email: u.Email, Role: u.Role}
}
