package payments_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/reglo/reglo/payments"
)

func payInFull() payments.CheckoutRequest {
	return payments.CheckoutRequest{
		CaseID:            42,
		Currency:          "EUR",
		Lines:             []payments.Line{{Name: "Facture F-2024-001", AmountCents: 12550}},
		Locale:            "fr",
		CustomerEmail:     "marie@example.org",
		ClientReferenceID: "case-42",
		SuccessURL:        "https://pay.example.org/case/paid?session={CHECKOUT_SESSION_ID}",
		CancelURL:         "https://pay.example.org/case",
		IdempotencyKey:    payments.CheckoutKey(42, 12550, "att-1"),
	}
}

func TestCreateCheckoutSends(t *testing.T) {
	tests := []struct {
		name string
		edit func(*payments.CheckoutRequest)
		want map[string]string // form field -> value; "" means must be absent
	}{
		{
			name: "pay in full names the case on the session and on its payment intent",
			edit: func(*payments.CheckoutRequest) {},
			want: map[string]string{
				"mode":                                          "payment",
				"metadata[case_id]":                             "42",
				"payment_intent_data[metadata][case_id]":        "42",
				"metadata[installment_id]":                      "",
				"metadata[plan_id]":                             "",
				"locale":                                        "fr",
				"customer_email":                                "marie@example.org",
				"client_reference_id":                           "case-42",
				"line_items[0][price_data][currency]":           "eur",
				"line_items[0][price_data][unit_amount]":        "12550",
				"line_items[0][price_data][product_data][name]": "Facture F-2024-001",
				"line_items[0][quantity]":                       "1",
				"payment_intent_data[setup_future_usage]":       "",
				"customer_creation":                             "",
			},
		},
		{
			name: "first instalment saves the card and has checkout create a customer",
			edit: func(r *payments.CheckoutRequest) {
				r.PlanID, r.InstalmentID, r.SaveCardForLater, r.Locale = 7, 70, true, "en"
			},
			want: map[string]string{
				"metadata[case_id]":                             "42",
				"metadata[plan_id]":                             "7",
				"metadata[installment_id]":                      "70",
				"payment_intent_data[metadata][case_id]":        "42",
				"payment_intent_data[metadata][plan_id]":        "7",
				"payment_intent_data[metadata][installment_id]": "70",
				"payment_intent_data[setup_future_usage]":       "off_session",
				"customer_creation":                             "always",
				"customer_email":                                "marie@example.org",
				"locale":                                        "en",
			},
		},
		{
			name: "known customer is used instead of the email",
			edit: func(r *payments.CheckoutRequest) {
				r.CustomerID, r.SaveCardForLater = "cus_Reglo42", true
			},
			want: map[string]string{
				"customer":          "cus_Reglo42",
				"customer_email":    "",
				"customer_creation": "",
				"payment_intent_data[setup_future_usage]": "off_session",
			},
		},
		{
			name: "no locale lets stripe follow the browser",
			edit: func(r *payments.CheckoutRequest) { r.Locale = "" },
			want: map[string]string{"locale": "auto"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newProxied(t)
			req := payInFull()
			tt.edit(&req)
			s, err := c.CreateCheckout(context.Background(), req)
			if err != nil {
				t.Fatalf("CreateCheckout: %v", err)
			}
			if s.ID == "" || s.URL == "" {
				t.Errorf("session = %+v, want an id and a URL", s)
			}
			sent := only(t, p, "/v1/checkout/sessions")
			if sent.IdempotencyKey != req.IdempotencyKey {
				t.Errorf("Idempotency-Key = %q, want %q", sent.IdempotencyKey, req.IdempotencyKey)
			}
			for field, want := range tt.want {
				if got := sent.Form.Get(field); got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
		})
	}
}

func TestDoubleTapGivesOneSession(t *testing.T) {
	c, p := newProxied(t)
	first, err := c.CreateCheckout(context.Background(), payInFull())
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.CreateCheckout(context.Background(), payInFull())
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Errorf("second tap gave %+v, first %+v", second, first)
	}
	if n := p.Created("/v1/checkout/sessions"); n != 1 {
		t.Errorf("%d sessions created, want 1", n)
	}

	changed := payInFull()
	changed.Lines[0].AmountCents = 10000
	changed.IdempotencyKey = payments.CheckoutKey(42, 10000, "att-1")
	third, err := c.CreateCheckout(context.Background(), changed)
	if err != nil {
		t.Fatal(err)
	}
	if third.ID == first.ID {
		t.Error("a new amount reused the old session")
	}
}

func TestCreateSetupCheckoutSends(t *testing.T) {
	tests := []struct {
		name string
		req  payments.SetupRequest
		want map[string]string
	}{
		{
			name: "card change for a plan attaches to the customer",
			req: payments.SetupRequest{
				CaseID: 42, PlanID: 7, Currency: "EUR", Locale: "fr", CustomerID: "cus_Reglo42",
				SuccessURL: "https://pay.example.org/plan/card-saved", CancelURL: "https://pay.example.org/plan",
				IdempotencyKey: payments.SetupKey(42, 7, "att-1"),
			},
			want: map[string]string{
				"mode":                                 "setup",
				"currency":                             "eur",
				"customer":                             "cus_Reglo42",
				"customer_creation":                    "",
				"metadata[case_id]":                    "42",
				"metadata[plan_id]":                    "7",
				"setup_intent_data[metadata][case_id]": "42",
				"setup_intent_data[metadata][plan_id]": "7",
				"locale":                               "fr",
			},
		},
		{
			name: "nothing due today without a customer yet creates one",
			req: payments.SetupRequest{
				CaseID: 43, PlanID: 8, Currency: "eur", CustomerEmail: "paul@example.org",
				SuccessURL: "https://pay.example.org/ok", CancelURL: "https://pay.example.org/no",
				IdempotencyKey: payments.SetupKey(43, 8, "att-1"),
			},
			want: map[string]string{
				"customer":          "",
				"customer_creation": "always",
				"customer_email":    "paul@example.org",
				"metadata[case_id]": "43",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newProxied(t)
			s, err := c.CreateSetupCheckout(context.Background(), tt.req)
			if err != nil {
				t.Fatalf("CreateSetupCheckout: %v", err)
			}
			if s.ID == "" || s.URL == "" {
				t.Errorf("session = %+v, want an id and a URL", s)
			}
			sent := only(t, p, "/v1/checkout/sessions")
			if sent.IdempotencyKey != tt.req.IdempotencyKey {
				t.Errorf("Idempotency-Key = %q, want %q", sent.IdempotencyKey, tt.req.IdempotencyKey)
			}
			for field, want := range tt.want {
				if got := sent.Form.Get(field); got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
		})
	}
}

func TestCreateCustomerNamesTheCase(t *testing.T) {
	c, p := newProxied(t)
	id, err := c.CreateCustomer(context.Background(), payments.CustomerRequest{
		Email: "marie@example.org", Name: "Marie Dupont", CaseID: 42, IdempotencyKey: payments.CustomerKey(42),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id, "cus_") {
		t.Errorf("customer id = %q", id)
	}
	sent := only(t, p, "/v1/customers")
	for field, want := range map[string]string{"email": "marie@example.org", "name": "Marie Dupont", "metadata[case_id]": "42"} {
		if got := sent.Form.Get(field); got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	if sent.IdempotencyKey != "reglo:customer:case:42" {
		t.Errorf("Idempotency-Key = %q", sent.IdempotencyKey)
	}
}

func TestSavedPaymentMethodReadsTheIntent(t *testing.T) {
	tests := []struct {
		name string
		ev   payments.Event
		path string
	}{
		{"setup checkout reads its setup intent", payments.Event{ID: "evt_1", SetupIntentID: "seti_1"}, "/v1/setup_intents/seti_1"},
		{"payment checkout reads its payment intent", payments.Event{ID: "evt_2", PaymentIntentID: "pi_1"}, "/v1/payment_intents/pi_1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newProxied(t)
			// stripe-mock's fixtures name no payment method.
			p.Rewrite("GET", tt.path, func(o map[string]any) {
				o["payment_method"], o["customer"] = "pm_saved", "cus_saved"
			})
			saved, err := c.SavedPaymentMethod(context.Background(), tt.ev)
			if err != nil {
				t.Fatal(err)
			}
			want := payments.SavedMethod{CustomerID: "cus_saved", PaymentMethodID: "pm_saved"}
			if saved != want {
				t.Errorf("saved = %+v, want %+v", saved, want)
			}
			only(t, p, tt.path)
		})
	}
}

func TestRequestsRefusedBeforeSending(t *testing.T) {
	tests := []struct {
		name string
		call func(*payments.Client) error
	}{
		{"checkout without idempotency key", func(c *payments.Client) error {
			r := payInFull()
			r.IdempotencyKey = ""
			_, err := c.CreateCheckout(context.Background(), r)
			return err
		}},
		{"checkout with a zero line", func(c *payments.Client) error {
			r := payInFull()
			r.Lines = []payments.Line{{Name: "Rien", AmountCents: 0}}
			_, err := c.CreateCheckout(context.Background(), r)
			return err
		}},
		{"checkout without lines", func(c *payments.Client) error {
			r := payInFull()
			r.Lines = nil
			_, err := c.CreateCheckout(context.Background(), r)
			return err
		}},
		{"checkout in a currency that is not ISO", func(c *payments.Client) error {
			r := payInFull()
			r.Currency = "euro"
			_, err := c.CreateCheckout(context.Background(), r)
			return err
		}},
		{"checkout in an unknown locale", func(c *payments.Client) error {
			r := payInFull()
			r.Locale = "de"
			_, err := c.CreateCheckout(context.Background(), r)
			return err
		}},
		{"charge of nothing", func(c *payments.Client) error {
			_, err := c.ChargeOffSession(context.Background(), payments.OffSessionCharge{
				CaseID: 1, Currency: "EUR", CustomerID: "cus_1", PaymentMethodID: "pm_1", IdempotencyKey: "k",
			})
			return err
		}},
		{"charge without a saved card", func(c *payments.Client) error {
			_, err := c.ChargeOffSession(context.Background(), payments.OffSessionCharge{
				CaseID: 1, AmountCents: 100, Currency: "EUR", CustomerID: "cus_1", IdempotencyKey: "k",
			})
			return err
		}},
		{"refund without idempotency key", func(c *payments.Client) error {
			_, err := c.Refund(context.Background(), "pi_1", 100, "")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newProxied(t)
			if err := tt.call(c); !errors.Is(err, payments.ErrInvalidRequest) {
				t.Errorf("err = %v, want ErrInvalidRequest", err)
			}
			if n := p.Count("/"); n != 0 {
				t.Errorf("%d requests reached Stripe", n)
			}
		})
	}
}

func TestNotConfigured(t *testing.T) {
	c := payments.New(payments.Config{})
	if c.Enabled() {
		t.Fatal("client without a key says it is enabled")
	}
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"checkout", func() error { _, err := c.CreateCheckout(ctx, payInFull()); return err }},
		{"setup checkout", func() error { _, err := c.CreateSetupCheckout(ctx, payments.SetupRequest{}); return err }},
		{"customer", func() error { _, err := c.CreateCustomer(ctx, payments.CustomerRequest{}); return err }},
		{"off-session charge", func() error { _, err := c.ChargeOffSession(ctx, payments.OffSessionCharge{}); return err }},
		{"refund", func() error { _, err := c.Refund(ctx, "pi_1", 0, "k"); return err }},
		{"saved payment method", func() error { _, err := c.SavedPaymentMethod(ctx, payments.Event{}); return err }},
		{"webhook without secret", func() error { _, err := c.ParseEvent([]byte(`{}`), "t=1,v1=00"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name+" says card payment is not configured", func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, payments.ErrNotConfigured) {
				t.Errorf("err = %v, want ErrNotConfigured", err)
			}
		})
	}
	if !payments.New(payments.Config{SecretKey: "sk_test_x"}).Enabled() {
		t.Error("client with a key says it is not enabled")
	}
}
