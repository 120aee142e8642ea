package web

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/views"
)

// linkAnswersPerMinute bounds identity answers per client address. The
// real guard is the failure counter in the database (5 per link, across
// processes); this one, in each process's memory, slows one address trying
// many links. The address is clientIP: X-Forwarded-For counts only from
// Config.TrustedProxies, read from its right end.
const linkAnswersPerMinute = 20

// maxAnswerRunes bounds what is echoed back into the form; a postcode is short.
const maxAnswerRunes = 16

// errRateLimited answers 429 with a page asking to wait a minute.
var errRateLimited = fiber.NewError(fiber.StatusTooManyRequests, "rate limited")

// linkRateLimit is the per-address limit on POST /l/{token}.
func (s *Server) linkRateLimit() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:          linkAnswersPerMinute,
		Expiration:   time.Minute,
		KeyGenerator: s.clientIP,
		LimitReached: func(c *fiber.Ctx) error { return errRateLimited },
	})
}

// linkVerify is POST /l/{token} with the form field "answer" (the
// postcode). A right answer starts a new session and redirects 303 to
// /case, so the token leaves the address bar and the history. A wrong one
// shows the form again with the answer kept and the tries left; the fifth
// locks the link (the service counts in the database).
func (s *Server) linkVerify(c *fiber.Ctx) error {
	ctx := c.UserContext()
	token := c.Params("token")
	answer := strings.TrimSpace(c.FormValue("answer"))
	if answer == "" {
		// Nothing typed is not a wrong answer: ask again without counting.
		landing, err := s.svc.OpenLink(ctx, token)
		if err != nil {
			return s.linkProblem(c, err, portal.Landing{})
		}
		useCaseLanguage(c, landing.Language)
		if landing.Locked {
			return s.linkProblem(c, portal.ErrLocked, landing)
		}
		return s.render(c, fiber.StatusUnprocessableEntity, "link_show", views.LinkView{CreditorName: landing.CreditorName, Problem: "required"})
	}
	login, left, err := s.svc.VerifyIdentity(ctx, token, answer)
	switch {
	case err == nil:
		// A session from before (another case, another link) ends here:
		// one browser holds one session.
		if old := c.Cookies(sessionCookie); old != "" {
			if err := s.svc.EndSession(ctx, old); err != nil {
				return err
			}
		}
		s.setSessionCookie(c, login)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Redirect("/case", fiber.StatusSeeOther)
	case errors.Is(err, portal.ErrWrongAnswer), errors.Is(err, portal.ErrLocked):
		landing, lerr := s.svc.OpenLink(ctx, token)
		if lerr != nil {
			return s.linkProblem(c, lerr, portal.Landing{})
		}
		useCaseLanguage(c, landing.Language)
		if errors.Is(err, portal.ErrLocked) {
			return s.linkProblem(c, err, landing)
		}
		if utf8.RuneCountInString(answer) > maxAnswerRunes {
			answer = string([]rune(answer)[:maxAnswerRunes])
		}
		return s.render(c, fiber.StatusUnprocessableEntity, "link_show", views.LinkView{
			CreditorName: landing.CreditorName, Answer: answer, Problem: "wrong", AttemptsLeft: left,
		})
	}
	return s.linkProblem(c, err, portal.Landing{})
}
