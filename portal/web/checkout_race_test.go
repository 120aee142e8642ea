package web_test

import (
	"maps"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// distinctKeys counts the idempotency keys of the checkout requests that
// reached the proxy in front of stripe-mock.
func distinctKeys(f *payFixture) (requests, keys int) {
	seen := map[string]bool{}
	reqs := f.proxy.Requests("/v1/checkout/sessions")
	for _, r := range reqs {
		seen[r.IdempotencyKey] = true
	}
	return len(reqs), len(seen)
}

// at fires n copies of the same form at once (released together) and
// returns where each was sent.
func at(f *payFixture, n int, path string, form url.Values) []debtorResponse {
	out := make([]debtorResponse, n)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			// Each tab its own copy: post fills in the CSRF field.
			out[i] = f.browser.post(path, maps.Clone(form))
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return out
}

// Twenty tabs pressing Pay at the same moment, against a Stripe that takes
// 200 ms to answer: one request claims the slot and calls Stripe, the
// others wait for its session. One Checkout Session, one key, one call.
func TestTwentyTabsAtOnceOpenOneCheckoutSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newPayFixture(t, store)
		f.proxy.Latency = 200 * time.Millisecond
		rs := at(f, 20, "/case/pay", url.Values{"choice": {"full"}})
		want := rs[0].header.Get("Location")
		for i, r := range rs {
			if r.status != http.StatusSeeOther || r.header.Get("Location") != want || want == "" {
				t.Fatalf("tab %d: %d to %q, want 303 to %q", i, r.status, r.header.Get("Location"), want)
			}
		}
		if n, keys := distinctKeys(f); n != 1 || keys != 1 {
			t.Fatalf("Stripe got %d checkout requests with %d keys, want 1 and 1", n, keys)
		}
		var rows int64
		store.DB.Model(&portal.CheckoutSession{}).Where("case_id = ?", f.caseID).Count(&rows)
		if rows != 1 {
			t.Fatalf("%d checkout session rows, want 1", rows)
		}
	})
}

// Ten confirmations of one plan at once: one plan, one session, one key.
func TestTenPlanConfirmationsAtOnceOpenOneCheckoutSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newPayFixture(t, store)
		f.proxy.Latency = 200 * time.Millisecond
		rs := at(f, 10, "/case/plan", url.Values{"frequency": {"monthly"}, "count": {"6"}})
		var want string
		for i, r := range rs {
			if r.status != http.StatusSeeOther {
				t.Fatalf("confirmation %d: status %d", i, r.status)
			}
			if loc := r.header.Get("Location"); want == "" {
				want = loc
			} else if loc != want {
				t.Fatalf("confirmation %d went to %q, another to %q", i, loc, want)
			}
		}
		if n, keys := distinctKeys(f); n != 1 || keys != 1 {
			t.Fatalf("Stripe got %d checkout requests with %d keys, want 1 and 1", n, keys)
		}
		var plans int64
		store.DB.Model(&portal.Plan{}).Where("case_id = ?", f.caseID).Count(&plans)
		if plans != 1 {
			t.Fatalf("%d plans, want 1", plans)
		}
	})
}
