package outreach_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
	"github.com/reglo/reglo/views"
)

// simEvent is something a simulated debtor does on a day of the run.
type simEvent struct {
	day  int
	kind string // pay, promise, promise_broken, contest, opt_out
}

// TestSimulation90Days drives the scheduler over 90 days for many cases
// (REGLO_SIM_CASES, default 1000 on SQLite, 200 on PostgreSQL with two
// schedulers racing; a tenth of that under the race detector) with mixed events, then checks every rule against
// what was delivered: each step at most once, nothing in quiet hours or on
// Sundays and holidays, at most 3 per case per 7 days, nothing after the
// debtor paid, promised or contested (until the promise broke), nothing on
// a channel after its opt-out.
func TestSimulation90Days(t *testing.T) {
	if testing.Short() {
		t.Skip("long simulation")
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		n := 1000
		if store.Dialect == migrations.Postgres {
			n = 200
		}
		if raceEnabled {
			// The race detector makes it fifteen times slower: the README's
			// test command runs it again without, at full size.
			n /= 10
		}
		if v, err := strconv.Atoi(os.Getenv("REGLO_SIM_CASES")); err == nil {
			n = v
		}
		start := paris(2026, 6, 1, 0, 0)
		k := testkit.New(t, store, testkit.Options{Start: start, Messages: views.MustMessages()})
		cr, _ := k.Creditor("Atelier Dupont", nil)
		// A dense scenario, so the cap (3 a week) and the quiet hours both
		// have work to do.
		sc := outreach.DefaultScenario("consumer")
		sc.Steps = []outreach.Step{{Day: 0, Channel: "email", Template: "gentle"}, {Day: 1, Channel: "sms", Template: "gentle"},
			{Day: 2, Channel: "email", Template: "clear"}, {Day: 3, Channel: "sms", Template: "clear"}, {Day: 5, Channel: "email", Template: "clear"},
			{Day: 8, Channel: "sms", Template: "clear", OnlyIfNoContact: true}, {Day: 13, Channel: "email", Template: "clear", MinBalanceCents: ptr(int64(20000))},
			{Day: 21, Channel: "email", Template: "last_amicable"}}
		if _, err := k.Outreach.SaveScenario(ctx, cr.ID, sc); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(12, 42))
		events := map[int64][]simEvent{}
		for i := range n {
			due := start.AddDate(0, 0, rng.IntN(60)-30).Format("2006-01-02")
			d := testkit.Debtor
			d.Email, d.Phone = fmt.Sprintf("d%d@example.org", i), fmt.Sprintf("+3361%07d", i)
			c := k.NewCase(cr, portal.NewCase{Reference: fmt.Sprintf("SIM-%d", i), Currency: "EUR", Debtor: d,
				Invoices: []portal.NewInvoice{{Number: "F", IssuedOn: "2026-04-01", DueOn: due, Lines: []portal.NewLine{{Label: "x", AmountCents: int64(5000 + rng.IntN(30000)), Kind: portal.LinePrincipal}}}}}).Case
			switch p := rng.IntN(100); {
			case p < 20:
				events[c.ID] = []simEvent{{day: rng.IntN(60), kind: "pay"}}
			case p < 30:
				d := rng.IntN(50)
				events[c.ID] = []simEvent{{day: d, kind: "promise"}, {day: d + 10, kind: "promise_broken"}}
			case p < 35:
				events[c.ID] = []simEvent{{day: rng.IntN(60), kind: "contest"}}
			case p < 45:
				events[c.ID] = []simEvent{{day: rng.IntN(40), kind: "opt_out"}}
			case p < 55:
				events[c.ID] = []simEvent{{day: rng.IntN(20), kind: "opened"}}
			}
		}
		box := &simBox{}
		senders := notify.Senders{Mail: box, SMS: box}
		procs := []*outreach.Reminders{{Service: k.Outreach, Senders: senders, Batch: 5000, StoppedRecheck: 6 * time.Hour}}
		if store.Dialect == migrations.Postgres {
			k2 := testkit.New(t, store, testkit.Options{Clock: k.Clock, Messages: views.MustMessages()})
			procs = append(procs, &outreach.Reminders{Service: k2.Outreach, Senders: senders, Batch: 5000, StoppedRecheck: 6 * time.Hour})
		}
		stopped := map[int64]time.Time{}  // the moment reminders had to stop
		resumed := map[int64]time.Time{}  // the moment a broken promise resumed them
		optedOut := map[int64]time.Time{} // email opt-out
		var deferMu sync.Mutex
		deferred := map[string]int{} // how often each rule held a step back
		for hour := 0; hour < 90*24; hour++ {
			now := start.Add(time.Duration(hour) * time.Hour)
			k.Clock.Set(now)
			if hour%24 == 0 {
				day := hour / 24
				for id, evs := range events {
					for _, ev := range evs {
						if ev.day != day {
							continue
						}
						switch ev.kind {
						case "pay":
							store.DB.Model(&portal.Case{}).Where("id = ?", id).Update("status", portal.StatusPaid)
							stopped[id] = now
						case "promise":
							store.DB.Model(&portal.Case{}).Where("id = ?", id).Update("status", portal.StatusPromised)
							stopped[id] = now
						case "promise_broken":
							store.DB.Model(&portal.Case{}).Where("id = ?", id).Update("status", portal.StatusOpen)
							resumed[id] = now
						case "contest":
							store.DB.Model(&portal.Case{}).Where("id = ?", id).Update("status", portal.StatusDisputed)
							stopped[id] = now
						case "opened":
							link, err := k.Core.CreateLink(ctx, id, "copy", 0, portal.SystemActor)
							if err != nil {
								t.Fatal(err)
							}
							store.DB.Model(&portal.Link{}).Where("id = ?", link.Link.ID).Update("last_opened_at", now)
						case "opt_out":
							if err := k.Outreach.OptOutByAgent(ctx, id, outreach.ChannelEmail, portal.SystemActor); err != nil {
								t.Fatal(err)
							}
							optedOut[id] = now
						}
					}
				}
			}
			var wg sync.WaitGroup
			for _, p := range procs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					round, err := p.RunOnce(ctx)
					if err != nil {
						t.Error(err)
					}
					deferMu.Lock()
					for why, n := range round.Deferred {
						deferred[why] += n
					}
					deferMu.Unlock()
				}()
			}
			wg.Wait()
		}
		var ms []outreach.Message
		if err := store.DB.Where("reason = ?", outreach.ReasonReminder).Order("case_id, sent_at").Find(&ms).Error; err != nil {
			t.Fatal(err)
		}
		states := map[string]int{}
		waiting := map[string]int{}
		cancelled := map[string]int{}
		skipped := map[string]int{}
		perCase := map[int64][]time.Time{}
		for _, m := range ms {
			states[m.State]++
			if m.State == outreach.StateSuppressed {
				skipped[m.Outcome]++
			}
			if m.State == outreach.StateCancelled {
				cancelled[m.Outcome]++
			}
			if m.State == outreach.StatePlanned {
				waiting[m.Outcome]++
			}
			if m.State != outreach.StateSent {
				continue
			}
			at := *m.SentAt
			if !sc.Allowed(at) {
				t.Errorf("case %d step %d sent in quiet time %s", m.CaseID, m.Step, at.In(portal.Zone("Europe/Paris")))
			}
			if s, ok := stopped[m.CaseID]; ok && !at.Before(s) && (resumed[m.CaseID].IsZero() || at.Before(resumed[m.CaseID])) {
				t.Errorf("case %d got step %d at %s after stopping at %s", m.CaseID, m.Step, at, s)
			}
			if o, ok := optedOut[m.CaseID]; ok && m.Channel == outreach.ChannelEmail && !at.Before(o) {
				t.Errorf("case %d emailed after opting out", m.CaseID)
			}
			perCase[m.CaseID] = append(perCase[m.CaseID], at)
		}
		for id, ts := range perCase {
			for i := range ts {
				if i >= 3 && ts[i].Sub(ts[i-3]) < 7*24*time.Hour {
					t.Errorf("case %d: 4 messages within 7 days (%s .. %s)", id, ts[i-3], ts[i])
				}
			}
		}
		if box.count() != states[outreach.StateSent] {
			t.Errorf("%d messages delivered, %d rows sent: a step went twice or a send was lost", box.count(), states[outreach.StateSent])
		}
		t.Logf("%s: %d cases, %d processes, 90 days: %d step rows, %d sent, %d skipped %v, %d ended %v, %d waiting at the end %v, %d failed, %d uncertain; steps held back (claims deferred) by rule: %v",
			store.Dialect, n, len(procs), len(ms), states[outreach.StateSent], states[outreach.StateSuppressed], skipped,
			states[outreach.StateCancelled], cancelled, states[outreach.StatePlanned], waiting, states[outreach.StateFailed], states[outreach.StateUncertain], deferred)
	})
}

func ptr[T any](v T) *T { return &v }

// simBox counts deliveries.
type simBox struct {
	mu sync.Mutex
	n  int
}

func (b *simBox) SendEmail(context.Context, notify.Email) error {
	b.mu.Lock()
	b.n++
	b.mu.Unlock()
	return nil
}
func (b *simBox) SendSMS(context.Context, string, string) error {
	b.mu.Lock()
	b.n++
	b.mu.Unlock()
	return nil
}
func (b *simBox) count() int { b.mu.Lock(); defer b.mu.Unlock(); return b.n }
