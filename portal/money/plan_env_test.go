package money_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/testkit"
)

const planWebhookSecret = "whsec_plan_tests"

// planEnv is a service on a fresh database, talking to stripe-mock through a
// recording proxy that makes PaymentIntents succeed and names a saved card
// on the intents a checkout completed.
type planEnv struct {
	*testkit.Kit
	t        testing.TB
	proxy    *stripemock.Proxy
	creditor portal.Creditor
	evts     int
}

func planStripeProxy(t testing.TB) *stripemock.Proxy {
	p := stripemock.NewProxy(t, stripemock.Start(t))
	p.Rewrite("POST", "/v1/payment_intents", func(o map[string]any) {
		o["status"] = "succeeded"
		delete(o, "last_payment_error")
	})
	saved := func(o map[string]any) {
		o["payment_method"] = "pm_card_visa"
		if o["customer"] == nil {
			o["customer"] = "cus_from_intent"
		}
	}
	p.Rewrite("GET", "/v1/payment_intents/", saved)
	p.Rewrite("GET", "/v1/setup_intents/", saved)
	return p
}

func planStripeClient(base string, hc *http.Client) *payments.Client {
	return payments.New(payments.Config{SecretKey: stripemock.TestKey, WebhookSecret: planWebhookSecret, APIBase: base, HTTPClient: hc})
}

// newPlanService is another process's money area on store, with the
// shared clock.
func newPlanService(t testing.TB, store *portal.Store, client *payments.Client, c *testkit.Clock) *money.Service {
	return testkit.New(t, store, testkit.Options{Stripe: client, Clock: c}).Money
}

// planStart is Friday 31 January 2025, 10:00 in Paris: a month end, so monthly
// plans fall on 28 February and 31 March.
var planStart = time.Date(2025, 1, 31, 9, 0, 0, 0, time.UTC)

func newPlanEnv(t *testing.T, store *portal.Store, pol *plans.Policy) *planEnv {
	t.Helper()
	e := &planEnv{t: t, proxy: planStripeProxy(t)}
	e.Kit = testkit.New(t, store, testkit.Options{Start: planStart, Stripe: planStripeClient(e.proxy.URL, nil)})
	e.creditor, _ = e.Creditor("Énergie Claire", pol)
	return e
}

// newCase creates an open case owing amount cents.
func (e *planEnv) newCase(ref string, amount int64) portal.Case {
	e.t.Helper()
	nc := portal.NewCase{Reference: ref, Currency: "EUR",
		Debtor: portal.NewDebtor{Name: "Camille Martin", Email: "camille@example.org", Postcode: "75011", Language: "fr", Kind: "consumer"},
		Invoices: []portal.NewInvoice{{Number: "F-" + ref, IssuedOn: "2024-11-02", DueOn: "2024-12-02",
			Lines: []portal.NewLine{{Label: "Électricité", AmountCents: amount, Kind: portal.LinePrincipal}}}}}
	d, err := e.Core.CreateCase(context.Background(), e.creditor, nc, portal.CreditorActor(e.creditor.ID))
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Case
}

// deliver signs a Stripe event around obj, parses it as the webhook does
// and applies it.
func (e *planEnv) deliver(typ string, obj map[string]any) {
	e.t.Helper()
	e.evts++
	payload, _ := json.Marshal(map[string]any{
		"id": fmt.Sprintf("evt_%s_%d", e.t.Name(), e.evts), "object": "event", "api_version": "2023-10-16",
		"created": time.Now().Unix(), "type": typ, "livemode": false, "data": map[string]any{"object": obj},
	})
	body, header := stripemock.SignedPayload(e.t, planWebhookSecret, payload)
	ev, err := e.Stripe.ParseEvent(body, header)
	if err != nil {
		e.t.Fatalf("parse %s: %v", typ, err)
	}
	if _, err := e.Money.ApplyStripeEvent(context.Background(), ev); err != nil {
		e.t.Fatalf("apply %s: %v", typ, err)
	}
}

func instalmentMeta(in portal.Instalment) map[string]any {
	return map[string]any{"case_id": strconv.FormatInt(in.CaseID, 10), "plan_id": strconv.FormatInt(in.PlanID, 10),
		"installment_id": strconv.FormatInt(in.ID, 10)}
}

// checkoutPaid is checkout.session.completed for a plan's first instalment;
// like Stripe's, it names the PaymentIntent but not the card.
func (e *planEnv) checkoutPaid(in portal.Instalment, pi string) {
	e.deliver("checkout.session.completed", map[string]any{
		"id": "cs_" + pi, "object": "checkout.session", "mode": "payment", "payment_status": "paid", "status": "complete",
		"amount_total": in.AmountCents, "currency": "eur", "payment_intent": pi, "customer": "cus_checkout", "metadata": instalmentMeta(in),
	})
}

// intentSucceeded is payment_intent.succeeded for an instalment.
func (e *planEnv) intentSucceeded(in portal.Instalment, pi string) {
	e.deliver("payment_intent.succeeded", map[string]any{
		"id": pi, "object": "payment_intent", "amount": in.AmountCents, "amount_received": in.AmountCents, "currency": "eur",
		"status": "succeeded", "latest_charge": "ch_" + pi, "customer": "cus_checkout", "payment_method": "pm_card_visa", "metadata": instalmentMeta(in),
	})
}

// setupCompleted is checkout.session.completed for a setup-mode session.
func (e *planEnv) setupCompleted(c portal.Case, planID int64, seti string) {
	e.deliver("checkout.session.completed", map[string]any{
		"id": "cs_" + seti, "object": "checkout.session", "mode": "setup", "status": "complete", "setup_intent": seti,
		"customer": "cus_setup", "metadata": map[string]any{"case_id": strconv.FormatInt(c.ID, 10), "plan_id": strconv.FormatInt(planID, 10)},
	})
}

func (e *planEnv) plan(id int64) portal.Plan {
	e.t.Helper()
	var p portal.Plan
	if err := e.Store.DB.Preload("Instalments", func(q *gorm.DB) *gorm.DB { return q.Order("seq") }).Take(&p, id).Error; err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *planEnv) caseStatus(id int64) portal.Status {
	e.t.Helper()
	var c portal.Case
	if err := e.Store.DB.Take(&c, id).Error; err != nil {
		e.t.Fatal(err)
	}
	return c.Status
}

// timelineKinds lists a case's timeline event kinds, oldest first.
func (e *planEnv) timelineKinds(caseID int64) []string {
	evs, err := e.Core.Timeline(context.Background(), caseID)
	if err != nil {
		e.t.Fatal(err)
	}
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = string(ev.Kind)
	}
	return out
}

// activePlan takes a case through a monthly plan of count instalments and
// its first payment, and returns the active plan.
func (e *planEnv) activePlan(c portal.Case, count int) portal.Plan {
	e.t.Helper()
	out, err := e.Money.RequestPlan(context.Background(), c.ID, portal.PlanRequest{Frequency: plans.Monthly, Count: count}, "fr")
	if err != nil || out.Status != portal.PlanStatusPending {
		e.t.Fatalf("request plan: %+v, %v", out, err)
	}
	p := e.plan(out.PlanID)
	e.checkoutPaid(p.Instalments[0], fmt.Sprintf("pi_first_%d", c.ID))
	p = e.plan(out.PlanID)
	if p.Status != portal.PlanStatusActive {
		e.t.Fatalf("plan is %s after the first payment", p.Status)
	}
	return p
}

// postsTo returns the POSTs the proxy received on a path prefix.
func (e *planEnv) postsTo(prefix string) []stripemock.Request {
	var out []stripemock.Request
	for _, r := range e.proxy.Requests(prefix) {
		if r.Method == http.MethodPost {
			out = append(out, r)
		}
	}
	return out
}
