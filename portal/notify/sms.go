package notify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// HTTPSMS sends text messages through a Twilio-compatible API: a form POST
// of To, From and Body to the messages URL, with HTTP basic auth of the
// account SID and auth token (for Twilio:
// https://api.twilio.com/2010-04-01/Accounts/<SID>/Messages.json).
type HTTPSMS struct {
	url    string
	sid    string
	token  string
	from   string
	client *http.Client
}

// NewHTTPSMS configures the sender; client nil uses a client with a
// 15-second timeout.
func NewHTTPSMS(apiURL, sid, token, from string, client *http.Client) (*HTTPSMS, error) {
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("notify: SMS_API_URL must be an http(s) URL")
	}
	if sid == "" || token == "" || from == "" {
		return nil, fmt.Errorf("notify: SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM are required with SMS_API_URL")
	}
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	return &HTTPSMS{url: apiURL, sid: sid, token: token, from: from, client: client}, nil
}

// SendSMS posts one message; any answer but 2xx is an error.
func (s *HTTPSMS) SendSMS(ctx context.Context, to, body string) error {
	form := url.Values{"To": {to}, "From": {s.from}, "Body": {body}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(s.sid, s.token)
	res, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: send sms: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("notify: send sms: status %d", res.StatusCode)
	}
	return nil
}
