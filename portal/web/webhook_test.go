package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
	"github.com/reglo/reglo/portal/web"
)

const webhookSecret = "whsec_test_reglo"

// moneyEnv is an app that verifies webhooks, with one open case of 123.45 €.
type moneyEnv struct {
	*testkit.Kit
	t   *testing.T
	srv *web.Server
	cs  portal.CaseDetail
	// key is the case's creditor's API key.
	key string
}

func newMoneyEnv(t *testing.T, store *portal.Store, stripeBase string) *moneyEnv {
	t.Helper()
	cfg := payments.Config{WebhookSecret: webhookSecret}
	if stripeBase != "" {
		cfg.SecretKey, cfg.APIBase = "sk_test_123", stripeBase
	}
	k := testkit.New(t, store, testkit.Options{Messages: messages, Stripe: payments.New(cfg)})
	cr, key := k.Creditor("Énergie Claire", nil)
	var nc portal.NewCase
	raw, _ := json.Marshal(sampleCase("REF-PAY"))
	_ = json.Unmarshal(raw, &nc)
	cs := k.NewCase(cr, nc)
	return &moneyEnv{Kit: k, t: t, srv: web.New(web.Config{Services: k.Services, BaseURL: "http://localhost:8080", Log: quietLog}), cs: cs, key: key}
}

// event builds a Stripe event envelope around obj.
func (e *moneyEnv) event(id, typ string, obj map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": "2023-10-16", "created": time.Now().Unix(),
		"type": typ, "livemode": false, "data": map[string]any{"object": obj},
	})
	return b
}

func (e *moneyEnv) meta() map[string]any {
	return map[string]any{"case_id": fmt.Sprint(e.cs.Case.ID)}
}

func (e *moneyEnv) checkoutCompleted(evID, pi string, amount int64) []byte {
	return e.event(evID, "checkout.session.completed", map[string]any{
		"id": "cs_" + pi, "object": "checkout.session", "mode": "payment", "payment_status": "paid", "status": "complete",
		"amount_total": amount, "currency": "eur", "payment_intent": pi, "metadata": e.meta(),
	})
}

func (e *moneyEnv) intentSucceeded(evID, pi string, amount int64) []byte {
	return e.event(evID, "payment_intent.succeeded", map[string]any{
		"id": pi, "object": "payment_intent", "amount": amount, "amount_received": amount, "currency": "eur",
		"status": "succeeded", "latest_charge": "ch_" + pi, "metadata": e.meta(),
	})
}

func (e *moneyEnv) refunded(evID, pi string, amount, refunded int64) []byte {
	return e.event(evID, "charge.refunded", map[string]any{
		"id": "ch_" + pi, "object": "charge", "amount": amount, "amount_refunded": refunded, "currency": "eur",
		"payment_intent": pi, "refunded": refunded == amount, "metadata": e.meta(),
	})
}

func (e *moneyEnv) dispute(evID, typ, pi string, amount int64, status string) []byte {
	return e.event(evID, typ, map[string]any{
		"id": "dp_" + pi, "object": "dispute", "amount": amount, "currency": "eur", "charge": "ch_" + pi,
		"payment_intent": pi, "status": status, "reason": "fraudulent", "metadata": map[string]any{},
	})
}

// post delivers a payload signed as Stripe signs it and returns the status.
func (e *moneyEnv) post(payload []byte) int {
	e.t.Helper()
	body, header := stripemock.SignedPayload(e.t, webhookSecret, payload)
	return e.postRaw(body, header)
}

func (e *moneyEnv) postRaw(body []byte, header string) int {
	req := httptest.NewRequest("POST", "/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", header)
	resp, err := e.srv.App.Test(req, -1)
	if err != nil {
		e.t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// state reads the case's status, balance and number of payment rows.
func (e *moneyEnv) state() (portal.Status, int64, int) {
	e.t.Helper()
	d, err := e.Core.CaseDetail(context.Background(), e.cs.Case.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Case.Status, d.Balance.Cents(), len(d.Payments)
}

func (e *moneyEnv) wantState(status portal.Status, balance int64) {
	e.t.Helper()
	st, bal, _ := e.state()
	if st != status || bal != balance {
		e.t.Fatalf("case is %s with balance %d, want %s with %d", st, bal, status, balance)
	}
}

func TestWebhookSignatureChecks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newMoneyEnv(t, store, "")
		payload := e.checkoutCompleted("evt_sig", "pi_sig", 12345)
		good, header := stripemock.SignedPayload(t, webhookSecret, payload)
		_, wrongSecret := stripemock.SignedPayload(t, "whsec_someone_else", payload)
		stale, staleHeader := stripemock.StalePayload(t, webhookSecret, payload)
		tampered := bytes.Replace(good, []byte("12345"), []byte("99999"), 1)
		tests := []struct {
			name   string
			body   []byte
			header string
		}{
			{"no signature", good, ""},
			{"garbage signature", good, "t=1,v1=deadbeef"},
			{"wrong secret", good, wrongSecret},
			{"timestamp older than five minutes", stale, staleHeader},
			{"body changed after signing", tampered, header},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if st := e.postRaw(tc.body, tc.header); st != 400 {
					t.Fatalf("status = %d, want 400", st)
				}
				e.wantState("open", 12345)
				var n int64
				store.DB.Model(&portal.StripeEvent{}).Count(&n)
				if n != 0 {
					t.Fatalf("a rejected delivery recorded its event")
				}
			})
		}
		if st := e.postRaw(good, header); st != 200 {
			t.Fatalf("good signature: status = %d", st)
		}
		e.wantState("paid", 0)
	})
}

func TestSameEventTwentyTimesAtOnceCountsOnePayment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newMoneyEnv(t, store, "")
		payload := e.checkoutCompleted("evt_many", "pi_many", 12345)
		var wg sync.WaitGroup
		codes := make([]int, 20)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = e.post(payload)
			}()
		}
		wg.Wait()
		for i, c := range codes {
			if c != 200 {
				t.Errorf("delivery %d: status %d", i, c)
			}
		}
		e.wantState("paid", 0)
		if _, _, n := e.state(); n != 1 {
			t.Fatalf("%d payments recorded, want 1", n)
		}
	})
}

func TestEventOrders(t *testing.T) {
	type step struct {
		name string
		make func(e *moneyEnv) []byte
	}
	paid := step{"checkout completed", func(e *moneyEnv) []byte { return e.checkoutCompleted("evt_paid", "pi_1", 12345) }}
	intent := step{"intent succeeded", func(e *moneyEnv) []byte { return e.intentSucceeded("evt_pi", "pi_1", 12345) }}
	refundAll := step{"full refund", func(e *moneyEnv) []byte { return e.refunded("evt_ref_all", "pi_1", 12345, 12345) }}
	refundPart := step{"partial refund", func(e *moneyEnv) []byte { return e.refunded("evt_ref_part", "pi_1", 12345, 2345) }}
	disputeOpen := step{"dispute opened", func(e *moneyEnv) []byte {
		return e.dispute("evt_dp_open", "charge.dispute.created", "pi_1", 12345, "needs_response")
	}}
	disputeLost := step{"dispute lost", func(e *moneyEnv) []byte {
		return e.dispute("evt_dp_lost", "charge.dispute.closed", "pi_1", 12345, "lost")
	}}
	disputeWon := step{"dispute won", func(e *moneyEnv) []byte {
		return e.dispute("evt_dp_won", "charge.dispute.closed", "pi_1", 12345, "won")
	}}

	tests := []struct {
		name        string
		steps       []step
		wantStatus  portal.Status
		wantBalance int64
	}{
		{"payment closes the case", []step{paid}, "paid", 0},
		{"checkout and intent events count once", []step{paid, intent}, "paid", 0},
		{"intent before checkout counts once", []step{intent, paid}, "paid", 0},
		{"full refund reopens a paid case", []step{paid, refundAll}, "open", 12345},
		{"refund before success ends in the same state", []step{refundAll, paid}, "open", 12345},
		{"partial then full refund counts the larger", []step{paid, refundPart, refundAll}, "open", 12345},
		{"late partial refund after full changes nothing", []step{paid, refundAll, refundPart}, "open", 12345},
		{"lost dispute reopens the balance", []step{paid, disputeOpen, disputeLost}, "open", 12345},
		{"dispute closed before created", []step{paid, disputeLost, disputeOpen}, "open", 12345},
		{"won dispute keeps the case paid", []step{paid, disputeOpen, disputeWon}, "paid", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, store *portal.Store) {
				e := newMoneyEnv(t, store, "")
				for _, s := range tc.steps {
					// Every event is delivered twice: Stripe may.
					for range 2 {
						if st := e.post(s.make(e)); st != 200 {
							t.Fatalf("%s: status %d", s.name, st)
						}
					}
				}
				e.wantState(tc.wantStatus, tc.wantBalance)
			})
		})
	}
}

// A chargeback that arrives before its payment is held as unmatched money
// (nothing in the balance), then applied once the payment is recorded.
func TestDisputeBeforeItsPaymentMatchesLater(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newMoneyEnv(t, store, "")
		lost := e.dispute("evt_dp_early", "charge.dispute.closed", "pi_early", 12345, "lost")
		if st := e.post(lost); st != 200 {
			t.Fatalf("dispute for an unknown payment: status %d, want 200 (held as unmatched)", st)
		}
		var held []portal.UnmatchedMoney
		store.DB.Where("amount_cents <> 0").Find(&held)
		if len(held) != 1 || held[0].AmountCents != 12345 || held[0].Reason != portal.UnmatchedUnknownPayment || held[0].PaymentIntentID != "pi_early" {
			t.Fatalf("held before the payment = %+v, want one unknown_payment row of 12345 for pi_early", held)
		}
		e.wantState(portal.StatusOpen, 12345)
		if st := e.post(e.checkoutCompleted("evt_paid_early", "pi_early", 12345)); st != 200 {
			t.Fatalf("payment: status %d", st)
		}
		// Paid, then taken back by the lost chargeback: owed again, and
		// nothing left unmatched.
		e.wantState(portal.StatusOpen, 12345)
		held = nil
		store.DB.Where("amount_cents <> 0").Find(&held)
		if len(held) != 0 {
			t.Fatalf("still unmatched after the payment: %+v", held)
		}
		var evs []portal.TimelineEvent
		store.DB.Where("case_id = ? AND kind = ?", e.cs.Case.ID, "chargeback_lost").Find(&evs)
		if len(evs) != 1 {
			t.Fatalf("chargeback timeline events = %d, want 1", len(evs))
		}
	})
}

func TestDatabaseErrorMidWebhookWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newMoneyEnv(t, store, "")
		failing := true
		errBoom := errors.New("disk full")
		// Fail the timeline insert, which comes after the event id and the
		// payment row were written in the same transaction.
		err := store.DB.Callback().Create().Before("gorm:create").Register("test:fail_timeline", func(db *gorm.DB) {
			if failing && db.Statement.Table == "timeline_events" {
				_ = db.AddError(errBoom)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		payload := e.checkoutCompleted("evt_fail", "pi_fail", 12345)
		if st := e.post(payload); st != 500 {
			t.Fatalf("status = %d, want 500", st)
		}
		e.wantState("open", 12345)
		var events, pays int64
		store.DB.Model(&portal.StripeEvent{}).Count(&events)
		store.DB.Model(&portal.Payment{}).Count(&pays)
		if events != 0 || pays != 0 {
			t.Fatalf("half-written: %d events, %d payments", events, pays)
		}
		failing = false
		if st := e.post(payload); st != 200 {
			t.Fatalf("redelivery: status %d", st)
		}
		e.wantState("paid", 0)
	})
}

func TestUnknownEventIsAcknowledged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newMoneyEnv(t, store, "")
		if st := e.post(e.event("evt_cust", "customer.created", map[string]any{"id": "cus_1", "object": "customer"})); st != 200 {
			t.Fatalf("status = %d", st)
		}
		e.wantState("open", 12345)
	})
}

func TestOverpaymentIsRecordedNotLost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newMoneyEnv(t, store, "")
		e.post(e.checkoutCompleted("evt_a", "pi_a", 12345))
		e.post(e.intentSucceeded("evt_b", "pi_b", 1000))
		st, bal, n := e.state()
		if st != "paid" || bal != -1000 || n != 2 {
			t.Fatalf("state %s balance %d payments %d", st, bal, n)
		}
		var over int64
		store.DB.Model(&portal.TimelineEvent{}).Where("kind = 'overpaid'").Count(&over)
		if over == 0 {
			t.Fatal("overpayment not written to the timeline")
		}
	})
}
