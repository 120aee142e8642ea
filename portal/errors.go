package portal

import (
	"errors"
	"fmt"
)

// Domain errors. The web layer maps them to HTTP statuses in one place; their
// messages are message keys or plain English for logs, never shown raw to a
// debtor.
var (
	// ErrNotFound means the thing does not exist or is not the caller's to see.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change clashes with existing state (duplicate reference...).
	ErrConflict = errors.New("conflict")
	// ErrForbidden means the caller is known but may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated means no valid credentials were presented.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrLocked means a link or login is locked after too many failures.
	ErrLocked = errors.New("locked")
	// ErrTooLarge means an upload exceeds its limit.
	ErrTooLarge = errors.New("too large")
	// ErrUnsupportedType means an upload is not of an accepted type.
	ErrUnsupportedType = errors.New("unsupported type")
)

// Refusals of the rulebook (May) a debtor can be told about in plain words.
var (
	// ErrPaymentsPaused: the case is disputed; collection waits.
	ErrPaymentsPaused = errors.New("payments paused while the debt is contested")
	// ErrNothingToPay: the balance is zero (or the case is closed).
	ErrNothingToPay = errors.New("nothing to pay")
	// ErrCardNotConfigured: no Stripe key; the debtor is shown other ways to pay.
	ErrCardNotConfigured = errors.New("card payment is not configured")
	// ErrAlreadyContested: the case is contested already.
	ErrAlreadyContested = &ConflictError{Message: "the case is already contested"}
	// ErrHasPlan: the case has a payment plan, which already says when the debtor pays.
	ErrHasPlan = &ConflictError{Message: "the case has a payment plan"}
)

// InvalidError reports one invalid input field. Field is the name the caller
// used (JSON field or form field); Code is a stable key that the web layer
// translates; Message is plain English for API clients and logs.
type InvalidError struct {
	Field   string
	Code    string
	Message string
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("invalid %s: %s", e.Field, e.Message)
}

// Invalid builds an *InvalidError.
func Invalid(field, code, message string) error {
	return &InvalidError{Field: field, Code: code, Message: message}
}

// ConflictError wraps ErrConflict with an explanation for API clients.
type ConflictError struct{ Message string }

func (e *ConflictError) Error() string { return e.Message }

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }
