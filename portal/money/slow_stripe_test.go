package money_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/payments/stripemock"
	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

// gate holds every Stripe call to one path until released, and says when
// the first one arrived.
type gate struct {
	path     string
	arrived  chan struct{}
	released chan struct{}
	next     http.RoundTripper
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.URL.Path, g.path) {
		select {
		case g.arrived <- struct{}{}:
		default:
		}
		<-g.released
	}
	return g.next.RoundTrip(r)
}

// TestSlowStripeDoesNotBlockWrites applies a setup-mode checkout whose
// saved card must be asked of Stripe, and holds Stripe's answer: while the
// webhook waits, another request takes the same case's row lock and writes.
// With the question asked inside the webhook's transaction, SQLite (one
// connection) and PostgreSQL (the case row lock) would both make it wait.
func TestSlowStripeDoesNotBlockWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newPlanEnv(t, store, nil)
		c := e.newCase("REF-SLOW", 30000)
		out, err := e.Money.RequestPlan(ctx, c.ID, portal.PlanRequest{Frequency: plans.Monthly, Count: 3, StartOn: portal.DateOf(planStart.AddDate(0, 0, 7))}, "fr")
		if err != nil || out.Status != portal.PlanStatusPending {
			t.Fatalf("request: %+v, %v", out, err)
		}
		g := &gate{path: "/v1/setup_intents/", arrived: make(chan struct{}, 1), released: make(chan struct{}), next: http.DefaultTransport}
		slow := testkit.New(t, store, testkit.Options{Stripe: planStripeClient(e.proxy.URL, &http.Client{Transport: g}), Clock: e.Clock})

		payload, _ := json.Marshal(map[string]any{
			"id": "evt_slow_setup", "object": "event", "api_version": "2023-10-16", "created": time.Now().Unix(),
			"type": "checkout.session.completed", "data": map[string]any{"object": map[string]any{
				"id": "cs_slow", "object": "checkout.session", "mode": "setup", "status": "complete", "setup_intent": "seti_slow",
				"metadata": map[string]any{"case_id": strconv.FormatInt(c.ID, 10), "plan_id": strconv.FormatInt(out.PlanID, 10)}}},
		})
		body, header := stripemock.SignedPayload(t, planWebhookSecret, payload)
		ev, err := slow.Money.ParseEvent(body, header)
		if err != nil {
			t.Fatal(err)
		}
		applied := make(chan error, 1)
		go func() {
			_, err := slow.Money.ApplyStripeEvent(ctx, ev)
			applied <- err
		}()
		select {
		case <-g.arrived:
		case err := <-applied:
			t.Fatalf("the webhook finished without asking Stripe for the saved card: %v", err)
		case <-time.After(10 * time.Second):
			t.Fatal("the webhook never asked Stripe for the saved card")
		}

		// Stripe is answering slowly: another request locks the case and writes.
		wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		err = store.Tx(wctx, func(tx *gorm.DB) error {
			if _, err := e.Core.LoadPlanCase(tx, c.ID, true); err != nil {
				return err
			}
			return portal.Record(tx, e.Clock.Now(), c.ID, portal.EventLinkOpened, portal.DebtorActor, nil)
		})
		close(g.released)
		if err != nil {
			t.Fatalf("a write on the case waited for Stripe: %v", err)
		}
		if err := <-applied; err != nil {
			t.Fatalf("apply: %v", err)
		}
		if p := e.plan(out.PlanID); p.Status != portal.PlanStatusActive || p.StripePaymentMethodID == "" {
			t.Fatalf("plan %s with card %q after the slow answer", p.Status, p.StripePaymentMethodID)
		}
	})
}
