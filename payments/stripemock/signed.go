package stripemock

import (
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

// SignedPayload signs payload with secret as Stripe signs a webhook delivery
// now, and returns the body and the Stripe-Signature header to send with it.
func SignedPayload(t testing.TB, secret string, payload []byte) (body []byte, header string) {
	t.Helper()
	return SignedPayloadAt(t, secret, payload, time.Now())
}

// SignedPayloadAt is SignedPayload with the signature's timestamp set to at,
// for example ten minutes ago to prove that a replayed delivery is refused.
func SignedPayloadAt(t testing.TB, secret string, payload []byte, at time.Time) (body []byte, header string) {
	t.Helper()
	s := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload:   payload,
		Secret:    secret,
		Timestamp: at,
	})
	return s.Payload, s.Header
}

// StalePayload is SignedPayload with a timestamp older than Stripe's
// five-minute tolerance.
func StalePayload(t testing.TB, secret string, payload []byte) (body []byte, header string) {
	t.Helper()
	return SignedPayloadAt(t, secret, payload, time.Now().Add(-10*time.Minute))
}
