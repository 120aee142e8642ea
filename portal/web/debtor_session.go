package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/reglo/reglo/portal"
)

// sessionCookie names the debtor's session. Its value is the signed JWT
// from portal.DebtorLogin; the session itself is a database row, so it can
// be revoked and its idle time enforced.
const sessionCookie = "reglo_session"

// localsDebtorSession holds the portal.Session of a signed-in debtor.
const localsDebtorSession = "reglo.debtor_session"

// debtorSession lets a request through only with a live debtor session
// (not expired, idle, revoked or forged); otherwise it answers 401 with the
// page that explains how to get a new link, and drops the dead cookie.
func (s *Server) debtorSession(c *fiber.Ctx) error {
	cookie := c.Cookies(sessionCookie)
	sess, err := s.svc.SessionFromCookie(c.UserContext(), cookie, "debtor")
	if err == nil && sess.CaseID == nil {
		err = portal.ErrUnauthenticated
	}
	if err != nil {
		if errors.Is(err, portal.ErrUnauthenticated) && cookie != "" {
			s.clearSessionCookie(c)
		}
		return err
	}
	c.Locals(localsDebtorSession, sess)
	return c.Next()
}

// debtorCaseID is the case the request's session is bound to. Only call it
// behind debtorSession.
func debtorCaseID(c *fiber.Ctx) int64 {
	return *c.Locals(localsDebtorSession).(portal.Session).CaseID
}

// debtorSignedIn reports whether debtorSession let this request through.
func debtorSignedIn(c *fiber.Ctx) bool {
	_, ok := c.Locals(localsDebtorSession).(portal.Session)
	return ok
}

// setSessionCookie hands the browser a new session: HttpOnly (no script
// reads it), SameSite=Lax (sent when the debtor follows a link from an SMS,
// not on cross-site posts), Secure under https, for the whole site, and
// ending when the session's absolute lifetime does.
func (s *Server) setSessionCookie(c *fiber.Ctx, login portal.DebtorLogin) {
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: login.Cookie, Path: "/", Expires: login.Expires,
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// clearSessionCookie tells the browser to forget the session cookie, with
// the same attributes it was set with (a cookie is only replaced by one of
// the same name and path).
func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: "", Path: "/", Expires: fasthttp.CookieExpireDelete,
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}
