package api

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal/outreach"
)

// TwilioSignature is X-Twilio-Signature for a POST to fullURL with form
// params: base64 of HMAC-SHA1, under the auth token, of the URL followed by
// every parameter name and value, sorted by name (Twilio's scheme).
func TwilioSignature(authToken, fullURL string, params map[string][]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		for _, v := range params[k] {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// emptyTwiML answers the provider without sending any reply SMS (the
// provider itself confirms a STOP to the sender).
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

// smsWebhook is POST /webhooks/sms: an inbound SMS (form From, Body),
// signed with X-Twilio-Signature under SMS_AUTH_TOKEN. STOP, ARRET and
// STOP SMS stop SMS to that number; anything else is acknowledged and
// ignored. A missing or wrong signature is 403 and changes nothing.
func (s *Handler) smsWebhook(c *fiber.Ctx) error {
	params := map[string][]string{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		params[string(k)] = append(params[string(k)], string(v))
	})
	want := TwilioSignature(s.smsToken, strings.TrimRight(s.baseURL, "/")+string(c.Request().URI().RequestURI()), params)
	got := c.Get("X-Twilio-Signature")
	if s.smsToken == "" || got == "" || !hmac.Equal([]byte(got), []byte(want)) {
		return fiber.NewError(fiber.StatusForbidden, "bad signature")
	}
	if outreach.IsStop(c.FormValue("Body")) {
		if _, err := s.outreach.StopSMS(c.UserContext(), c.FormValue("From")); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderContentType, "text/xml; charset=utf-8")
	return c.SendString(emptyTwiML)
}
