package outreach_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/portal/storetest"
)

// reminderRun runs the reminder scheduler every 10 minutes of the kit's
// clock from now until until, in several processes' worth of rounds.
func reminderRun(t *testing.T, e *outreachEnv, r *outreach.Reminders, until time.Time) {
	t.Helper()
	for !e.Clock.Now().After(until) {
		if _, err := r.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.Clock.Add(10 * time.Minute)
	}
}

func paris(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, portal.Zone("Europe/Paris")).UTC()
}

// TestDefaultScenarioSendsEachStepOnceInAllowedHours walks the default
// consumer scenario for the env's case (oldest due date 1 May 2026): every
// step goes once, in the window, on allowed days, with a fresh link each.
func TestDefaultScenarioSendsEachStepOnceInAllowedHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newOutreachEnv(t, store)
		// The case's due date is long past: start the clock on Saturday
		// evening 6 June at 19:55 Paris, so the first step waits for Monday
		// 8:00 (Sunday is quiet).
		e.Clock.Set(paris(2026, 6, 6, 19, 55))
		box := &sentBox{}
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		reminderRun(t, e, r, paris(2026, 6, 6, 20, 30))
		if len(box.mails) != 1 {
			t.Fatalf("%d mails before 20:00 on Saturday, want 1 (sent at 19:55)", len(box.mails))
		}
		reminderRun(t, e, r, paris(2026, 6, 8, 7, 59))
		if len(box.mails)+len(box.sms) != 1 {
			t.Fatalf("a message went in quiet hours: %d mails, %d sms", len(box.mails), len(box.sms))
		}
		reminderRun(t, e, r, paris(2026, 6, 20, 12, 0))
		ms, err := e.Outreach.Messages(context.Background(), e.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, m := range ms {
			if m.State == outreach.StateSent {
				sent++
				local := m.SentAt.In(portal.Zone("Europe/Paris"))
				if local.Hour() < 8 || local.Hour() >= 20 || local.Weekday() == time.Sunday {
					t.Errorf("step %d sent at %s", m.Step, local)
				}
			}
		}
		if n := len(box.mails) + len(box.sms); n != sent || n != 5 {
			t.Fatalf("%d messages delivered, %d rows sent, want the 5 steps", n, sent)
		}
		m := box.mails[0]
		if m.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" || !strings.HasPrefix(m.Headers["List-Unsubscribe"], "<http://localhost:8080/u/") {
			t.Errorf("headers = %v", m.Headers)
		}
		for _, want := range []string{"Atelier Dupont", "OUT-1", "Camille", "http://localhost:8080/l/", "6 juin 2026"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("first reminder lacks %q:\n%s", want, m.Text)
			}
		}
		if strings.Contains(m.Text, "€") || strings.Contains(box.sms[0], "Martin") || !strings.Contains(box.sms[0], "STOP") {
			t.Errorf("mail %q / sms %q", m.Text, box.sms[0])
		}
		links := map[string]bool{}
		for _, m := range box.mails {
			i := strings.Index(m.Text, "/l/")
			links[m.Text[i:i+40]] = true
		}
		if len(links) != len(box.mails) {
			t.Errorf("links reused across messages: %v", links)
		}
	})
}

// TestRemindersStopWhenTheDebtorActs: a promise stops the scenario at once,
// a paid case cancels it, an opt-out skips the channel.
func TestRemindersStopWhenTheDebtorActs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newOutreachEnv(t, store)
		e.Clock.Set(paris(2026, 6, 8, 9, 0).Add(17 * time.Second)) // a real clock is not on the minute
		box := &sentBox{}
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		reminderRun(t, e, r, paris(2026, 6, 8, 9, 30))
		if len(box.mails) != 1 {
			t.Fatalf("%d mails, want the first step", len(box.mails))
		}
		if _, err := e.Choices.Promise(ctx, e.c.ID, portal.DateOf(paris(2026, 7, 5, 12, 0)), 0); err != nil {
			t.Fatal(err)
		}
		reminderRun(t, e, r, paris(2026, 7, 4, 12, 0))
		if len(box.mails)+len(box.sms) != 1 {
			t.Fatalf("reminders went while a promise was pending: %d mails, %d sms", len(box.mails), len(box.sms))
		}
		// An opt-out of SMS, then the promise is broken: the scenario
		// resumes where it left off, without SMS.
		if err := e.Outreach.OptOutByAgent(ctx, e.c.ID, outreach.ChannelSMS, portal.SystemActor); err != nil {
			t.Fatal(err)
		}
		store.DB.Model(&portal.Case{}).Where("id = ?", e.c.ID).Update("status", portal.StatusOpen)
		reminderRun(t, e, r, paris(2026, 7, 5, 23, 0)) // step 2 goes at once; step 4 waits for Monday
		if len(box.sms) != 0 || len(box.mails) != 2 {
			t.Fatalf("after the broken promise: %d mails (want 2), %d sms (want 0)", len(box.mails), len(box.sms))
		}
		store.DB.Model(&portal.Case{}).Where("id = ?", e.c.ID).Update("status", portal.StatusPaid)
		for _, at := range []time.Time{paris(2026, 7, 6, 9, 0), paris(2026, 7, 20, 9, 0), paris(2026, 8, 30, 12, 0)} {
			e.Clock.Set(at)
			if _, err := r.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if len(box.mails) != 2 {
			t.Fatalf("a paid case got %d mails", len(box.mails))
		}
		evs, _ := e.Core.Timeline(ctx, e.c.ID)
		kinds := map[portal.EventKind]int{}
		for _, ev := range evs {
			kinds[ev.Kind]++
		}
		if kinds[portal.EventReminderSent] != 2 || kinds[portal.EventOptedOut] != 1 || kinds[portal.EventReminderSkipped] == 0 {
			t.Errorf("timeline kinds: %v", kinds)
		}
	})
}

// TestCapCountsEveryReason: with a cap of 1 a week, a promise-reminder
// counted this week holds back the reminder step.
func TestCapHoldsBackSteps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newOutreachEnv(t, store)
		sc := outreach.DefaultScenario("consumer")
		sc.MaxPer7Days = 1
		sc.Steps = []outreach.Step{{Day: 0, Channel: "email", Template: "gentle"}, {Day: 1, Channel: "sms", Template: "clear"}, {Day: 2, Channel: "email", Template: "last_amicable"}}
		if _, err := e.Outreach.SaveScenario(ctx, e.c.CreditorID, sc); err != nil {
			t.Fatal(err)
		}
		e.Clock.Set(paris(2026, 6, 8, 9, 0))
		box := &sentBox{}
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		reminderRun(t, e, r, paris(2026, 6, 14, 23, 0))
		if n := len(box.mails) + len(box.sms); n != 1 {
			t.Fatalf("%d messages in the first week, cap 1", n)
		}
		reminderRun(t, e, r, paris(2026, 6, 15, 10, 0))
		if n := len(box.mails) + len(box.sms); n != 2 {
			t.Fatalf("%d messages once the week passed, want 2", n)
		}
	})
}

// failingBox fails every send.
type failingBox struct{ n int }

func (f *failingBox) SendEmail(context.Context, notify.Email) error {
	f.n++
	return errors.New("smtp down")
}
func (f *failingBox) SendSMS(context.Context, string, string) error {
	f.n++
	return errors.New("sms down")
}

// TestProviderErrorsRetriedThenFailed: errors are retried with backoff; after
// the fifth the message is failed and the next step is planned.
func TestProviderErrorsRetriedThenFailed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newOutreachEnv(t, store)
		e.Clock.Set(paris(2026, 6, 8, 9, 0))
		f := &failingBox{}
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: f, SMS: f}}
		for range 40 {
			_, _ = r.RunOnce(context.Background())
			e.Clock.Add(10 * time.Minute)
		}
		ms, _ := e.Outreach.Messages(context.Background(), e.c.ID)
		var first outreach.Message
		for _, m := range ms {
			if m.Step == 0 {
				first = m
			}
		}
		if first.State != outreach.StateFailed || first.Attempts != 5 || f.n < 5 {
			t.Fatalf("first step %+v after %d sends", first, f.n)
		}
	})
}

// TestCapCountsPromiseRemindersAndOptOuts: the promise reminder counts
// toward the same cap as the scenario's steps, is held back by it, and
// never uses an opted-out channel.
func TestCapCountsPromiseRemindersAndOptOuts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newOutreachEnv(t, store)
		sc := outreach.DefaultScenario("consumer")
		sc.MaxPer7Days = 1
		if _, err := e.Outreach.SaveScenario(ctx, e.c.CreditorID, sc); err != nil {
			t.Fatal(err)
		}
		e.Clock.Set(paris(2026, 6, 8, 9, 0))
		box := &sentBox{}
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		if _, err := r.RunOnce(ctx); err != nil || len(box.mails) != 1 {
			t.Fatalf("first step: %v, %d mails", err, len(box.mails))
		}
		if _, err := e.Choices.Promise(ctx, e.c.ID, portal.DateOf(paris(2026, 6, 10, 12, 0)), 0); err != nil {
			t.Fatal(err)
		}
		e.Clock.Set(paris(2026, 6, 9, 10, 0))
		n := &outreach.Notifier{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		if err := n.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if len(box.mails) != 1 || len(box.sms) != 0 {
			t.Fatalf("the promise reminder went over the cap: %d mails, %d sms", len(box.mails), len(box.sms))
		}
		evs, _ := e.Core.Timeline(ctx, e.c.ID)
		if last := evs[len(evs)-1]; last.Kind != portal.EventPromiseReminderNotSent || !strings.Contains(last.Data, `"cap"`) {
			t.Fatalf("timeline ends with %s %s", last.Kind, last.Data)
		}

		// A week on, a new promise: the reminder goes, but not by the
		// opted-out email.
		if err := e.Outreach.OptOutByAgent(ctx, e.c.ID, outreach.ChannelEmail, portal.SystemActor); err != nil {
			t.Fatal(err)
		}
		e.Clock.Set(paris(2026, 6, 16, 10, 0))
		store.DB.Model(&portal.Case{}).Where("id = ?", e.c.ID).Update("status", portal.StatusOpen)
		if _, err := e.Choices.Promise(ctx, e.c.ID, portal.DateOf(paris(2026, 6, 17, 12, 0)), 0); err != nil {
			t.Fatal(err)
		}
		if err := n.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if len(box.mails) != 1 || len(box.sms) != 1 {
			t.Fatalf("after the email opt-out: %d mails, %d sms", len(box.mails), len(box.sms))
		}
		// That SMS now fills the week: with the case open again, the
		// scenario's next step still waits.
		store.DB.Model(&portal.Case{}).Where("id = ?", e.c.ID).Update("status", portal.StatusOpen)
		e.Clock.Set(paris(2026, 6, 17, 10, 0))
		if _, err := r.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if len(box.sms) != 1 || len(box.mails) != 1 {
			t.Fatalf("a step went despite the promise reminder filling the cap: %d mails, %d sms", len(box.mails), len(box.sms))
		}
		ms, _ := e.Outreach.Messages(ctx, e.c.ID)
		held := false
		for _, m := range ms {
			held = held || m.Reason == outreach.ReasonReminder && m.State == outreach.StatePlanned && m.Outcome == "cap"
		}
		if !held {
			t.Fatalf("no step held by the cap: %+v", ms)
		}
	})
}

// dyingBox delivers, then "the process dies" before the outcome is
// committed (its context is cancelled).
type dyingBox struct {
	sentBox
	die context.CancelFunc
}

func (d *dyingBox) SendEmail(ctx context.Context, m notify.Email) error {
	_ = d.sentBox.SendEmail(ctx, m)
	d.die()
	return nil
}

// TestCrashAfterTheProviderNeverSendsTwice: a process that dies between
// the provider call and its commit leaves the step to its lease; another
// process marks it uncertain and goes on with the next step, never
// resending it.
func TestCrashAfterTheProviderNeverSendsTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newOutreachEnv(t, store)
		e.Clock.Set(paris(2026, 6, 8, 9, 0))
		ctx, cancel := context.WithCancel(context.Background())
		dying := &dyingBox{die: cancel}
		r1 := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: dying, SMS: dying}}
		_, _ = r1.RunOnce(ctx)
		if len(dying.mails) != 1 {
			t.Fatalf("%d mails before the crash", len(dying.mails))
		}
		box := &sentBox{}
		r2 := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		e.Clock.Add(time.Minute) // the lease still runs: nothing happens
		if _, err := r2.RunOnce(context.Background()); err != nil || len(box.mails)+len(box.sms) != 0 {
			t.Fatalf("during the lease: %v, %d mails %d sms", err, len(box.mails), len(box.sms))
		}
		e.Clock.Add(10 * time.Minute)
		reminderRun(t, e, r2, paris(2026, 6, 9, 12, 0))
		if len(box.mails) != 0 || len(box.sms) != 1 {
			t.Fatalf("after the lease: %d mails (the crashed step again?), %d sms (the next step)", len(box.mails), len(box.sms))
		}
		ms, _ := e.Outreach.Messages(context.Background(), e.c.ID)
		for _, m := range ms {
			if m.Step == 0 && m.State != outreach.StateUncertain {
				t.Fatalf("crashed step = %s", m.State)
			}
		}
	})
}

// TestPromiseReminderHeldByQuietHours: a promise reminder that comes due
// at night is held, not lost, and goes at 8:00 with the promised day.
func TestPromiseReminderHeldByQuietHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newOutreachEnv(t, store)
		e.Clock.Set(paris(2026, 6, 8, 12, 0))
		if _, err := e.Choices.Promise(ctx, e.c.ID, portal.DateOf(paris(2026, 6, 10, 12, 0)), 0); err != nil {
			t.Fatal(err)
		}
		e.Clock.Set(paris(2026, 6, 9, 6, 30))
		box := &sentBox{}
		n := &outreach.Notifier{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		if err := n.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if len(box.mails) != 0 {
			t.Fatalf("a promise reminder went at 6:30")
		}
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}}
		reminderRun(t, e, r, paris(2026, 6, 9, 9, 0))
		if len(box.mails) != 1 || !strings.Contains(box.mails[0].Text, "10 juin 2026") || box.mails[0].Headers["List-Unsubscribe"] == "" {
			t.Fatalf("held reminder: %+v", box.mails)
		}
		ms, _ := e.Outreach.Messages(ctx, e.c.ID)
		for _, m := range ms {
			if m.Reason == outreach.ReasonPromiseReminder && m.State == outreach.StateSent && m.SentAt.Before(paris(2026, 6, 9, 8, 0)) {
				t.Errorf("sent at %s", m.SentAt)
			}
		}
	})
}
