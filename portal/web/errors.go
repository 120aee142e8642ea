package web

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
)

// apiError is the JSON error shape of the outside contract.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// statusOf maps a domain error to an HTTP status and a stable code.
func statusOf(err error) (int, string) {
	var inv *portal.InvalidError
	var fe *fiber.Error
	switch {
	case errors.As(err, &inv):
		return fiber.StatusUnprocessableEntity, "invalid"
	case errors.Is(err, portal.ErrNotFound):
		return fiber.StatusNotFound, "not_found"
	case errors.Is(err, portal.ErrConflict):
		return fiber.StatusConflict, "conflict"
	case errors.Is(err, portal.ErrUnauthenticated):
		return fiber.StatusUnauthorized, "unauthenticated"
	case errors.Is(err, portal.ErrForbidden):
		return fiber.StatusForbidden, "forbidden"
	case errors.Is(err, portal.ErrLocked):
		return fiber.StatusLocked, "locked"
	case errors.Is(err, portal.ErrTooLarge):
		return fiber.StatusRequestEntityTooLarge, "too_large"
	case errors.Is(err, portal.ErrUnsupportedType):
		return fiber.StatusUnsupportedMediaType, "unsupported_type"
	case errors.As(err, &fe):
		return fe.Code, strings.ToLower(strings.ReplaceAll(fe.Message, " ", "_"))
	}
	return fiber.StatusInternalServerError, "internal"
}

// handleError is Fiber's one error handler. Internal errors are logged with
// the request id and answered with a calm generic message; err.Error()
// never reaches a client.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status, code := statusOf(err)
	if status >= 500 {
		s.log.LogAttrs(c.UserContext(), slog.LevelError, "request failed",
			slog.String("request_id", RequestID(c.UserContext())),
			slog.String("route", c.Route().Path),
			slog.String("error", err.Error()))
	}
	if isJSONRoute(c) {
		return sendAPIError(c, status, code, err)
	}
	return s.renderErrorPage(c, status, err)
}

func isJSONRoute(c *fiber.Ctx) bool {
	p := c.Path()
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/webhooks/")
}

// sendAPIError writes the outside contract's JSON error.
func sendAPIError(c *fiber.Ctx, status int, code string, err error) error {
	body := apiErrorBody{Code: code, Message: publicMessage(status, err)}
	var inv *portal.InvalidError
	if errors.As(err, &inv) {
		body.Field = inv.Field
		body.Message = inv.Message
	}
	return c.Status(status).JSON(apiError{Error: body})
}

// publicMessage is a message safe to show an API client for a status.
func publicMessage(status int, err error) string {
	var ce *portal.ConflictError
	var fe *fiber.Error
	switch {
	case errors.As(err, &ce):
		return ce.Message
	case errors.As(err, &fe) && status < 500:
		return fe.Message
	}
	switch status {
	case fiber.StatusNotFound:
		return "not found"
	case fiber.StatusUnauthorized:
		return "missing or invalid API key"
	case fiber.StatusRequestEntityTooLarge:
		return "the file is larger than 10 MiB"
	case fiber.StatusUnsupportedMediaType:
		return "only PDF, PNG and JPEG files are accepted"
	case fiber.StatusConflict:
		return "conflict"
	case fiber.StatusLocked:
		return "locked"
	}
	return "something went wrong on our side; please try again"
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
