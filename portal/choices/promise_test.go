package choices_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

// choiceEnv is a service without Stripe on a fresh database, one creditor
// (default policy: promises up to 30 days) and one open case of 300.00.
type choiceEnv struct {
	*testkit.Kit
	t  *testing.T
	cr portal.Creditor
	c  portal.Case
}

// choiceStart is Thursday 4 June 2026, 10:00 in Paris.
var choiceStart = time.Date(2026, 6, 4, 8, 0, 0, 0, time.UTC)

func newChoiceEnv(t *testing.T, store *portal.Store) *choiceEnv {
	t.Helper()
	e := &choiceEnv{t: t, Kit: testkit.New(t, store, testkit.Options{Start: choiceStart})}
	e.cr, _ = e.Creditor("Atelier Dupont", nil)
	e.c = e.newCase("CH-1")
	return e
}

func (e *choiceEnv) newCase(ref string) portal.Case {
	e.t.Helper()
	d, err := e.Core.CreateCase(context.Background(), e.cr, portal.NewCase{Reference: ref, Currency: "EUR",
		Debtor: portal.NewDebtor{Name: "Camille Martin", Email: "camille@example.org", Phone: "+33612345678", Postcode: "75011", Language: "fr", Kind: "consumer"},
		Invoices: []portal.NewInvoice{
			{Number: "F-1", IssuedOn: "2026-04-01", DueOn: "2026-05-01", Lines: []portal.NewLine{{Label: "Toiture", AmountCents: 20000, Kind: portal.LinePrincipal}}},
			{Number: "F-2", IssuedOn: "2026-04-15", DueOn: "2026-05-15", Lines: []portal.NewLine{{Label: "Gouttière", AmountCents: 10000, Kind: portal.LinePrincipal}}},
		}}, portal.CreditorActor(e.cr.ID))
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Case
}

func (e *choiceEnv) status(caseID int64) portal.Status {
	e.t.Helper()
	var c portal.Case
	if err := e.Store.DB.Take(&c, caseID).Error; err != nil {
		e.t.Fatal(err)
	}
	return c.Status
}

func (e *choiceEnv) events(caseID int64, kind string) []map[string]any {
	e.t.Helper()
	evs, err := e.Core.Timeline(context.Background(), caseID)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []map[string]any
	for _, ev := range evs {
		if string(ev.Kind) == kind {
			m := map[string]any{}
			_ = json.Unmarshal([]byte(ev.Data), &m)
			out = append(out, m)
		}
	}
	return out
}

func day(s string) portal.Date {
	d, err := portal.ParseDate(s, false)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPromise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newChoiceEnv(t, store)
		tests := []struct {
			name   string
			date   string
			amount int64
			field  string
		}{
			{"a day in the past is refused", "2026-06-03", 0, "date"},
			{"a day beyond promise_max_days is refused", "2026-07-05", 0, "date"},
			{"more than the balance is refused", "2026-06-10", 30001, "amount"},
		}
		for _, tt := range tests {
			_, err := e.Choices.Promise(ctx, e.c.ID, day(tt.date), tt.amount)
			var inv *portal.InvalidError
			if !errors.As(err, &inv) || inv.Field != tt.field {
				t.Errorf("%s: err = %v", tt.name, err)
			}
		}
		if st := e.status(e.c.ID); st != portal.StatusOpen || len(e.events(e.c.ID, "promise_made")) != 0 {
			t.Fatalf("refused promises changed the case: %s", st)
		}
		p, err := e.Choices.Promise(ctx, e.c.ID, day("2026-07-04"), 12050)
		if err != nil {
			t.Fatal(err)
		}
		if st := e.status(e.c.ID); st != portal.StatusPromised {
			t.Fatalf("status %s", st)
		}
		ev := e.events(e.c.ID, "promise_made")
		if len(ev) != 1 || ev[0]["date"] != "2026-07-04" || ev[0]["amount_cents"] != float64(12050) {
			t.Fatalf("timeline %v", ev)
		}
		// A new promise replaces the open one.
		if _, err := e.Choices.Promise(ctx, e.c.ID, day("2026-06-20"), 0); err != nil {
			t.Fatal(err)
		}
		open, err := e.Choices.OpenPromise(ctx, e.c.ID)
		if err != nil || open == nil || open.ID == p.ID || open.DueOn.String() != "2026-06-20" || open.AmountCents != 0 {
			t.Fatalf("open promise %+v, %v", open, err)
		}
		var n int64
		store.DB.Model(&choices.Promise{}).Where("case_id = ? AND status = ?", e.c.ID, choices.PromiseOpen).Count(&n)
		if n != 1 {
			t.Fatalf("%d open promises", n)
		}

		store.DB.Model(&portal.Case{}).Where("id = ?", e.c.ID).Update("status", portal.StatusDisputed)
		if _, err := e.Choices.Promise(ctx, e.c.ID, day("2026-06-20"), 0); !errors.Is(err, portal.ErrPaymentsPaused) {
			t.Fatalf("disputed: %v", err)
		}
	})
}

func TestPromiseRemindersAndMisses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newChoiceEnv(t, store)
		kept := e.newCase("CH-KEPT")
		for _, id := range []int64{e.c.ID, kept.ID} {
			if _, err := e.Choices.Promise(ctx, id, day("2026-06-10"), 0); err != nil {
				t.Fatal(err)
			}
		}
		if r, err := e.Choices.DuePromiseReminders(ctx, day("2026-06-08")); err != nil || len(r) != 0 {
			t.Fatalf("two days before: %v %v", r, err)
		}
		r, err := e.Choices.DuePromiseReminders(ctx, day("2026-06-09"))
		if err != nil || len(r) != 2 {
			t.Fatalf("the day before: %+v %v", r, err)
		}
		if r[0].Email != "camille@example.org" || r[0].Language != "fr" || r[0].DueOn.String() != "2026-06-10" || r[0].Creditor != "Atelier Dupont" {
			t.Errorf("reminder %+v", r[0])
		}
		if again, _ := e.Choices.DuePromiseReminders(ctx, day("2026-06-09")); len(again) != 0 {
			t.Fatalf("a reminder went out twice: %+v", again)
		}
		if len(e.events(e.c.ID, "promise_reminder_due")) != 1 {
			t.Fatal("no promise_reminder_due event")
		}
		// The second case pays (partly) after promising.
		e.Clock.Set(choiceStart.Add(72 * time.Hour))
		if err := store.DB.Create(&portal.Payment{CaseID: kept.ID, Kind: portal.PaymentCard, AmountCents: 5000, Currency: "EUR",
			StripeObjectID: "pi_kept", CreatedAt: e.Clock.Now(), UpdatedAt: e.Clock.Now()}).Error; err != nil {
			t.Fatal(err)
		}
		if m, err := e.Choices.MissedPromises(ctx, day("2026-06-10")); err != nil || len(m) != 0 {
			t.Fatalf("on the day itself nothing is missed: %v %v", m, err)
		}
		m, err := e.Choices.MissedPromises(ctx, day("2026-06-11"))
		if err != nil || len(m) != 1 || m[0].CaseID != e.c.ID {
			t.Fatalf("missed %+v %v", m, err)
		}
		if st := e.status(e.c.ID); st != portal.StatusOpen {
			t.Errorf("missed case status %s", st)
		}
		if len(e.events(e.c.ID, "promise_missed")) != 1 || len(e.events(kept.ID, "promise_missed")) != 0 {
			t.Error("promise_missed events wrong")
		}
		var p choices.Promise
		store.DB.Where("case_id = ?", kept.ID).Take(&p)
		if p.Status != choices.PromiseKept {
			t.Errorf("paid promise is %s", p.Status)
		}
		var admin portal.User
		admin.OrganisationID = e.cr.OrganisationID
		list, err := e.Choices.MissedPromiseCases(ctx, admin)
		if err != nil || len(list) != 1 || list[0].CaseID != e.c.ID {
			t.Fatalf("worklist %+v %v", list, err)
		}
		other := e.cr.ID + 1000
		if list, _ := e.Choices.MissedPromiseCases(ctx, portal.User{OrganisationID: e.cr.OrganisationID, CreditorID: &other}); len(list) != 0 {
			t.Fatalf("a user of another creditor sees %+v", list)
		}
	})
}
