package payments_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
)

// Against stripe-mock itself: the call is one Stripe accepts, and its
// fixture (an event of a type Reglo ignores) reads as the webhook reads it.
func TestListEventsAgainstStripeMock(t *testing.T) {
	c, p := newProxied(t)
	since := time.Now().Add(-72 * time.Hour)
	evs, err := c.ListEvents(context.Background(), since)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Err != nil || evs[0].Event.ID == "" || evs[0].Event.Kind != payments.KindIgnored {
		t.Fatalf("stripe-mock's fixture list read as %+v", evs)
	}
	r := only(t, p, "/v1/events")
	if got := r.Form.Get("created[gte]"); got != strconv.FormatInt(since.Unix(), 10) {
		t.Errorf("created[gte] = %q, want %d", got, since.Unix())
	}
	if got := r.Form.Get("limit"); got != "100" {
		t.Errorf("limit = %q, want 100", got)
	}
	var types []string
	for i := 0; r.Form.Has(fmt.Sprintf("types[%d]", i)); i++ {
		types = append(types, r.Form.Get(fmt.Sprintf("types[%d]", i)))
	}
	for _, want := range []string{"checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed",
		"payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded", "charge.dispute.created", "charge.dispute.closed"} {
		if !slices.Contains(types, want) {
			t.Errorf("types[] %v lacks %s", types, want)
		}
	}
	if len(types) != 8 {
		t.Errorf("asked for %d types, want the 8 Reglo handles: %v", len(types), types)
	}
}

// Seven events over three pages of three: every page is read with
// starting_after, the result runs oldest first (same-second events in
// Stripe's order), and a malformed event is reported on its own.
func TestListEventsPagesAndOrders(t *testing.T) {
	evts := stripemock.NewEvents(t, stripemock.Start(t))
	evts.PageSize = 3
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	paid := func(n int) map[string]any {
		return map[string]any{"id": fmt.Sprintf("pi_%d", n), "object": "payment_intent", "amount": 1000 + n, "amount_received": 1000 + n,
			"currency": "eur", "status": "succeeded", "metadata": map[string]any{"case_id": "42"}}
	}
	evts.Add("evt_old", "payment_intent.succeeded", base.Add(-5*time.Hour), paid(0)) // before since: not listed
	var want []string
	for i := 1; i <= 6; i++ {
		id := fmt.Sprintf("evt_%d", i)
		evts.Add(id, "payment_intent.succeeded", base.Add(time.Duration(i/2)*time.Minute), paid(i)) // pairs share a second
		want = append(want, id)
	}
	evts.Add("evt_broken", "charge.refunded", base.Add(10*time.Minute), map[string]any{"id": "ch_1", "object": "charge", "currency": "eur"})
	want = append(want, "evt_broken")
	evts.Add("evt_plan", "plan.created", base.Add(11*time.Minute), map[string]any{"id": "plan_1", "object": "plan"}) // not asked for

	c := payments.New(payments.Config{SecretKey: stripemock.TestKey, APIBase: evts.URL})
	got, err := c.ListEvents(context.Background(), base.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range got {
		ids = append(ids, l.Event.ID)
	}
	if !slices.Equal(ids, want) {
		t.Fatalf("listed %v, want %v", ids, want)
	}
	for _, l := range got[:6] {
		if l.Err != nil || l.Event.Kind != payments.KindPaymentSucceeded || l.Event.CaseID != 42 {
			t.Errorf("%s read as %+v, %v", l.Event.ID, l.Event, l.Err)
		}
	}
	broken := got[6]
	if !errors.Is(broken.Err, payments.ErrMalformedEvent) || broken.Event.Type != "charge.refunded" || broken.Event.Created.IsZero() {
		t.Errorf("the malformed event came back as %+v, %v", broken.Event, broken.Err)
	}

	qs := evts.Queries()
	if len(qs) != 3 {
		t.Fatalf("%d pages asked for, want 3", len(qs))
	}
	// Newest first: the first page is evt_broken, evt_6, evt_5; the second
	// evt_4, evt_3, evt_2; the last evt_1.
	for i, after := range []string{"", "evt_5", "evt_2"} {
		if got := qs[i].Get("starting_after"); got != after {
			t.Errorf("page %d starting_after = %q, want %q", i+1, got, after)
		}
	}
}

func TestListEventsNeedsAKey(t *testing.T) {
	_, err := payments.New(payments.Config{}).ListEvents(context.Background(), time.Now())
	if !errors.Is(err, payments.ErrNotConfigured) {
		t.Fatalf("without a key: %v, want ErrNotConfigured", err)
	}
}
