package stripemock_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/reglo/reglo/payments/stripemock"
)

func post(t *testing.T, base, path, key string, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+stripemock.TestKey)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestStartWithoutMainStopsWithTheTest(t *testing.T) {
	if os.Getenv("STRIPE_MOCK_URL") != "" {
		t.Skip("an external stripe-mock is in use")
	}
	var base string
	t.Run("uses stripe-mock", func(t *testing.T) {
		base = stripemock.Start(t)
		resp := post(t, base, "/v1/customers", "", url.Values{"email": {"a@example.org"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("create customer: %s", resp.Status)
		}
	})
	client := &http.Client{Timeout: time.Second}
	if resp, err := client.Get(base + "/v1/customers"); err == nil {
		resp.Body.Close()
		t.Errorf("stripe-mock still answers at %s after its test ended", base)
	}
}

func TestProxyBehavesLikeStripe(t *testing.T) {
	p := stripemock.NewProxy(t, stripemock.Start(t))
	form := url.Values{"amount": {"4000"}, "currency": {"eur"}}

	tests := []struct {
		name       string
		key        string
		form       url.Values
		wantStatus int
		replayed   bool
	}{
		{"first use of a key reaches stripe-mock", "k1", form, http.StatusOK, false},
		{"same key and parameters replay the first answer", "k1", form, http.StatusOK, true},
		{"same key with other parameters is refused", "k1", url.Values{"amount": {"1"}, "currency": {"eur"}}, http.StatusBadRequest, false},
		{"another key creates another intent", "k2", form, http.StatusOK, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, p.URL, "/v1/payment_intents", tt.key, tt.form)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if got := resp.Header.Get("Idempotent-Replayed") == "true"; got != tt.replayed {
				t.Errorf("replayed = %v, want %v", got, tt.replayed)
			}
		})
	}
	if n := p.Count("/v1/payment_intents"); n != 4 {
		t.Errorf("Count = %d, want 4", n)
	}
	if n := p.Created("/v1/payment_intents"); n != 2 {
		t.Errorf("Created = %d, want 2", n)
	}
}

func TestCountingProxyCountsPerPath(t *testing.T) {
	base, count := stripemock.CountingProxy(t, stripemock.Start(t))
	post(t, base, "/v1/customers", "", url.Values{"email": {"a@example.org"}})
	post(t, base, "/v1/refunds", "r1", url.Values{"payment_intent": {"pi_1"}})
	post(t, base, "/v1/refunds", "r2", url.Values{"payment_intent": {"pi_2"}})
	for prefix, want := range map[string]int{"/v1/customers": 1, "/v1/refunds": 2, "/v1/": 3, "/v1/payment_intents": 0} {
		if got := count(prefix); got != want {
			t.Errorf("count(%q) = %d, want %d", prefix, got, want)
		}
	}
}

func TestSignedPayloadVerifies(t *testing.T) {
	payload := []byte(`{"id":"evt_1","object":"event"}`)
	tests := []struct {
		name    string
		sign    func() ([]byte, string)
		wantErr error
	}{
		{"fresh signature verifies", func() ([]byte, string) { return stripemock.SignedPayload(t, "whsec_x", payload) }, nil},
		{"stale signature is too old", func() ([]byte, string) { return stripemock.StalePayload(t, "whsec_x", payload) }, webhook.ErrTooOld},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, header := tt.sign()
			if err := webhook.ValidatePayload(body, header, "whsec_x"); err != tt.wantErr {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
