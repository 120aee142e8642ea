package office_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

// wlEnv is a service with two creditors of one organisation and an admin
// of each kind, for the worklist, settings and import tests.
type wlEnv struct {
	*testkit.Kit
	t            testing.TB
	credA, credB portal.Creditor
	keyA         string
	admin        portal.User // the whole organisation
	adminA       portal.User // limited to credA
	agent        portal.User
	seq          int
}

func newWlEnv(t testing.TB, store *portal.Store) *wlEnv {
	t.Helper()
	e := &wlEnv{t: t, Kit: testkit.New(t, store, testkit.Options{Start: time.Date(2026, 6, 4, 10, 0, 0, 0, time.UTC)})}
	e.credA, e.keyA = e.Creditor("Énergie Claire", nil)
	e.credB, _ = e.Creditor("Atelier Martin", nil)
	e.admin = e.User("admin@example.org", portal.RoleAdmin, nil)
	e.adminA = e.User("admin-a@example.org", portal.RoleAdmin, &e.credA.ID)
	e.agent = e.User("agent@example.org", portal.RoleAgent, nil)
	return e
}

// addCase creates a case of one invoice line of amount cents.
func (e *wlEnv) addCase(cr portal.Creditor, ref string, cents int64) portal.Case {
	e.t.Helper()
	e.Clock.Add(time.Minute)
	d, err := e.Core.CreateCase(context.Background(), cr, portal.NewCase{Reference: ref,
		Debtor: portal.NewDebtor{Name: "Debtor " + ref, Postcode: "75011"},
		Invoices: []portal.NewInvoice{{Number: "F1", IssuedOn: "2026-01-01", DueOn: "2026-02-01",
			Lines: []portal.NewLine{{Label: "Travaux", AmountCents: cents, Kind: portal.LinePrincipal}}}}}, portal.SystemActor)
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Case
}

func (e *wlEnv) create(v any) {
	e.t.Helper()
	if err := e.Core.Store.DB.Create(v).Error; err != nil {
		e.t.Fatal(err)
	}
}

func (e *wlEnv) pay(c portal.Case, kind string, cents int64, state string) {
	e.seq++
	e.create(&portal.Payment{CaseID: c.ID, Kind: kind, AmountCents: cents, Currency: "EUR", StripeObjectID: fmt.Sprintf("obj_%d", e.seq),
		State: state, CreatedAt: e.Clock.Now(), UpdatedAt: e.Clock.Now()})
}

func (e *wlEnv) plan(c portal.Case, status string) portal.Plan {
	p := portal.Plan{CaseID: c.ID, Status: status, Frequency: "monthly", InstalmentCount: 3, TotalCents: 30000,
		OutsideReason: "too_many_instalments", CreatedAt: e.Clock.Now(), UpdatedAt: e.Clock.Now()}
	e.create(&p)
	return p
}

func reasonsOf(it office.WorkItem) []string {
	var out []string
	for _, r := range it.Reasons {
		out = append(out, r.Kind)
	}
	return out
}

func TestWorklistListsEveryReasonLargestBalanceFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newWlEnv(t, store)
		ctx := context.Background()
		db := store.DB

		requested := e.addCase(e.credA, "REQ", 50000)
		e.plan(requested, portal.PlanStatusRequested)

		locked := e.addCase(e.credA, "LOCK", 200000)
		nl, err := e.Core.CreateLink(ctx, locked.ID, "copy", 0, portal.SystemActor)
		if err != nil {
			t.Fatal(err)
		}
		db.Model(&portal.Link{}).Where("id = ?", nl.Link.ID).Update("locked_at", e.Clock.Now())
		// A locked link followed by a newer one needs nobody.
		relinked := e.addCase(e.credA, "RELINK", 300000)
		old, _ := e.Core.CreateLink(ctx, relinked.ID, "copy", 0, portal.SystemActor)
		db.Model(&portal.Link{}).Where("id = ?", old.Link.ID).Update("locked_at", e.Clock.Now())
		if _, err := e.Core.CreateLink(ctx, relinked.ID, "copy", 0, portal.SystemActor); err != nil {
			t.Fatal(err)
		}

		failed := e.addCase(e.credA, "FAIL", 100000)
		p := e.plan(failed, portal.PlanStatusActive)
		e.create(&portal.Instalment{PlanID: p.ID, CaseID: failed.ID, Seq: 1, DueOn: portal.DateOf(e.Clock.Now()), AmountCents: 10000,
			Status: portal.InstalmentFailed, UpdatedAt: e.Clock.Now()})
		e.plan(failed, portal.PlanStatusRequested) // two reasons on one case

		lapsed := e.addCase(e.credA, "LAPSE", 70000)
		e.plan(lapsed, portal.PlanStatusLapsed)

		chargeback := e.addCase(e.credB, "CB", 40000)
		e.pay(chargeback, portal.PaymentCard, 40000, "")
		e.pay(chargeback, portal.PaymentDispute, -40000, "open")

		over := e.addCase(e.credA, "OVER", 10000)
		e.pay(over, portal.PaymentCard, 12000, "")

		disputed := e.addCase(e.credB, "DISP", 60000)
		e.create(&choices.Dispute{CaseID: disputed.ID, Reason: "not_me", InvoiceIDs: "[]", DocumentIDs: "[]", Status: choices.DisputeOpen, CreatedAt: e.Clock.Now()})

		help := e.addCase(e.credA, "HELP", 80000)
		on := portal.DateOf(e.Clock.Now().AddDate(0, 0, 2))
		e.create(&choices.HelpRequest{CaseID: help.ID, Reason: "illness", CallbackOn: &on, CallbackSlot: "morning", Status: choices.HelpOpen, CreatedAt: e.Clock.Now()})

		quiet := e.addCase(e.credA, "QUIET", 999999)
		e.pay(quiet, portal.PaymentCard, 1000, "")

		items, err := e.Office.Worklist(ctx, e.admin)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.Reference)
		}
		want := []string{"LOCK", "FAIL", "HELP", "LAPSE", "DISP", "REQ", "CB", "OVER"}
		if !slices.Equal(got, want) {
			t.Fatalf("order %v, want %v", got, want)
		}
		wantReasons := map[string][]string{
			"LOCK": {office.WorkLinkLocked}, "FAIL": {office.WorkPlanRequested, office.WorkInstalmentFailed},
			"HELP": {office.WorkHelpRequest}, "LAPSE": {office.WorkPlanLapsed}, "DISP": {office.WorkDispute},
			"REQ": {office.WorkPlanRequested}, "CB": {office.WorkChargeback}, "OVER": {office.WorkOverpaid},
		}
		for _, it := range items {
			if r := reasonsOf(it); !slices.Equal(r, wantReasons[it.Reference]) {
				t.Errorf("%s: reasons %v, want %v", it.Reference, r, wantReasons[it.Reference])
			}
			switch it.Reference {
			case "OVER":
				if it.BalanceCents != -2000 || it.Reasons[0].AmountCents != 2000 {
					t.Errorf("overpaid: balance %d, amount %d", it.BalanceCents, it.Reasons[0].AmountCents)
				}
			case "CB":
				if it.BalanceCents != 40000 || it.Reasons[0].AmountCents != 40000 {
					t.Errorf("chargeback: balance %d, amount %d", it.BalanceCents, it.Reasons[0].AmountCents)
				}
			case "REQ":
				if it.Reasons[0].Plan == nil || it.Reasons[0].Plan.OutsideReason != "too_many_instalments" {
					t.Errorf("requested plan not loaded: %+v", it.Reasons[0])
				}
			case "HELP":
				if it.Reasons[0].CallbackOn == nil || it.Reasons[0].CallbackSlot != "morning" {
					t.Errorf("callback not loaded: %+v", it.Reasons[0])
				}
			}
		}

		limited, err := e.Office.Worklist(ctx, e.adminA)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range limited {
			if it.CreditorName != e.credA.Name {
				t.Errorf("an admin limited to %s sees %s of %s", e.credA.Name, it.Reference, it.CreditorName)
			}
		}
		if len(limited) != 6 {
			t.Errorf("limited admin sees %d items, want 6", len(limited))
		}
	})
}

func TestWorklistPlanDecisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newWlEnv(t, store)
		ctx := context.Background()
		c := e.addCase(e.credA, "R1", 120000)
		if err := e.Core.Store.DB.Model(&portal.Case{}).Where("id = ?", c.ID).Update("status", portal.StatusPlanRequested).Error; err != nil {
			t.Fatal(err)
		}
		p := e.plan(c, portal.PlanStatusRequested)

		outside := money.CounterOffer{Frequency: plans.Monthly, Count: 24, Reason: "Voici ce que nous pouvons faire"}
		var inv *portal.InvalidError
		if _, err := e.Money.CounterOfferPlan(ctx, e.agent, p.ID, outside); !errors.As(err, &inv) || inv.Field != "count" {
			t.Fatalf("counter-offer outside the limits: %v", err)
		}
		if _, err := e.Money.CounterOfferPlan(ctx, e.agent, p.ID, money.CounterOffer{Frequency: plans.Monthly, Count: 6}); !errors.As(err, &inv) || inv.Field != "reason" {
			t.Fatalf("counter-offer without a reason: %v", err)
		}
		adminB, err := e.Core.CreateUser(ctx, portal.NewUser{Email: "admin-b@example.org", Password: "correct horse battery", Role: portal.RoleAdmin, CreditorID: &e.credB.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Money.CounterOfferPlan(ctx, adminB, p.ID, money.CounterOffer{}); !errors.Is(err, portal.ErrNotFound) {
			t.Fatalf("an admin of another creditor: %v", err)
		}

		np, err := e.Money.CounterOfferPlan(ctx, e.agent, p.ID, money.CounterOffer{Frequency: plans.Monthly, Count: 6, Reason: "Six mois, c'est possible"})
		if err != nil {
			t.Fatal(err)
		}
		if np.Status != portal.PlanStatusPending || np.InstalmentCount != 6 || np.TotalCents != 120000 || len(np.Instalments) != 6 || np.DecisionReason == "" {
			t.Errorf("new plan %+v", np)
		}
		var oldP portal.Plan
		e.Core.Store.DB.Take(&oldP, p.ID)
		if oldP.Status != portal.PlanStatusDeclined || oldP.DecisionReason != "Six mois, c'est possible" {
			t.Errorf("old plan %s %q", oldP.Status, oldP.DecisionReason)
		}
		items, _ := e.Office.Worklist(ctx, e.agent)
		if len(items) != 0 {
			t.Errorf("the answered request is still on the worklist: %+v", items)
		}

		p2 := e.plan(e.addCase(e.credA, "R3", 5000), portal.PlanStatusRequested)
		if err := e.Money.DeclinePlanForUser(ctx, e.agent, p2.ID, " "); !errors.As(err, &inv) {
			t.Fatalf("decline without a reason: %v", err)
		}
		if err := e.Money.DeclinePlanForUser(ctx, e.agent, p2.ID, "Nous ne pouvons pas accepter"); err != nil {
			t.Fatal(err)
		}
		if err := e.Money.DeclinePlanForUser(ctx, e.agent, p2.ID, "again"); !errors.Is(err, portal.ErrConflict) {
			t.Fatalf("second decision: %v", err)
		}
	})
}
