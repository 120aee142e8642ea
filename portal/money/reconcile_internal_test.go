package money

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
)

// ReconcileLockKey lets the external tests hold the reconciliation lock as
// another process would.
const ReconcileLockKey = reconcileLock

// What replay makes of each outcome of applying an event, whatever the
// ledger's rules of the day make not ready.
func TestReplayCountsEachOutcome(t *testing.T) {
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ev := func(id string, minute int) payments.ListedEvent {
		return payments.ListedEvent{Event: payments.Event{ID: id, Type: "payment_intent.succeeded", Kind: payments.KindPaymentSucceeded,
			Created: base.Add(time.Duration(minute) * time.Minute)}}
	}
	listed := []payments.ListedEvent{ev("evt_applied", 1), ev("evt_known", 2), ev("evt_not_ready", 3), ev("evt_dup", 4), ev("evt_failed", 5)}
	broken := ev("evt_broken", 0)
	broken.Err = fmt.Errorf("%w: no mode", payments.ErrMalformedEvent)
	listed = slices.Insert(listed, 1, broken)

	var calls []string
	apply := func(_ context.Context, e payments.Event) (bool, error) {
		calls = append(calls, e.ID)
		switch e.ID {
		case "evt_not_ready":
			return false, fmt.Errorf("apply: %w", ErrEventNotReady)
		case "evt_failed":
			return false, errors.New("database is down")
		case "evt_dup":
			return false, nil // a concurrent reconcile applied it first
		}
		return true, nil
	}
	s := &Service{core: &portal.Service{Log: slog.New(slog.DiscardHandler)}}
	r, err := s.replay(context.Background(), listed, map[string]bool{"evt_known": true}, nil, apply)
	if err != nil {
		t.Fatal(err)
	}
	want := Reconciliation{Seen: 6, Applied: 1, AlreadyProcessed: 2, NotReady: 1, Malformed: 1, Failed: 1, retryFrom: base.Add(3 * time.Minute)}
	if r != want {
		t.Errorf("got %+v, want %+v", r, want)
	}
	if wantCalls := []string{"evt_applied", "evt_not_ready", "evt_dup", "evt_failed"}; !slices.Equal(calls, wantCalls) {
		t.Errorf("applied %v, want %v in the listed order", calls, wantCalls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	calls = nil
	stop := func(_ context.Context, e payments.Event) (bool, error) {
		calls = append(calls, e.ID)
		cancel()
		return false, context.Canceled
	}
	if _, err := s.replay(ctx, listed, nil, nil, stop); !errors.Is(err, context.Canceled) || len(calls) != 1 {
		t.Errorf("a cancelled run went on: %v after %v", err, calls)
	}
}

func TestReconcilerSince(t *testing.T) {
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name                 string
		lastStart, retryFrom time.Time
		want                 time.Time
	}{
		{"first run looks back the whole window", time.Time{}, time.Time{}, now.Add(-72 * time.Hour)},
		{"next run looks back to the last start minus the margin", now.Add(-5 * time.Minute), time.Time{}, now.Add(-15 * time.Minute)},
		{"an event left not ready is looked at again", now.Add(-5 * time.Minute), now.Add(-2 * time.Hour), now.Add(-2 * time.Hour)},
		{"a retry inside the margin changes nothing", now.Add(-5 * time.Minute), now.Add(-8 * time.Minute), now.Add(-15 * time.Minute)},
		{"never beyond the window", now.Add(-5 * time.Minute), now.Add(-100 * time.Hour), now.Add(-72 * time.Hour)},
		{"a long pause is caught up to the window", now.Add(-90 * time.Hour), time.Time{}, now.Add(-72 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := &Reconciler{Window: ReconcileWindow, Margin: reconcileMargin, lastStart: tt.lastStart, retryFrom: tt.retryFrom}
			if got := rc.since(now); !got.Equal(tt.want) {
				t.Errorf("since = %s, want %s", got, tt.want)
			}
		})
	}
}
