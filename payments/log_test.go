package payments_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/reglo/reglo/payments"
)

// fakeKey is a secret that an error Stripe answers might quote back.
const fakeKey = "sk_test_51HiddenInTheMessage0123456789"

// TestStripeErrorsLogOnlyJSONWithoutTheirBody has Stripe answer errors
// whose text quotes a key (4xx errors, a card decline, a body that is not
// JSON, a code that is not one): stripe-go's own lines and Reglo's line for
// the returned error are all JSON on the slog handler, nothing reaches
// stderr, no line holds the message or the key, and each error line
// carries Stripe's type and code.
func TestStripeErrorsLogOnlyJSONWithoutTheirBody(t *testing.T) {
	stripeError := func(typ, code string) string {
		b, _ := json.Marshal(map[string]any{"error": map[string]any{
			"type": typ, "code": code, "param": "api_key " + fakeKey,
			"message": "Invalid API Key provided: " + fakeKey, "doc_url": "https://stripe.com/docs/" + fakeKey,
		}})
		return string(b)
	}
	tests := []struct {
		name           string
		status         int
		body           string
		wantType, code string
		charge         bool // an off-session charge (card errors are its result, not an error)
	}{
		{"invalid request", 400, stripeError("invalid_request_error", "parameter_invalid_string"), "invalid_request_error", "parameter_invalid_string", false},
		{"bad key", 401, stripeError("invalid_request_error", "api_key_expired"), "invalid_request_error", "api_key_expired", false},
		{"a code that holds a key", 400, stripeError("invalid_request_error", fakeKey), "invalid_request_error", "other", false},
		{"card declined", 402, stripeError("card_error", "card_declined"), "card_error", "card_declined", true},
		{"an answer that is not JSON", 500, "<html>upstream says " + fakeKey + "</html>", "undecodable", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Request-Id", "req_TestLog123")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			var buf bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			stderr := captureStderr(t)
			c := payments.New(payments.Config{SecretKey: "sk_test_reglo_log", APIBase: srv.URL, Log: log, HTTPClient: srv.Client()})
			var err error
			if tt.charge {
				_, err = c.ChargeOffSession(context.Background(), payments.OffSessionCharge{
					CaseID: 42, PlanID: 7, InstalmentID: 71, AmountCents: 4000, Currency: "EUR",
					CustomerID: "cus_Reglo42", PaymentMethodID: "pm_card_visa", IdempotencyKey: payments.InstalmentKey(71, 1),
				})
			} else {
				_, err = c.CreateCheckout(context.Background(), payInFull())
				if err == nil {
					t.Fatal("no error")
				}
				var se *payments.StripeError
				if !errors.As(err, &se) || se.Type != tt.wantType || se.Code != tt.code {
					t.Errorf("error %v (%T), want a StripeError %s/%s", err, errors.Unwrap(err), tt.wantType, tt.code)
				}
				log.Error("request failed", "error", err)
			}
			if out := stderr(); out != "" {
				t.Errorf("stripe-go wrote to stderr: %q", out)
			}
			if err != nil && strings.Contains(err.Error(), fakeKey) {
				t.Errorf("the error returned quotes the key: %v", err)
			}
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			var stripeLines, withCode int
			for _, line := range lines {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Errorf("a line that is not JSON: %q", line)
					continue
				}
				for _, bad := range []string{fakeKey, "sk_test_51", "Invalid API Key", "upstream says"} {
					if strings.Contains(line, bad) {
						t.Errorf("line holds %q: %s", bad, line)
					}
				}
				if m["source"] == "stripe-go" {
					stripeLines++
				}
				if m["type"] == tt.wantType && m["code"] == tt.code {
					withCode++
				}
			}
			if stripeLines == 0 {
				t.Errorf("no line from stripe-go's logger:\n%s", buf.String())
			}
			if tt.wantType != "undecodable" && withCode == 0 {
				t.Errorf("no line carries type %s and code %s:\n%s", tt.wantType, tt.code, buf.String())
			}
			if tt.wantType == "undecodable" && !strings.Contains(buf.String(), "stripe undecodable") {
				t.Errorf("the error line does not say the answer was undecodable:\n%s", buf.String())
			}
		})
	}
}

// captureStderr sends os.Stderr to a pipe until the returned function
// gives back what was written.
func captureStderr(t *testing.T) func() string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	return func() string {
		os.Stderr = old
		w.Close()
		return <-done
	}
}
