package money_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

// seedDue creates cases with active monthly plans whose instalments are all
// due, perCase each, straight in the database, and returns their ids.
func seedDue(t testing.TB, e *planEnv, cases, perCase int) []int64 {
	t.Helper()
	return seedDueB(t, e, 0, cases, perCase)
}

// seedDueB is seedDue with a round number that keeps references unique.
func seedDueB(t testing.TB, e *planEnv, round, cases, perCase int) []int64 {
	t.Helper()
	db := e.Store.DB
	now := e.Clock.Now()
	var ids []int64
	for i := range cases {
		c := e.newCase(fmt.Sprintf("REF-DUE-%d-%04d", round, i), int64(perCase)*1000)
		p := portal.Plan{CaseID: c.ID, Status: portal.PlanStatusActive, Frequency: "monthly", InstalmentCount: perCase,
			TotalCents: int64(perCase) * 1000, StripeCustomerID: "cus_seed", StripePaymentMethodID: "pm_card_visa", CreatedAt: now, UpdatedAt: now}
		if err := db.Omit("Instalments").Create(&p).Error; err != nil {
			t.Fatal(err)
		}
		rows := make([]portal.Instalment, perCase)
		for k := range rows {
			rows[k] = portal.Instalment{PlanID: p.ID, CaseID: c.ID, Seq: k + 1, DueOn: portal.DateOf(now.AddDate(0, -perCase+k, 0)),
				AmountCents: 1000, Status: portal.InstalmentScheduled, UpdatedAt: now}
		}
		if err := db.Create(&rows).Error; err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		if err := db.Model(&portal.Case{}).Where("id = ?", c.ID).Update("status", portal.StatusPlanActive).Error; err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// TestTwoSchedulersChargeEachInstalmentOnce runs two scheduler "processes"
// (each its own Store, connection pool and Stripe client) on one PostgreSQL
// database over 1,000 due instalments: every instalment must reach Stripe
// exactly once.
func TestTwoSchedulersChargeEachInstalmentOnce(t *testing.T) {
	if !slices.Contains(storetest.Dialects(), "postgres") {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite has a single writer")
	}
	if testing.Short() {
		t.Skip("1,000 charges")
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
	e := newPlanEnv(t, stores[0], nil)
	seedStart := time.Now()
	ids := seedDue(t, e, 100, 10)
	t.Logf("seeded %d due instalments in %s", len(ids), time.Since(seedStart).Round(time.Millisecond))

	scheds := make([]*money.Scheduler, 2)
	for i, s := range stores {
		scheds[i] = money.NewScheduler(newPlanService(t, s, planStripeClient(e.proxy.URL, nil), e.Clock))
	}
	var wg sync.WaitGroup
	counts := make([]int, 2)
	errs := make([]error, 2)
	began := time.Now()
	for i, sc := range scheds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i], errs[i] = sc.RunOnce(ctx)
		}()
	}
	wg.Wait()
	took := time.Since(began)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	t.Logf("two schedulers charged %d + %d instalments in %s (%.0f/s)", counts[0], counts[1], took.Round(time.Millisecond),
		float64(counts[0]+counts[1])/took.Seconds())
	if counts[0]+counts[1] != len(ids) || counts[0] == 0 || counts[1] == 0 {
		t.Fatalf("charged %v, want %d in all, shared", counts, len(ids))
	}

	keys := map[string]int{}
	for _, r := range e.postsTo("/v1/payment_intents") {
		keys[r.IdempotencyKey]++
	}
	if created := e.proxy.Created("/v1/payment_intents"); created != len(ids) || len(keys) != len(ids) {
		t.Fatalf("%d PaymentIntents created under %d keys, want %d", created, len(keys), len(ids))
	}
	for _, id := range ids {
		if keys[payments.InstalmentKey(id, 1)] != 1 {
			t.Fatalf("instalment %d reached Stripe %d times", id, keys[payments.InstalmentKey(id, 1)])
		}
	}
	var waiting int64
	stores[1].DB.Model(&portal.Instalment{}).Where("status = ? AND payment_intent_id <> '' AND claimed_until IS NULL", portal.InstalmentProcessing).Count(&waiting)
	if int(waiting) != len(ids) {
		t.Fatalf("%d instalments wait for their webhook, want %d", waiting, len(ids))
	}
	for _, sc := range scheds {
		if n, err := sc.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("second round charged %d, %v", n, err)
		}
	}
}

// dieAfterCharge is an HTTP transport that lets a PaymentIntent request
// reach Stripe and get its answer, then cancels the scheduler's context: the
// process "dies" between the Stripe call and the commit of its outcome.
type dieAfterCharge struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

func (d *dieAfterCharge) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/v1/payment_intents") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	d.mu.Lock()
	if d.cancel != nil {
		d.cancel()
	}
	d.mu.Unlock()
	return resp, err
}

// TestCrashedChargeIsRetriedWithTheSameKey: a scheduler charges and dies
// before recording; once its lease expires another one charges the same
// attempt with the same idempotency key, and Stripe creates nothing new.
func TestCrashedChargeIsRetriedWithTheSameKey(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, dialect)
			open := func() *portal.Store {
				s, err := portal.Open(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			storeA, storeB := open(), open()
			e := newPlanEnv(t, storeA, nil)
			ids := seedDue(t, e, 1, 1)
			id := ids[0]

			die := &dieAfterCharge{}
			dying := money.NewScheduler(newPlanService(t, storeA, planStripeClient(e.proxy.URL, &http.Client{Transport: die}), e.Clock))
			runCtx, cancel := context.WithCancel(ctx)
			die.cancel = cancel
			if _, err := dying.RunOnce(runCtx); !errors.Is(err, context.Canceled) {
				t.Fatalf("dying scheduler: %v", err)
			}
			var claimed struct {
				Status       string
				Attempts     int
				ClaimedUntil *time.Time
			}
			storeB.DB.Raw("SELECT status, attempts, claimed_until FROM instalments WHERE id = ?", id).Scan(&claimed)
			if claimed.Status != portal.InstalmentProcessing || claimed.Attempts != 0 || claimed.ClaimedUntil == nil {
				t.Fatalf("after the crash: %+v", claimed)
			}

			other := money.NewScheduler(newPlanService(t, storeB, planStripeClient(e.proxy.URL, nil), e.Clock))
			if n, err := other.RunOnce(ctx); n != 0 || err != nil {
				t.Fatalf("charged under a live lease: %d, %v", n, err)
			}
			e.Clock.Add(6 * time.Minute)
			if n, err := other.RunOnce(ctx); n != 1 || err != nil {
				t.Fatalf("after the lease: %d, %v", n, err)
			}
			reqs := e.postsTo("/v1/payment_intents")
			if len(reqs) != 2 || reqs[0].IdempotencyKey != payments.InstalmentKey(id, 1) || reqs[1].IdempotencyKey != reqs[0].IdempotencyKey || !reqs[1].Replayed {
				t.Fatalf("requests %+v", reqs)
			}
			if n := e.proxy.Created("/v1/payment_intents"); n != 1 {
				t.Fatalf("%d PaymentIntents created, want 1", n)
			}
			var in portal.Instalment
			storeB.DB.Take(&in, id)
			if in.Status != portal.InstalmentProcessing || in.PaymentIntentID == "" || in.Attempts != 0 {
				t.Fatalf("instalment %+v", in)
			}
		})
	}
}

// BenchmarkSchedulerRunOnce measures the scheduler's own cost per
// instalment (claims, leases, outcomes) against an instant fake Stripe, so
// stripe-mock's ~100 ms per PaymentIntent does not hide it. One process,
// default settings.
func BenchmarkSchedulerRunOnce(b *testing.B) {
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			var n atomic.Int64
			fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"id":"pi_fake_%d","object":"payment_intent","status":"succeeded","amount":1000,"currency":"eur"}`, n.Add(1))
			}))
			b.Cleanup(fake.Close)
			store := storetest.Open(b, dialect)
			e := &planEnv{t: b, Kit: testkit.New(b, store, testkit.Options{Start: planStart, Stripe: planStripeClient(fake.URL, nil)})}
			cr, _, err := e.Core.CreateCreditor(context.Background(), portal.NewCreditor{Name: "Bench"})
			if err != nil {
				b.Fatal(err)
			}
			e.creditor = cr
			sc := money.NewScheduler(e.Money)
			total := 0
			var took time.Duration
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				e.Clock.Set(planStart.AddDate(0, i, 0))
				seedDueB(b, e, i, 10, 50)
				b.StartTimer()
				began := time.Now()
				c, err := sc.RunOnce(context.Background())
				took += time.Since(began)
				if err != nil || c != 500 {
					b.Fatalf("charged %d, %v", c, err)
				}
				total += c
			}
			b.ReportMetric(float64(total)/took.Seconds(), "instalments/s")
		})
	}
}
