package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
)

type ctxKey int

const requestIDKey ctxKey = iota

// requestID gives every request an id, carried in its context for logs and
// echoed in X-Request-Id. An incoming id is not trusted: it could be used to
// forge log lines.
func (s *Server) requestID(c *fiber.Ctx) error {
	if id, _ := c.Locals("request_id").(string); id != "" {
		return c.Next() // routed again (formText): the same request
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	c.Set("X-Request-Id", id)
	c.Locals("request_id", id)
	c.SetUserContext(context.WithValue(c.UserContext(), requestIDKey, id))
	return c.Next()
}

// RequestID returns the request id stored in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// localsLogged marks a request accessLog is already logging.
const localsLogged = "access_logged"

// accessLog writes one line per request. It logs the route pattern, never
// the raw path, so a link token (/l/{token}) never reaches a log.
func (s *Server) accessLog(c *fiber.Ctx) error {
	if c.Locals(localsLogged) != nil {
		return c.Next() // routed again (formText): the first pass logs it
	}
	c.Locals(localsLogged, true)
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.App.Config().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	route := c.Route().Path
	s.log.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
		slog.String("request_id", RequestID(c.UserContext())),
		slog.String("method", c.Method()),
		slog.String("route", route),
		slog.Int("status", c.Response().StatusCode()),
		slog.Duration("duration", time.Since(start)),
	)
	return nil
}

// securityHeaders sets strict headers on every answer: a CSP with no inline
// script, no framing, no referrer to other sites (a token must never leak
// through one).
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self' https://checkout.stripe.com; frame-ancestors 'none'; base-uri 'none'")
	// same-origin, not no-referrer: nothing is ever sent to another site
	// (Stripe, advice services), but our own forms keep a Referer, which
	// Fiber's CSRF middleware requires on every https POST.
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if s.secure {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}
