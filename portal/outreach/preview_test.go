package outreach_test

import (
	"context"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/portal/storetest"
)

// TestPreviewIsWhatTheSchedulerSends: the preview of the default scenario
// names the same steps at the same minutes as the scheduler then sends,
// the cap pushing the fourth message a week on.
func TestPreviewIsWhatTheSchedulerSends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newOutreachEnv(t, store)
		e.Clock.Set(paris(2026, 6, 8, 9, 0))
		plan, err := e.Outreach.Preview(ctx, e.c.ID, 90)
		if err != nil {
			t.Fatal(err)
		}
		want := []time.Time{paris(2026, 6, 8, 9, 0), paris(2026, 6, 9, 8, 0), paris(2026, 6, 10, 8, 0), paris(2026, 6, 15, 9, 0), paris(2026, 6, 16, 8, 0)}
		if len(plan) != len(want) {
			t.Fatalf("preview = %+v", plan)
		}
		for i, p := range plan {
			if !p.At.Equal(want[i]) || p.Step != i+1 || p.Language != "fr" {
				t.Errorf("preview[%d] = %+v, want at %s", i, p, want[i].In(portal.Zone("Europe/Paris")))
			}
		}
		if plan[0].Channel != "email" || plan[1].Channel != "sms" || plan[4].Template != "last_amicable" {
			t.Errorf("preview channels/templates: %+v", plan)
		}
		box := &sentBox{}
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		reminderRun(t, e, r, paris(2026, 6, 20, 0, 0))
		ms, _ := e.Outreach.Messages(ctx, e.c.ID)
		sent := map[int]time.Time{}
		for _, m := range ms {
			if m.State == outreach.StateSent {
				sent[m.Step+1] = *m.SentAt
			}
		}
		for _, p := range plan {
			if got := sent[p.Step]; !got.Equal(p.At) {
				t.Errorf("step %d previewed at %s, sent at %s", p.Step, p.At, got)
			}
		}
		if again, _ := e.Outreach.Preview(ctx, e.c.ID, 90); len(again) != 0 {
			t.Errorf("preview after the scenario ended: %+v", again)
		}
	})
}
