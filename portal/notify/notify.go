// Package notify delivers the messages Reglo sends to debtors: email
// through SMTP (github.com/wneessen/go-mail) and SMS through a
// Twilio-compatible HTTP API. It knows nothing of cases or of the database;
// the portal composes the text and calls a Mailer or an SMSSender, which
// tests replace or point at local servers.
package notify

import (
	"context"
	"errors"
)

// ErrNotConfigured means the channel has no configuration (no SMTP_URL or
// no SMS_API_URL), so nothing can be sent through it.
var ErrNotConfigured = errors.New("notify: channel not configured")

// Email is one plain-text message to one address.
type Email struct {
	To      string
	Subject string
	Text    string
}

// Mailer sends an email.
type Mailer interface {
	SendEmail(ctx context.Context, m Email) error
}

// SMSSender sends a text message to a phone number.
type SMSSender interface {
	SendSMS(ctx context.Context, to, body string) error
}

// Senders are the channels a link can be sent through. A nil field means
// the channel is not configured.
type Senders struct {
	Mail Mailer
	SMS  SMSSender
}

// FromEnv builds the senders from the configuration variables SMTP_URL and
// SMS_API_URL, SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM, read through
// getenv (os.Getenv in production). A channel without its variables stays
// nil; a variable that is set but malformed is an error.
func FromEnv(getenv func(string) string) (Senders, error) {
	var s Senders
	if raw := getenv("SMTP_URL"); raw != "" {
		m, err := NewSMTPMailer(raw)
		if err != nil {
			return Senders{}, err
		}
		s.Mail = m
	}
	if api := getenv("SMS_API_URL"); api != "" {
		sms, err := NewHTTPSMS(api, getenv("SMS_ACCOUNT_SID"), getenv("SMS_AUTH_TOKEN"), getenv("SMS_FROM"), nil)
		if err != nil {
			return Senders{}, err
		}
		s.SMS = sms
	}
	return s, nil
}
