package web

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/views"
)

// renderErrorPage answers an HTML request that failed with a calm page in
// the reader's language: what happened in plain words and what to do next
// (for an ended session: how to get a new link). It never shows err; a 500
// shows only the request id, which is in the log line.
func (s *Server) renderErrorPage(c *fiber.Ctx, status int, err error) error {
	v := views.ErrorView{Kind: errorKind(status, err), RequestID: RequestID(c.UserContext())}
	if rerr := s.render(c, status, "error", v); rerr != nil {
		s.log.LogAttrs(c.UserContext(), slog.LevelError, "error page failed",
			slog.String("request_id", v.RequestID), slog.String("error", rerr.Error()))
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(status).SendString("Something went wrong. Please try again in a few minutes. / Un problème est survenu. Réessayez dans quelques minutes.")
	}
	return nil
}

// errorKind picks the page (views.ErrorKinds) for a status.
func errorKind(status int, err error) string {
	switch {
	case status == fiber.StatusUnauthorized:
		return "session_ended"
	case errors.Is(err, errCSRF):
		return "csrf"
	case status == fiber.StatusForbidden:
		return "forbidden"
	case status == fiber.StatusNotFound, status == fiber.StatusMethodNotAllowed:
		return "not_found"
	case status == fiber.StatusLocked:
		return "link_locked"
	case status == fiber.StatusTooManyRequests:
		return "rate_limited"
	case status >= 500:
		return "internal"
	}
	return "bad_request"
}
