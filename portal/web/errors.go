package web

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/web/api"
)

// handleError is Fiber's one error handler. Internal errors are logged with
// the request id and answered with a calm generic message; err.Error()
// never reaches a client.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status, code := api.StatusOf(err)
	if status >= 500 {
		s.log.LogAttrs(c.UserContext(), slog.LevelError, "request failed",
			slog.String("request_id", RequestID(c.UserContext())),
			slog.String("route", c.Route().Path),
			slog.String("error", err.Error()))
	}
	if isJSONRoute(c) {
		return api.SendError(c, status, code, err)
	}
	return s.renderErrorPage(c, status, err)
}

func isJSONRoute(c *fiber.Ctx) bool {
	p := c.Path()
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/webhooks/")
}

// refusalKey names, for the pages, why the rulebook refused an action: the
// key of the calm explanation the debtor reads ("" when it allowed it).
func refusalKey(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, portal.ErrPaymentsPaused):
		return "paused"
	case errors.Is(err, portal.ErrHasPlan):
		return "plan"
	case errors.Is(err, portal.ErrCardNotConfigured):
		return "unavailable"
	}
	return "nothing_due"
}
