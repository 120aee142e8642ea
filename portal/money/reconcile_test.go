package money_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
	"github.com/reglo/reglo/portal/web"
)

const reconcileSecret = "whsec_reconcile_tests"

// reconcileEnv is Stripe's event list in front of stripe-mock, a kit whose
// Stripe client lists from it, and the real web app for the webhook.
type reconcileEnv struct {
	*testkit.Kit
	t        *testing.T
	events   *stripemock.Events
	srv      *web.Server
	creditor portal.Creditor
	log      *bytes.Buffer
	n        int
}

func newReconcileEnv(t *testing.T, store *portal.Store) *reconcileEnv {
	t.Helper()
	e := &reconcileEnv{t: t, events: stripemock.NewEvents(t, stripemock.Start(t)), log: &bytes.Buffer{}}
	client := payments.New(payments.Config{SecretKey: stripemock.TestKey, WebhookSecret: reconcileSecret, APIBase: e.events.URL})
	e.Kit = testkit.New(t, store, testkit.Options{Stripe: client, Log: slog.New(slog.NewJSONHandler(e.log, nil))})
	e.srv = web.New(web.Config{Services: e.Services, BaseURL: "http://localhost:8080", Log: slog.New(slog.DiscardHandler)})
	e.creditor, _ = e.Creditor("Énergie Claire", nil)
	return e
}

// event adds to Stripe's list an event created ago before now, and
// returns its payload.
func (e *reconcileEnv) event(typ string, ago time.Duration, obj map[string]any) (id string, payload []byte) {
	e.n++
	id = fmt.Sprintf("evt_%d_%s", e.n, strings.ReplaceAll(typ, ".", "_"))
	return id, e.events.Add(id, typ, time.Now().Add(-ago), obj)
}

// deliver posts a payload to the webhook, signed as Stripe signs it.
func (e *reconcileEnv) deliver(payload []byte) {
	e.t.Helper()
	body, header := stripemock.SignedPayload(e.t, reconcileSecret, payload)
	req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", header)
	resp, err := e.srv.App.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("webhook answered %d", resp.StatusCode)
	}
}

func checkoutPaid(c portal.Case, pi string, cents int64) map[string]any {
	return map[string]any{"id": "cs_" + pi, "object": "checkout.session", "mode": "payment", "payment_status": "paid", "status": "complete",
		"amount_total": cents, "currency": "eur", "payment_intent": pi, "customer_email": "camille@example.org",
		"metadata": map[string]any{"case_id": strconv.FormatInt(c.ID, 10)}}
}

func intentSucceeded(c portal.Case, pi string, cents int64) map[string]any {
	return map[string]any{"id": pi, "object": "payment_intent", "amount": cents, "amount_received": cents, "currency": "eur",
		"status": "succeeded", "latest_charge": "ch_" + pi, "metadata": map[string]any{"case_id": strconv.FormatInt(c.ID, 10)}}
}

// refunded is charge.refunded as Stripe sends it for a Checkout payment:
// the charge carries no metadata of Reglo's, so only its PaymentIntent
// names the case.
func refunded(pi string, cents, refundedCents int64) map[string]any {
	return map[string]any{"id": "ch_" + pi, "object": "charge", "amount": cents, "amount_refunded": refundedCents, "currency": "eur",
		"payment_intent": pi, "refunded": false}
}

func (e *reconcileEnv) balance(c portal.Case) int64 {
	e.t.Helper()
	d, err := e.Core.CaseDetail(context.Background(), c.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Balance.Cents()
}

// count counts a case's timeline events of a kind.
func (e *reconcileEnv) count(c portal.Case, kind portal.EventKind) int {
	e.t.Helper()
	evs, err := e.Core.Timeline(context.Background(), c.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

func (e *reconcileEnv) reconcile() money.Reconciliation {
	e.t.Helper()
	r, err := e.Money.Reconcile(context.Background(), time.Now().Add(-money.ReconcileWindow), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if sum := r.Applied + r.AlreadyProcessed + r.NotReady + r.Malformed + r.Failed; sum != r.Seen {
		e.t.Errorf("%+v: the counts add up to %d, not seen", r, sum)
	}
	return r
}

// The scenario: some events reach the webhook, others are lost on
// purpose; reconciliation applies each lost one once, skips the unreadable
// one, leaves alone what is older than its window, and a second run
// changes nothing.
func TestReconcileAppliesLostEventsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newReconcileEnv(t, store)
		c := e.Case(e.creditor, "REF-LOST", 30000)

		_, first := e.event("checkout.session.completed", 50*time.Minute, checkoutPaid(c, "pi_first", 10000))
		e.deliver(first)
		e.event("payment_intent.succeeded", 49*time.Minute, intentSucceeded(c, "pi_first", 10000)) // lost: the same money as first
		e.event("checkout.session.completed", 40*time.Minute, checkoutPaid(c, "pi_second", 5000))  // lost
		e.event("charge.refunded", 30*time.Minute, refunded("pi_second", 5000, 2000))              // lost
		broken := checkoutPaid(c, "pi_broken", 700)
		delete(broken, "mode")
		e.event("checkout.session.completed", 10*time.Minute, broken)
		e.event("checkout.session.completed", 80*time.Hour, checkoutPaid(c, "pi_too_old", 100)) // before the window

		r := e.reconcile()
		want := money.Reconciliation{Seen: 5, Applied: 3, AlreadyProcessed: 1, Malformed: 1}
		if r != want {
			t.Fatalf("first run: %+v, want %+v", r, want)
		}
		if got := e.balance(c); got != 30000-10000-5000+2000 {
			t.Errorf("balance %d after the first run, want 17000", got)
		}
		if n := e.count(c, portal.EventPaymentSucceeded); n != 2 {
			t.Errorf("%d payments on the timeline, want 2", n)
		}
		if n := e.count(c, portal.EventRefunded); n != 1 {
			t.Errorf("%d refunds on the timeline, want 1", n)
		}
		logs := e.log.String()
		if !strings.Contains(logs, "stripe event not readable") || strings.Contains(logs, "camille") || strings.Contains(logs, "Camille") {
			t.Errorf("the unreadable event is not logged, or its data is:\n%s", logs)
		}

		r = e.reconcile()
		want = money.Reconciliation{Seen: 5, AlreadyProcessed: 4, Malformed: 1}
		if r != want {
			t.Fatalf("second run: %+v, want %+v", r, want)
		}
		if got := e.balance(c); got != 17000 {
			t.Errorf("balance %d after the second run, want 17000", got)
		}

		// Later, one more payment's webhook arrives and its sibling's is lost.
		_, third := e.event("checkout.session.completed", 5*time.Minute, checkoutPaid(c, "pi_third", 1000))
		e.deliver(third)
		e.event("payment_intent.succeeded", 4*time.Minute, intentSucceeded(c, "pi_third", 1000))
		r = e.reconcile()
		want = money.Reconciliation{Seen: 7, Applied: 1, AlreadyProcessed: 5, Malformed: 1}
		if r != want {
			t.Fatalf("third run: %+v, want %+v", r, want)
		}
		if got := e.balance(c); got != 16000 {
			t.Errorf("balance %d at the end, want 16000", got)
		}
		var card int64
		store.DB.Model(&portal.Payment{}).Where("case_id = ? AND kind = ?", c.ID, portal.PaymentCard).Count(&card)
		if card != 3 {
			t.Errorf("%d card payments recorded, want 3 (first, second, third)", card)
		}
	})
}

func TestReconcileNeedsStripe(t *testing.T) {
	k := testkit.New(t, storetest.Open(t, "sqlite"), testkit.Options{})
	if _, err := k.Money.Reconcile(context.Background(), time.Now(), nil); !errors.Is(err, payments.ErrNotConfigured) {
		t.Fatalf("without a key: %v, want ErrNotConfigured", err)
	}
}

// Two processes (each its own store and Stripe client) reconcile the same
// 200 lost payments at once on PostgreSQL: each event is recorded once and
// each payment counted once.
func TestTwoReconcilesApplyEachEventOnce(t *testing.T) {
	if !slices.Contains(storetest.Dialects(), "postgres") {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite has a single writer")
	}
	ctx := context.Background()
	url := storetest.URL(t, "postgres")
	stores := make([]*portal.Store, 2)
	for i := range stores {
		s, err := portal.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	e := newReconcileEnv(t, stores[0])
	e.events.PageSize = 50
	const perCase, cases = 10, 20
	var all []portal.Case
	for i := range cases {
		c := e.Case(e.creditor, fmt.Sprintf("REF-TWO-%02d", i), perCase*1000)
		all = append(all, c)
		for k := range perCase {
			e.event("checkout.session.completed", time.Duration(cases*perCase-i*perCase-k)*time.Second,
				checkoutPaid(c, fmt.Sprintf("pi_two_%d_%d", i, k), 1000))
		}
	}
	other := testkit.New(t, stores[1], testkit.Options{Clock: e.Clock, Stripe: payments.New(payments.Config{SecretKey: stripemock.TestKey, APIBase: e.events.URL})})
	svcs := []*money.Service{e.Money, other.Money}

	results := make([]money.Reconciliation, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, svc := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = svc.Reconcile(ctx, time.Now().Add(-time.Hour), nil)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	t.Logf("two reconciles: %+v and %+v", results[0], results[1])
	total := cases * perCase
	for i, r := range results {
		if r.Seen != total || r.Failed != 0 || r.NotReady != 0 || r.Applied+r.AlreadyProcessed != total {
			t.Errorf("process %d: %+v", i+1, r)
		}
	}
	if applied := results[0].Applied + results[1].Applied; applied != total {
		t.Errorf("%d events applied in all, want %d: each exactly once", applied, total)
	}
	var events, paid int64
	stores[1].DB.Model(&portal.StripeEvent{}).Count(&events)
	stores[1].DB.Model(&portal.Payment{}).Where("kind = ?", portal.PaymentCard).Count(&paid)
	if events != int64(total) || paid != int64(total) {
		t.Errorf("%d events and %d payments recorded, want %d of each", events, paid, total)
	}
	for _, c := range all {
		if b := e.balance(c); b != 0 {
			t.Errorf("case %s: balance %d, want 0", c.Reference, b)
		}
		if n := e.count(c, portal.EventPaymentSucceeded); n != perCase {
			t.Errorf("case %s: %d payments on the timeline, want %d", c.Reference, n, perCase)
		}
	}
}

// A process's first periodic run looks back three days, the next from the
// last run's start minus the margin (the internal test covers the rest).
func TestReconcilerWindow(t *testing.T) {
	e := newReconcileEnv(t, storetest.Open(t, "sqlite"))
	c := e.Case(e.creditor, "REF-WINDOW", 5000)
	rc := money.NewReconciler(e.Money)
	ctx := context.Background()
	gte := func(run int) time.Time {
		t.Helper()
		qs := e.events.Queries()
		if len(qs) <= run {
			t.Fatalf("%d listings, want run %d", len(qs), run+1)
		}
		n, _ := strconv.ParseInt(qs[run].Get("created[gte]"), 10, 64)
		return time.Unix(n, 0)
	}
	near := func(what string, got, want time.Time) {
		t.Helper()
		if d := got.Sub(want); d < -time.Second || d > time.Second {
			t.Errorf("%s: created[gte] %s, want %s", what, got.UTC(), want.UTC())
		}
	}

	e.event("checkout.session.completed", 2*time.Hour, checkoutPaid(c, "pi_window_old", 1000))
	start := e.Clock.Now()
	r, ran, err := rc.RunOnce(ctx)
	if err != nil || !ran || r.Applied != 1 {
		t.Fatalf("first run: %+v, %v, ran %v", r, err, ran)
	}
	near("first run", gte(0), start.Add(-72*time.Hour))

	e.Clock.Add(5 * time.Minute)
	e.event("checkout.session.completed", time.Minute, checkoutPaid(c, "pi_window_new", 1000))
	if r, _, err = rc.RunOnce(ctx); err != nil || r.Seen != 1 || r.Applied != 1 {
		t.Fatalf("second run: %+v, %v; want only the new event", r, err)
	}
	near("second run", gte(1), start.Add(-10*time.Minute))
	if got := e.balance(c); got != 3000 {
		t.Errorf("balance %d, want 3000", got)
	}
}

// On PostgreSQL a periodic run is skipped while another process holds the
// reconciliation lock, and runs once it is released.
func TestReconcilerSkipsWhileAnotherProcessRuns(t *testing.T) {
	if !slices.Contains(storetest.Dialects(), "postgres") {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL)")
	}
	ctx := context.Background()
	url := storetest.URL(t, "postgres")
	store, err := portal.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e := newReconcileEnv(t, store)

	other, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var locked bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", money.ReconcileLockKey).Scan(&locked); err != nil || !locked {
		t.Fatalf("take the lock: %v %v", locked, err)
	}
	rc := money.NewReconciler(e.Money)
	if _, ran, err := rc.RunOnce(ctx); err != nil || ran {
		t.Fatalf("while another process reconciles: ran %v, %v", ran, err)
	}
	if n := len(e.events.Queries()); n != 0 {
		t.Fatalf("a skipped run asked Stripe %d times", n)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", money.ReconcileLockKey); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the lock is given back after each run
		if _, ran, err := rc.RunOnce(ctx); err != nil || !ran {
			t.Fatalf("once released: ran %v, %v", ran, err)
		}
	}
}
