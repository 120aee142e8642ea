package notify

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPMailer sends email through one SMTP server, dialling per message
// (links are sent one at a time, during a call).
type SMTPMailer struct {
	host     string
	port     int
	ssl      bool
	tls      gomail.TLSPolicy
	user     string
	password string
	from     string
}

// NewSMTPMailer parses SMTP_URL:
//
//	smtp://user:pass@host:port?from=reglo@example.org[&tls=none|opportunistic|mandatory]
//	smtps://user:pass@host:465?from=...   (TLS from the first byte)
//
// smtp:// uses STARTTLS when the server offers it (tls=opportunistic) unless
// told otherwise. from is required: it is the sender every debtor sees.
func NewSMTPMailer(raw string) (*SMTPMailer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("notify: SMTP_URL is not a URL")
	}
	m := &SMTPMailer{host: u.Hostname(), tls: gomail.TLSOpportunistic}
	switch u.Scheme {
	case "smtp":
		m.port = 587
	case "smtps":
		m.port, m.ssl, m.tls = 465, true, gomail.TLSMandatory
	default:
		return nil, fmt.Errorf("notify: SMTP_URL must start with smtp:// or smtps://")
	}
	if m.host == "" {
		return nil, fmt.Errorf("notify: SMTP_URL has no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("notify: SMTP_URL has a bad port")
		}
		m.port = n
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.password, _ = u.User.Password()
	}
	q := u.Query()
	switch q.Get("tls") {
	case "":
	case "none":
		m.tls = gomail.NoTLS
	case "opportunistic":
		m.tls = gomail.TLSOpportunistic
	case "mandatory":
		m.tls = gomail.TLSMandatory
	default:
		return nil, fmt.Errorf("notify: SMTP_URL tls must be none, opportunistic or mandatory")
	}
	from, err := mail.ParseAddress(q.Get("from"))
	if err != nil {
		return nil, fmt.Errorf("notify: SMTP_URL needs from=<address>")
	}
	m.from = from.String()
	return m, nil
}

// SendEmail sends one plain-text message.
func (m *SMTPMailer) SendEmail(ctx context.Context, e Email) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.from); err != nil {
		return fmt.Errorf("notify: from: %w", err)
	}
	if err := msg.To(e.To); err != nil {
		return fmt.Errorf("notify: to: %w", err)
	}
	msg.Subject(e.Subject)
	for k, v := range e.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, e.Text)
	opts := []gomail.Option{gomail.WithPort(m.port), gomail.WithTimeout(15 * time.Second)}
	if m.ssl {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(m.tls))
	}
	if m.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.user), gomail.WithPassword(m.password))
	}
	c, err := gomail.NewClient(m.host, opts...)
	if err != nil {
		return fmt.Errorf("notify: smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("notify: send email: %w", err)
	}
	return nil
}
