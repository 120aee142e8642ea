package outreach_test

import (
	"context"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/portal/storetest"
)

// TestNoticeBeforeEachInstalment: an active plan's debtor gets one notice 3
// days before each instalment, in sending hours, naming the date and no
// amount; no reminder step goes meanwhile; a paid instalment gets none.
func TestNoticeBeforeEachInstalment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newOutreachEnv(t, store)
		now := paris(2026, 6, 8, 6, 0) // Monday, before the window
		e.Clock.Set(now)
		plan := portal.Plan{CaseID: e.c.ID, Status: portal.PlanStatusActive, Frequency: "monthly", InstalmentCount: 3, TotalCents: 30000, CreatedAt: now, UpdatedAt: now}
		if err := store.DB.Create(&plan).Error; err != nil {
			t.Fatal(err)
		}
		due := []string{"2026-06-10", "2026-07-10", "2026-08-10"}
		var ins []portal.Instalment
		for i, d := range due {
			on, _ := portal.ParseDate(d, false)
			in := portal.Instalment{PlanID: plan.ID, CaseID: e.c.ID, Seq: i + 1, DueOn: on, AmountCents: 10000, Status: portal.InstalmentScheduled, UpdatedAt: now}
			if err := store.DB.Create(&in).Error; err != nil {
				t.Fatal(err)
			}
			ins = append(ins, in)
		}
		store.DB.Model(&portal.Case{}).Where("id = ?", e.c.ID).Update("status", portal.StatusPlanActive)
		store.DB.Model(&portal.Instalment{}).Where("id = ?", ins[1].ID).Update("status", portal.InstalmentPaid) // paid early
		box := &sentBox{}
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		reminderRun(t, e, r, paris(2026, 6, 8, 7, 50))
		if len(box.mails) != 0 {
			t.Fatalf("a notice went before 8:00")
		}
		// 10 June is 2 days away: inside the 3-day notice, sent at 8:00.
		reminderRun(t, e, r, paris(2026, 6, 8, 9, 0))
		if len(box.mails) != 1 || !strings.Contains(box.mails[0].Text, "10 juin 2026") || strings.Contains(box.mails[0].Text, "€") {
			t.Fatalf("first notice: %+v", box.mails)
		}
		reminderRun(t, e, r, paris(2026, 6, 12, 9, 0))
		e.Clock.Set(paris(2026, 8, 6, 12, 0))
		for range 3 {
			if _, err := r.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		e.Clock.Set(paris(2026, 8, 7, 9, 0))
		if _, err := r.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if len(box.mails) != 2 || !strings.Contains(box.mails[1].Text, "10 août 2026") {
			t.Fatalf("want notices for 10 June and 10 August only: %d mails", len(box.mails))
		}
		ms, _ := e.Outreach.Messages(ctx, e.c.ID)
		for _, m := range ms {
			if m.Reason == outreach.ReasonReminder && m.State == outreach.StateSent {
				t.Errorf("a reminder step went during the plan")
			}
		}
	})
}
