package payments_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
)

const whsec = "whsec_reglo_test_secret"

func webhookClient() *payments.Client {
	return payments.New(payments.Config{WebhookSecret: whsec})
}

func TestParseEventKinds(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    payments.Event
	}{
		{
			name:    "paid checkout from a newer api version is recorded",
			payload: checkoutCompletedPaid,
			want: payments.Event{
				ID: "evt_1PaidCheckout", Type: "checkout.session.completed", Kind: payments.KindCheckoutPaid,
				Created: time.Unix(1718000000, 0).UTC(),
				CaseID:  42, PlanID: 7, InstalmentID: 70, AmountCents: 12550, Currency: "EUR",
				PaymentIntentID: "pi_3PaidIntent", CheckoutSessionID: "cs_test_a1PaidSession",
				CustomerID: "cus_Reglo42", Mode: "payment",
			},
		},
		{
			name:    "checkout completed by bank debit is pending, expanded intent read by id",
			payload: checkoutCompletedUnpaid,
			want: payments.Event{
				ID: "evt_1PendingCheckout", Type: "checkout.session.completed", Kind: payments.KindCheckoutPending,
				Created: time.Unix(1718000100, 0).UTC(), Livemode: true,
				CaseID: 43, AmountCents: 30000, Currency: "EUR",
				PaymentIntentID: "pi_3SepaIntent", CheckoutSessionID: "cs_live_b1SepaSession", Mode: "payment",
			},
		},
		{
			name:    "setup checkout carries setup intent and customer",
			payload: checkoutCompletedSetup,
			want: payments.Event{
				ID: "evt_1SetupCheckout", Type: "checkout.session.completed", Kind: payments.KindCheckoutSetup,
				Created: time.Unix(1718000200, 0).UTC(),
				CaseID:  42, PlanID: 7, Currency: "EUR",
				CheckoutSessionID: "cs_test_c1SetupSession", SetupIntentID: "seti_1SetupIntent",
				CustomerID: "cus_Reglo42", Mode: "setup",
			},
		},
		{
			name:    "async payment that clears is paid",
			payload: checkoutAsyncSucceeded,
			want: payments.Event{
				ID: "evt_1AsyncOK", Type: "checkout.session.async_payment_succeeded", Kind: payments.KindCheckoutPaid,
				Created: time.Unix(1718086400, 0).UTC(), Livemode: true,
				CaseID: 43, AmountCents: 30000, Currency: "EUR", PaymentIntentID: "pi_3SepaIntent",
				CheckoutSessionID: "cs_live_b1SepaSession", CustomerID: "cus_Sepa43", Mode: "payment",
			},
		},
		{
			name:    "async payment that bounces fails",
			payload: checkoutAsyncFailed,
			want: payments.Event{
				ID: "evt_1AsyncKO", Type: "checkout.session.async_payment_failed", Kind: payments.KindCheckoutFailed,
				Created: time.Unix(1718086500, 0).UTC(), Livemode: true,
				CaseID: 43, AmountCents: 30000, Currency: "EUR", PaymentIntentID: "pi_3SepaIntent",
				CheckoutSessionID: "cs_live_b1SepaSession", Mode: "payment",
			},
		},
		{
			name:    "instalment charged off session succeeded",
			payload: paymentIntentSucceeded,
			want: payments.Event{
				ID: "evt_3InstalmentPaid", Type: "payment_intent.succeeded", Kind: payments.KindPaymentSucceeded,
				Created: time.Unix(1720000000, 0).UTC(),
				CaseID:  42, PlanID: 7, InstalmentID: 71, AmountCents: 4000, Currency: "EUR",
				PaymentIntentID: "pi_3Instalment71", ChargeID: "ch_3Instalment71",
				CustomerID: "cus_Reglo42", PaymentMethodID: "pm_1SavedVisa",
			},
		},
		{
			name:    "instalment needing authentication fails with its code",
			payload: paymentIntentFailed,
			want: payments.Event{
				ID: "evt_3InstalmentAuth", Type: "payment_intent.payment_failed", Kind: payments.KindPaymentFailed,
				Created: time.Unix(1722600000, 0).UTC(),
				CaseID:  42, PlanID: 7, InstalmentID: 72, AmountCents: 4000, Currency: "EUR",
				PaymentIntentID: "pi_3Instalment72", ChargeID: "ch_3Instalment72", CustomerID: "cus_Reglo42",
				FailureCode: "authentication_required", DeclineCode: "authentication_required",
				FailureMessage: "Your card was declined. This transaction requires authentication.",
			},
		},
		{
			name:    "refund reports the cumulative amount refunded",
			payload: chargeRefunded,
			want: payments.Event{
				ID: "evt_3Refund", Type: "charge.refunded", Kind: payments.KindRefunded,
				Created: time.Unix(1723000000, 0).UTC(),
				CaseID:  42, AmountCents: 12550, Currency: "EUR", RefundedCents: 5000,
				PaymentIntentID: "pi_3PaidIntent", ChargeID: "ch_3PaidCharge",
				CustomerID: "cus_Reglo42", PaymentMethodID: "pm_1SavedVisa",
			},
		},
		{
			name:    "chargeback opens a dispute found by its payment",
			payload: disputeCreated,
			want: payments.Event{
				ID: "evt_1DisputeOpen", Type: "charge.dispute.created", Kind: payments.KindDisputeOpened,
				Created:     time.Unix(1724000000, 0).UTC(),
				AmountCents: 12550, Currency: "EUR", PaymentIntentID: "pi_3PaidIntent", ChargeID: "ch_3PaidCharge",
				DisputeID: "du_1Chargeback", DisputeStatus: "needs_response", DisputeReason: "fraudulent",
			},
		},
		{
			name:    "lost dispute closes with its status, expanded charge read by id",
			payload: disputeClosed,
			want: payments.Event{
				ID: "evt_1DisputeLost", Type: "charge.dispute.closed", Kind: payments.KindDisputeClosed,
				Created:     time.Unix(1726000000, 0).UTC(),
				AmountCents: 12550, Currency: "EUR", PaymentIntentID: "pi_3PaidIntent", ChargeID: "ch_3PaidCharge",
				DisputeID: "du_1Chargeback", DisputeStatus: "lost", DisputeReason: "fraudulent",
			},
		},
		{
			name:    "other events are ignored but named",
			payload: customerCreated,
			want: payments.Event{
				ID: "evt_1Customer", Type: "customer.created", Kind: payments.KindIgnored,
				Created: time.Unix(1717000000, 0).UTC(),
			},
		},
	}
	c := webhookClient()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, header := stripemock.SignedPayload(t, whsec, []byte(tt.payload))
			got, err := c.ParseEvent(body, header)
			if err != nil {
				t.Fatalf("ParseEvent: %v", err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseEventRefusesUnsigned(t *testing.T) {
	payload := []byte(paymentIntentSucceeded)
	good, goodHeader := stripemock.SignedPayload(t, whsec, payload)
	_, otherHeader := stripemock.SignedPayload(t, "whsec_someone_else", payload)
	stale, staleHeader := stripemock.StalePayload(t, whsec, payload)
	future, futureHeader := stripemock.SignedPayloadAt(t, whsec, payload, time.Now().Add(10*time.Minute))
	tests := []struct {
		name   string
		body   []byte
		header string
	}{
		{"no signature header", good, ""},
		{"garbled signature header", good, "nonsense"},
		{"signed with another secret", good, otherHeader},
		{"timestamp older than five minutes", stale, staleHeader},
		{"timestamp more than five minutes ahead", future, futureHeader},
		{"body changed after signing", []byte(strings.Replace(string(good), "4000", "40", 1)), goodHeader},
	}
	c := webhookClient()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ParseEvent(tt.body, tt.header)
			if !errors.Is(err, payments.ErrBadSignature) {
				t.Errorf("err = %v, want ErrBadSignature", err)
			}
		})
	}
	t.Run("four minutes ahead (a clock drifting) is still accepted", func(t *testing.T) {
		b, h := stripemock.SignedPayloadAt(t, whsec, payload, time.Now().Add(4*time.Minute))
		if _, err := c.ParseEvent(b, h); err != nil {
			t.Errorf("ParseEvent: %v", err)
		}
	})
	t.Run("four minutes old is still accepted", func(t *testing.T) {
		b, h := stripemock.SignedPayloadAt(t, whsec, payload, time.Now().Add(-4*time.Minute))
		if _, err := c.ParseEvent(b, h); err != nil {
			t.Errorf("ParseEvent: %v", err)
		}
	})
}

func TestParseEventRefusesMissingFields(t *testing.T) {
	tests := []struct {
		name    string
		payload string
	}{
		{"paid checkout without amount_total", strings.Replace(checkoutCompletedPaid, `"amount_total": 12550,`, "", 1)},
		{"checkout without mode", strings.Replace(checkoutCompletedPaid, `"mode": "payment",`, "", 1)},
		{"setup checkout without setup intent", strings.Replace(checkoutCompletedSetup, `"setup_intent": "seti_1SetupIntent",`, "", 1)},
		{"succeeded intent without currency", strings.Replace(paymentIntentSucceeded, `"currency": "eur",`, "", 1)},
		{"refund without amount_refunded", strings.Replace(chargeRefunded, `"amount_refunded": 5000,`, "", 1)},
		{"dispute without status", strings.Replace(disputeClosed, `"status": "lost"`, `"status": null`, 1)},
		{"amount that is not a number", strings.Replace(paymentIntentSucceeded, `"amount": 4000,`, `"amount": "4000",`, 1)},
		{"event without data object", `{"id": "evt_x", "object": "event", "type": "charge.refunded", "created": 1, "data": {}}`},
		{"body that is not json", `not json`},
	}
	c := webhookClient()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, header := stripemock.SignedPayload(t, whsec, []byte(tt.payload))
			ev, err := c.ParseEvent(body, header)
			if !errors.Is(err, payments.ErrMalformedEvent) {
				t.Errorf("got %+v, err = %v, want ErrMalformedEvent", ev, err)
			}
			if errors.Is(err, payments.ErrBadSignature) {
				t.Error("a signed event was reported as badly signed")
			}
		})
	}
}

func TestParseEventToleratesOddMetadata(t *testing.T) {
	tests := []struct {
		name     string
		metadata string
		wantCase int64
	}{
		{"absent metadata gives zero ids", `"metadata": {},`, 0},
		{"unparsable case id gives zero", `"metadata": {"case_id": "forty-two"},`, 0},
		{"null metadata gives zero ids", `"metadata": null,`, 0},
		{"case id with spaces is read", `"metadata": {"case_id": " 42 "},`, 42},
	}
	c := webhookClient()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := strings.Replace(paymentIntentSucceeded,
				`"metadata": {"case_id": "42", "plan_id": "7", "installment_id": "71"},`, tt.metadata, 1)
			body, header := stripemock.SignedPayload(t, whsec, []byte(payload))
			ev, err := c.ParseEvent(body, header)
			if err != nil {
				t.Fatalf("ParseEvent: %v", err)
			}
			if ev.CaseID != tt.wantCase || ev.Kind != payments.KindPaymentSucceeded {
				t.Errorf("case %d kind %s, want case %d kind %s", ev.CaseID, ev.Kind, tt.wantCase, payments.KindPaymentSucceeded)
			}
		})
	}
}
