package api

import (
	"errors"
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

// StatusOf maps a domain error to an HTTP status and a stable code.
func StatusOf(err error) (int, string) {
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

// SendError writes the outside contract's JSON error.
func SendError(c *fiber.Ctx, status int, code string, err error) error {
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
