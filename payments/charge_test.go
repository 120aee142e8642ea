package payments_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
)

func instalment(attempt int) payments.OffSessionCharge {
	return payments.OffSessionCharge{
		CaseID: 42, PlanID: 7, InstalmentID: 71, AmountCents: 4000, Currency: "EUR",
		CustomerID: "cus_Reglo42", PaymentMethodID: "pm_card_visa",
		IdempotencyKey: payments.InstalmentKey(71, attempt),
	}
}

func withStatus(status string) func(*stripemock.Proxy) {
	return func(p *stripemock.Proxy) {
		p.Rewrite("POST", "/v1/payment_intents", func(o map[string]any) { o["status"] = status })
	}
}

func TestChargeOffSession(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*stripemock.Proxy)
		want    payments.ChargeResult
		wantErr bool
	}{
		{
			name:  "charged card succeeds",
			setup: withStatus("succeeded"),
			want:  payments.ChargeResult{Status: "succeeded", Outcome: payments.OutcomeSucceeded},
		},
		{
			name:  "bank debit waits for the webhook",
			setup: withStatus("processing"),
			want:  payments.ChargeResult{Status: "processing", Outcome: payments.OutcomeProcessing},
		},
		{
			name: "bank asking to authenticate is not an error",
			setup: func(p *stripemock.Proxy) {
				p.RespondOnce("POST", "/v1/payment_intents", http.StatusPaymentRequired,
					stripemock.CardError("authentication_required", "authentication_required", "pi_auth"))
			},
			want: payments.ChargeResult{
				PaymentIntentID: "pi_auth", Status: "requires_payment_method",
				Outcome: payments.OutcomeRequiresAction, DeclineCode: "authentication_required",
				Message: "Your card was declined.",
			},
		},
		{
			name: "insufficient funds is a decline, not an error",
			setup: func(p *stripemock.Proxy) {
				p.RespondOnce("POST", "/v1/payment_intents", http.StatusPaymentRequired,
					stripemock.CardError("card_declined", "insufficient_funds", "pi_poor"))
			},
			want: payments.ChargeResult{
				PaymentIntentID: "pi_poor", Status: "requires_payment_method",
				Outcome: payments.OutcomeDeclined, DeclineCode: "insufficient_funds",
				Message: "Your card was declined.",
			},
		},
		{
			name: "expired card without decline code reports the error code",
			setup: func(p *stripemock.Proxy) {
				p.RespondOnce("POST", "/v1/payment_intents", http.StatusPaymentRequired,
					stripemock.CardError("expired_card", "", "pi_old"))
			},
			want: payments.ChargeResult{
				PaymentIntentID: "pi_old", Status: "requires_payment_method",
				Outcome: payments.OutcomeDeclined, DeclineCode: "expired_card",
				Message: "Your card was declined.",
			},
		},
		{
			name:  "intent left needing a payment method is a decline",
			setup: func(*stripemock.Proxy) {}, // stripe-mock's own answer
			want:  payments.ChargeResult{Status: "requires_payment_method", Outcome: payments.OutcomeDeclined},
		},
		{
			name: "unknown customer is an error to retry, not a decline",
			setup: func(p *stripemock.Proxy) {
				p.RespondOnce("POST", "/v1/payment_intents", http.StatusBadRequest,
					`{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such customer"}}`)
			},
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newProxied(t)
			tt.setup(p)
			got, err := c.ChargeOffSession(context.Background(), instalment(1))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ChargeOffSession: %v", err)
			}
			if tt.want.PaymentIntentID == "" {
				if got.PaymentIntentID == "" {
					t.Error("no payment intent id")
				}
				tt.want.PaymentIntentID = got.PaymentIntentID
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			sent := only(t, p, "/v1/payment_intents")
			if sent.IdempotencyKey != "reglo:instalment:71:attempt:1" {
				t.Errorf("Idempotency-Key = %q", sent.IdempotencyKey)
			}
			for field, want := range map[string]string{
				"amount": "4000", "currency": "eur", "customer": "cus_Reglo42", "payment_method": "pm_card_visa",
				"confirm": "true", "off_session": "true",
				"metadata[case_id]": "42", "metadata[plan_id]": "7", "metadata[installment_id]": "71",
			} {
				if got := sent.Form.Get(field); got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
		})
	}
}

func TestRetryAfterCrashChargesInstalmentOnce(t *testing.T) {
	c, p := newProxied(t)
	withStatus("succeeded")(p)
	first, err := c.ChargeOffSession(context.Background(), instalment(1))
	if err != nil {
		t.Fatal(err)
	}
	// The scheduler died before recording the result and retries.
	again, err := c.ChargeOffSession(context.Background(), instalment(1))
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Errorf("retry gave %+v, first %+v", again, first)
	}
	if n := p.Created("/v1/payment_intents"); n != 1 {
		t.Errorf("instalment charged %d times, want 1", n)
	}
	// A deliberate new attempt after a recorded decline charges again.
	if _, err := c.ChargeOffSession(context.Background(), instalment(2)); err != nil {
		t.Fatal(err)
	}
	if n := p.Created("/v1/payment_intents"); n != 2 {
		t.Errorf("%d charges after a second attempt, want 2", n)
	}
}

func TestRefund(t *testing.T) {
	tests := []struct {
		name       string
		amount     int64
		wantAmount string
	}{
		{"partial refund sends the amount", 2500, "2500"},
		{"zero refunds what is left", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newProxied(t)
			key := payments.RefundKey("pi_123", tt.amount, "req-9")
			id, err := c.Refund(context.Background(), "pi_123", tt.amount, key)
			if err != nil {
				t.Fatal(err)
			}
			if id == "" {
				t.Error("no refund id")
			}
			sent := only(t, p, "/v1/refunds")
			if got := sent.Form.Get("payment_intent"); got != "pi_123" {
				t.Errorf("payment_intent = %q", got)
			}
			if got := sent.Form.Get("amount"); got != tt.wantAmount {
				t.Errorf("amount = %q, want %q", got, tt.wantAmount)
			}
			if sent.IdempotencyKey != key {
				t.Errorf("Idempotency-Key = %q, want %q", sent.IdempotencyKey, key)
			}
		})
	}
}

func TestStripeUnreachableIsAnError(t *testing.T) {
	c := payments.New(payments.Config{SecretKey: stripemock.TestKey, APIBase: "http://127.0.0.1:1"})
	if _, err := c.Refund(context.Background(), "pi_1", 0, "k"); err == nil {
		t.Error("refund against a closed port succeeded")
	}
}
