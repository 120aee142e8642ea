package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// Stripe's answers can carry what must not reach a log: an error message
// may quote what was sent (a key pasted in the wrong field), and stripe-go
// logs whole response bodies at debug level. So the only things Reglo logs
// or returns of them are the status, the error's type and code, and the
// request id, and stripe-go's own log lines go through stripeLogger.

// StripeError is what Reglo keeps of an error Stripe answered: never its
// message or body.
type StripeError struct {
	// Status is the HTTP status of Stripe's answer.
	Status int
	// Type and Code are Stripe's ("card_error", "card_declined").
	Type, Code string
	// DeclineCode is a card error's decline code.
	DeclineCode string
	// RequestID is Stripe's req_... id, for its support.
	RequestID string
}

func (e *StripeError) Error() string {
	return fmt.Sprintf("stripe %s/%s (status %d, request %s)", e.Type, e.Code, e.Status, e.RequestID)
}

// stripeWord is what a type, code or request id of Stripe's looks like;
// anything else (a free text, a key: sk_..., rk_...) is not kept.
var stripeWord = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
var requestID = regexp.MustCompile(`^req_[A-Za-z0-9]{1,64}$`)
var keyLike = regexp.MustCompile(`^(sk|rk|pk|whsec)_`)

func word(s string) string {
	if !stripeWord.MatchString(s) || keyLike.MatchString(s) {
		return "other"
	}
	return s
}

// reduceStripe turns a Stripe error into a StripeError. Network errors
// and cancellations stay as they are (they name the URL, not what Stripe
// said); any other error of stripe-go's (an answer it could not decode,
// whose text quotes the body) becomes a StripeError of type "undecodable".
func reduceStripe(err error) error {
	var se *stripe.Error
	var ue *url.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		out := &StripeError{Status: se.HTTPStatusCode, Type: word(string(se.Type)), Code: word(string(se.Code)), DeclineCode: word(string(se.DeclineCode))}
		if se.Code == "" {
			out.Code = ""
		}
		if se.DeclineCode == "" {
			out.DeclineCode = ""
		}
		if requestID.MatchString(se.RequestID) {
			out.RequestID = se.RequestID
		}
		return out
	case errors.As(err, &ue), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return &StripeError{Type: "undecodable"}
}

// stripeLogger routes stripe-go's log lines (stripe.LeveledLoggerInterface)
// into the JSON log. Its format strings are stripe-go's own words and are
// kept as the message (each verb written "_"); of their arguments only numbers, durations and the
// reduced Stripe error are kept, never a string, a body or another error's
// text. Request chatter (stripe-go's info level) goes to debug; a
// payment refused (402, which stripe-go logs at info) stays at info.
type stripeLogger struct{ log *slog.Logger }

func (l stripeLogger) Debugf(format string, v ...any) { l.emit(slog.LevelDebug, format, v) }
func (l stripeLogger) Infof(format string, v ...any)  { l.emit(slog.LevelDebug, format, v) }
func (l stripeLogger) Warnf(format string, v ...any)  { l.emit(slog.LevelWarn, format, v) }
func (l stripeLogger) Errorf(format string, v ...any) { l.emit(slog.LevelError, format, v) }

func (l stripeLogger) emit(level slog.Level, format string, args []any) {
	attrs := []slog.Attr{slog.String("source", "stripe-go")}
	for _, a := range args {
		switch v := a.(type) {
		case *stripe.Error:
			se := reduceStripe(v).(*StripeError)
			if level == slog.LevelDebug {
				level = slog.LevelInfo
			}
			attrs = append(attrs, slog.Int("status", se.Status), slog.String("type", se.Type), slog.String("code", se.Code))
			if se.DeclineCode != "" {
				attrs = append(attrs, slog.String("decline_code", se.DeclineCode))
			}
			if se.RequestID != "" {
				attrs = append(attrs, slog.String("stripe_request_id", se.RequestID))
			}
		case int:
			attrs = append(attrs, slog.Int("value", v))
		case time.Duration:
			attrs = append(attrs, slog.Duration("duration", v))
		case *time.Duration:
			if v != nil {
				attrs = append(attrs, slog.Duration("duration", *v))
			}
		}
	}
	l.log.LogAttrs(context.Background(), level, "stripe-go: "+verb.ReplaceAllString(format, "_"), attrs...)
}

// verb matches a fmt verb of stripe-go's format strings.
var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
