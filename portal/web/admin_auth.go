package web

import (
	"errors"
	"net/url"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/reglo/reglo/portal"
)

// adminCookie names a back-office session. Like the debtor's, its value is
// a signed JWT naming a server-side session row (kind "user"), so logout
// and idle time are enforced by the database.
const adminCookie = "reglo_admin"

// localsUser holds the portal.User of a signed-in back-office user.
const localsUser = "reglo.user"

// fragmentHeader marks a request made by backoffice.js for a page
// fragment: without a session it gets 401 rather than a redirect to the
// login page, which would be swapped into the page.
const fragmentHeader = "X-Reglo-Fragment"

// requireUser lets a request through only with a live back-office session
// and loads its user (currentUser). Without one, pages redirect to the
// login page, which comes back here afterwards.
func (s *Server) requireUser(c *fiber.Ctx) error {
	cookie := c.Cookies(adminCookie)
	u, err := s.svc.UserFromCookie(c.UserContext(), cookie)
	if err != nil {
		if !errors.Is(err, portal.ErrUnauthenticated) {
			return err
		}
		if cookie != "" {
			s.clearAdminCookie(c)
		}
		if c.Get(fragmentHeader) != "" {
			return portal.ErrUnauthenticated
		}
		target := "/admin/login"
		if c.Method() == fiber.MethodGet && c.Path() != "/admin/login" {
			target += "?next=" + url.QueryEscape(string(c.Request().URI().RequestURI()))
		}
		return c.Redirect(target, fiber.StatusSeeOther)
	}
	c.Locals(localsUser, u)
	return c.Next()
}

// currentUser is the signed-in user. Only call it behind requireUser.
func currentUser(c *fiber.Ctx) portal.User {
	return c.Locals(localsUser).(portal.User)
}

// requireRole lets through users of the role; an admin holds every role
// (an agent's work is part of theirs). Others get 403. Use it behind
// requireUser.
func (s *Server) requireRole(role string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if u.Role != role && u.Role != portal.RoleAdmin {
			return portal.ErrForbidden
		}
		return c.Next()
	}
}

// safeNext keeps a post-login redirect inside the back office, so the
// login form cannot be used to send someone to another site or page: a
// clean path under /admin, with an optional query. "..", "//", a
// backslash or an escape such as %2e (which a browser decodes) all fall
// back to /admin.
func safeNext(next string) string {
	p, query, _ := strings.Cut(next, "?")
	if p != "/admin" && !strings.HasPrefix(p, "/admin/") {
		return "/admin"
	}
	if path.Clean(p) != strings.TrimSuffix(p, "/") || strings.Contains(next, `\`) ||
		strings.Contains(next, "//") || strings.Contains(p, "%") || strings.HasPrefix(p, "/admin/login") || strings.ContainsAny(query, "\r\n") {
		return "/admin"
	}
	return next
}

// setAdminCookie hands the browser a back-office session: HttpOnly,
// SameSite=Lax, Secure under https, sent only to /admin.
func (s *Server) setAdminCookie(c *fiber.Ctx, login portal.UserLogin) {
	c.Cookie(&fiber.Cookie{
		Name: adminCookie, Value: login.Cookie, Path: "/admin", Expires: login.Expires,
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// clearAdminCookie makes the browser forget the back-office session.
func (s *Server) clearAdminCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{
		Name: adminCookie, Value: "", Path: "/admin", Expires: fasthttp.CookieExpireDelete,
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}
