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
	// Headers are extra header fields, such as List-Unsubscribe and
	// List-Unsubscribe-Post (RFC 8058) on reminders.
	Headers map[string]string
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

// Message is what one notice says, in one language: an email's subject and
// text, and the shorter SMS.
type Message struct {
	Subject string
	Text    string
	SMS     string
}

// Amount is money in a message's data; the writer formats it in the
// message's language ("1 234,50 €" / "€1,234.50").
type Amount struct {
	Cents    int64
	Currency string
}

// Phrase is a part of a message that is itself a catalogue entry (with its
// own values), such as what a receipt was for.
type Phrase struct {
	Key  string
	Data map[string]any
}

// Writer turns a kind of message and its values into words. The words live
// in the catalogues (views implements Writer), never in the code that sends:
// kind names a catalogue table ("link", "promise_reminder"...); time.Time
// values are written as dates, Amount values as money, in lang.
type Writer interface {
	Write(lang, kind string, data map[string]any) (Message, error)
}
