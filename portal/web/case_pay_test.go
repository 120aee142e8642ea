package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// payFixture is a signed-in debtor whose portal talks to stripe-mock
// through a counting proxy, and verifies webhooks with webhookSecret.
type payFixture struct {
	*debtorFixture
	proxy   *stripemock.Proxy
	browser *debtorBrowser
}

func newPayFixture(t *testing.T, store *portal.Store) *payFixture {
	t.Helper()
	return newPayFixtureWith(t, store, true)
}

// newPayFixtureWith is newPayFixture with card payment configured or not.
func newPayFixtureWith(t *testing.T, store *portal.Store, card bool) *payFixture {
	t.Helper()
	proxy := stripemock.NewProxy(t, stripemock.Start(t))
	var n atomic.Int64
	// stripe-mock answers every session with the same id; Stripe never does.
	proxy.Rewrite("POST", "/v1/checkout/sessions", func(o map[string]any) {
		o["id"] = fmt.Sprintf("cs_test_%d", n.Add(1))
		o["url"] = fmt.Sprintf("https://checkout.stripe.com/c/pay/cs_test_%d", n.Load())
	})
	stripe := payments.New(payments.Config{})
	if card {
		stripe = payments.New(payments.Config{SecretKey: stripemock.TestKey, APIBase: proxy.URL, WebhookSecret: webhookSecret})
	}
	f := newDebtorFixture(t, store, fixtureOptions{stripe: stripe})
	// Cookies and webhook signatures are checked against the real time, so
	// this fixture's clock starts now, with a link made now.
	f.Clock.Add(time.Until(f.Clock.Now()) * -1)
	f.token = f.newLink(f.caseID, 0)
	b := f.visitor()
	b.signIn(f.token)
	b.get("/case")
	return &payFixture{debtorFixture: f, proxy: proxy, browser: b}
}

// webhook delivers a signed event to the app.
func (f *payFixture) webhook(typ string, obj map[string]any) int {
	f.t.Helper()
	raw, _ := json.Marshal(map[string]any{"id": "evt_" + obj["id"].(string), "object": "event", "api_version": "2023-10-16",
		"created": f.Clock.Now().Unix(), "type": typ, "data": map[string]any{"object": obj}})
	body, header := stripemock.SignedPayloadAt(f.t, webhookSecret, raw, f.Clock.Now())
	req, _ := http.NewRequest("POST", "/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Stripe-Signature", header)
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.srv.App.Test(req, -1)
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (f *payFixture) completed(sessionID, pi string, amount int64) int {
	return f.webhook("checkout.session.completed", map[string]any{
		"id": sessionID, "object": "checkout.session", "mode": "payment", "payment_status": "paid",
		"amount_total": amount, "currency": "eur", "payment_intent": pi, "metadata": map[string]any{"case_id": fmt.Sprint(f.caseID)},
	})
}

func (f *payFixture) caseState() (portal.Status, int64) {
	f.t.Helper()
	d, err := f.Core.CaseDetail(context.Background(), f.caseID)
	if err != nil {
		f.t.Fatal(err)
	}
	return d.Case.Status, d.Balance.Cents()
}

func TestPayInFullEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newPayFixture(t, store)
		r := f.browser.post("/case/pay", url.Values{"choice": {"full"}})
		wantPageStatus(t, "pay", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "https://checkout.stripe.com/") {
			t.Fatalf("redirected to %q", loc)
		}
		reqs := f.proxy.Requests("/v1/checkout/sessions")
		if len(reqs) != 1 {
			t.Fatalf("%d checkout requests", len(reqs))
		}
		form := reqs[0].Form
		for k, want := range map[string]string{
			"mode": "payment", "metadata[case_id]": fmt.Sprint(f.caseID), "payment_intent_data[metadata][case_id]": fmt.Sprint(f.caseID),
			"line_items[0][price_data][unit_amount]": "124950", "line_items[0][price_data][currency]": "eur", "locale": "fr",
			"client_reference_id": fmt.Sprintf("case-%d", f.caseID), "customer_email": "camille@example.org",
			"success_url": "http://localhost:8080/case/paid?session_id={CHECKOUT_SESSION_ID}", "cancel_url": "http://localhost:8080/case",
		} {
			if got := form.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		if !strings.HasPrefix(reqs[0].IdempotencyKey, fmt.Sprintf("reglo:checkout:case:%d:amount:124950:", f.caseID)) {
			t.Errorf("idempotency key %q", reqs[0].IdempotencyKey)
		}

		// Back from Stripe before the webhook: nothing is claimed yet.
		r = f.browser.get("/case/paid?session_id=cs_test_1")
		wantPageStatus(t, "return", r, http.StatusOK)
		pageHas(t, "return before webhook", r.body, "Nous confirmons votre paiement", "Vérifier à nouveau")
		if st, bal := f.caseState(); st != "open" || bal != 124950 {
			t.Fatalf("the return alone changed the case: %s %d", st, bal)
		}

		if st := f.completed("cs_test_1", "pi_full", 124950); st != 200 {
			t.Fatalf("webhook: %d", st)
		}
		if st, bal := f.caseState(); st != "paid" || bal != 0 {
			t.Fatalf("after webhook: %s %d", st, bal)
		}
		r = f.browser.get("/case/paid?session_id=cs_test_1")
		pageHas(t, "return after webhook", r.body, "Merci, votre paiement est confirmé", "1\u202f249,50\u00a0€", "Il ne reste rien à payer", "/case/receipts/")
		receipt := regexpFind(t, r.body, `href="(/case/receipts/\d+)"`)
		r = f.browser.get(receipt)
		wantPageStatus(t, "receipt", r, http.StatusOK)
		pageHas(t, "receipt", r.body, "Reçu R-", "Atelier Dupont SARL", debtorReference, "Paiement du montant total", "1\u202f249,50\u00a0€")
		r = f.browser.get(receipt + "/pdf")
		wantPageStatus(t, "receipt pdf", r, http.StatusOK)
		if r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF-") {
			t.Fatalf("receipt pdf: %s", r.header.Get("Content-Type"))
		}
		r = f.browser.get("/case")
		pageHas(t, "case page once paid", r.body, "1\u202f249,50\u00a0€")

		// Another debtor cannot see this receipt.
		other := f.visitor()
		other.signIn(f.newLink(f.caseID, 0))
		stranger := f.visitor()
		wantPageStatus(t, "receipt without session", stranger.get(receipt), http.StatusUnauthorized)
	})
}

func regexpFind(t *testing.T, body, expr string) string {
	t.Helper()
	m := regexpMust(expr).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in page", expr)
	}
	return m[1]
}

func TestDoubleTapAndTwoTabsGiveOneCheckoutSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newPayFixture(t, store)
		first := f.browser.post("/case/pay", url.Values{"choice": {"full"}})
		second := f.browser.post("/case/pay", url.Values{"choice": {"full"}})
		// Two tabs at the same moment.
		var wg sync.WaitGroup
		locs := make([]string, 4)
		for i := range locs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				locs[i] = f.browser.post("/case/pay", url.Values{"choice": {"full"}}).header.Get("Location")
			}()
		}
		wg.Wait()
		want := first.header.Get("Location")
		if want == "" || second.header.Get("Location") != want {
			t.Fatalf("double tap: %q then %q", want, second.header.Get("Location"))
		}
		for _, l := range locs {
			if l != want {
				t.Fatalf("concurrent tab went to %q, want %q", l, want)
			}
		}
		if n := f.proxy.Created("/v1/checkout/sessions"); n != 1 {
			t.Fatalf("%d checkout sessions created at Stripe, want 1", n)
		}
		var rows int64
		store.DB.Model(&portal.CheckoutSession{}).Count(&rows)
		if rows != 1 {
			t.Fatalf("%d checkout session rows", rows)
		}
	})
}

func TestPayRefusals(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(f *payFixture)
		status int
		says   string
	}{
		{"a contested case is not asked to pay", func(f *payFixture) { f.setStatus("disputed") }, http.StatusConflict, "Le paiement est en pause"},
		{"a paid case has nothing to pay", func(f *payFixture) { f.setStatus("paid") }, http.StatusConflict, "Il n&#39;y a rien à payer"},
		{"no Stripe key says card payment is not available", nil, http.StatusServiceUnavailable, "pas encore disponible"},
		{"an expired or absent settlement offer is refused", func(f *payFixture) {}, http.StatusUnprocessableEntity, "Cette offre est terminée"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, store *portal.Store) {
				f := newPayFixtureWith(t, store, tc.setup != nil)
				if tc.setup != nil {
					tc.setup(f)
				}
				choice := "full"
				if strings.Contains(tc.name, "settlement") {
					choice = "settlement"
				}
				r := f.browser.post("/case/pay", url.Values{"choice": {choice}})
				wantPageStatus(t, "pay", r, tc.status)
				pageHas(t, "pay", r.body, tc.says)
				if n := f.proxy.Count("/v1/"); n != 0 {
					t.Fatalf("%d requests reached Stripe", n)
				}
			})
		})
	}
}

func TestPayWithoutCSRFOrSessionChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newPayFixture(t, store)
		r := f.browser.postRaw("/case/pay", url.Values{"choice": {"full"}})
		wantPageStatus(t, "pay without csrf", r, http.StatusForbidden)
		stranger := f.visitor()
		stranger.get("/l/" + f.newLink(f.caseID, 0))
		r = stranger.post("/case/pay", url.Values{"choice": {"full"}})
		wantPageStatus(t, "pay without session", r, http.StatusUnauthorized)
		if n := f.proxy.Count("/v1/"); n != 0 {
			t.Fatalf("%d requests reached Stripe", n)
		}
	})
}

func TestSettlementOfferPaidClosesTheCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newPayFixture(t, store)
		p := plans.DefaultPolicy()
		p.SettlementDiscountPercent, p.SettlementValidDays = 10, 14
		if _, err := f.Core.UpdatePolicy(context.Background(), f.creditor.ID, p, portal.SystemActor); err != nil {
			t.Fatal(err)
		}
		// The offer runs from the case's creation: make it a fresh case.
		store.DB.Model(&portal.Case{}).Where("id = ?", f.caseID).Update("created_at", f.Clock.Now())
		r := f.browser.post("/case/pay", url.Values{"choice": {"settlement"}})
		wantPageStatus(t, "settle", r, http.StatusSeeOther)
		form := f.proxy.Requests("/v1/checkout/sessions")[0].Form
		if got := form.Get("line_items[0][price_data][unit_amount]"); got != "112455" {
			t.Fatalf("settlement amount sent = %s, want 112455 (124950 less 10%%, rounded for the debtor)", got)
		}
		if st := f.completed("cs_test_1", "pi_settle", 112455); st != 200 {
			t.Fatalf("webhook: %d", st)
		}
		if st, bal := f.caseState(); st != "paid" || bal != 0 {
			t.Fatalf("after settlement: %s %d", st, bal)
		}
		// A full refund of the settlement brings the whole debt back.
		st := f.webhook("charge.refunded", map[string]any{"id": "ch_settle", "object": "charge", "amount": 112455, "amount_refunded": 112455,
			"currency": "eur", "payment_intent": "pi_settle", "metadata": map[string]any{}})
		if st != 200 {
			t.Fatalf("refund webhook: %d", st)
		}
		if st, bal := f.caseState(); st != "open" || bal != 124950 {
			t.Fatalf("after refund: %s %d", st, bal)
		}
	})
}
