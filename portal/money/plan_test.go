package money_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/storetest"
)

func TestPlanFromChoiceToPaid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newPlanEnv(t, store, nil)
		c := e.newCase("REF-PLAN", 60000)

		choice, err := e.Money.PlanOptions(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if choice.BalanceCents != 60000 || choice.Today.String() != "2025-01-31" || len(choice.Options) == 0 {
			t.Fatalf("choice: balance %d, today %s, %d options", choice.BalanceCents, choice.Today, len(choice.Options))
		}
		req := portal.PlanRequest{Frequency: plans.Monthly, Count: 3}
		o, within, reason, err := e.Money.PreviewPlan(ctx, c.ID, req)
		if err != nil || !within || reason != nil {
			t.Fatalf("preview: within %v, reason %v, err %v", within, reason, err)
		}
		var dates []string
		for _, in := range o.Instalments {
			dates = append(dates, in.DueOn.Format("2006-01-02"))
		}
		if !slices.Equal(dates, []string{"2025-01-31", "2025-02-28", "2025-03-31"}) {
			t.Fatalf("due dates %v", dates)
		}

		out, err := e.Money.RequestPlan(ctx, c.ID, req, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if out.Status != portal.PlanStatusPending || out.CheckoutURL == "" {
			t.Fatalf("outcome %+v", out)
		}
		again, err := e.Money.RequestPlan(ctx, c.ID, req, "fr")
		if err != nil || again.PlanID != out.PlanID || again.CheckoutURL != out.CheckoutURL {
			t.Fatalf("double submit: %+v, %v (first %+v)", again, err, out)
		}
		if n := len(e.postsTo("/v1/checkout/sessions")); n != 1 {
			t.Fatalf("%d checkout sessions created, want 1", n)
		}
		if n := e.proxy.Created("/v1/customers"); n != 1 {
			t.Fatalf("%d customers created, want 1", n)
		}
		p := e.plan(out.PlanID)
		var sum int64
		for _, in := range p.Instalments {
			sum += in.AmountCents
		}
		if p.Status != portal.PlanStatusPending || len(p.Instalments) != 3 || sum != 60000 {
			t.Fatalf("plan %s with %d instalments summing to %d", p.Status, len(p.Instalments), sum)
		}
		form := e.postsTo("/v1/checkout/sessions")[0].Form
		if form.Get("mode") != "payment" || form.Get("payment_intent_data[setup_future_usage]") != "off_session" ||
			form.Get("metadata[installment_id]") != strconv.FormatInt(p.Instalments[0].ID, 10) ||
			form.Get("metadata[plan_id]") != strconv.FormatInt(p.ID, 10) || form.Get("customer") == "" ||
			form.Get("line_items[0][price_data][unit_amount]") != "20000" {
			t.Fatalf("checkout form %v", form)
		}
		if st := e.caseStatus(c.ID); st != portal.StatusOpen {
			t.Fatalf("case is %s before the webhook", st)
		}

		// The first payment's webhook starts the plan and saves the card.
		e.checkoutPaid(p.Instalments[0], "pi_first")
		e.intentSucceeded(p.Instalments[0], "pi_first") // its sibling changes nothing
		p = e.plan(out.PlanID)
		if p.Status != portal.PlanStatusActive || p.StripePaymentMethodID != "pm_card_visa" || p.Instalments[0].Status != portal.InstalmentPaid {
			t.Fatalf("after first payment: plan %s, card %q, first %s", p.Status, p.StripePaymentMethodID, p.Instalments[0].Status)
		}
		if st := e.caseStatus(c.ID); st != portal.StatusPlanActive {
			t.Fatalf("case is %s, want plan_active", st)
		}

		var missed []money.MissedInstalment
		sc := money.NewScheduler(e.Money)
		sc.OnMissed = func(_ context.Context, m money.MissedInstalment) { missed = append(missed, m) }
		runOnce := func(want int) {
			t.Helper()
			n, err := sc.RunOnce(ctx)
			if err != nil || n != want {
				t.Fatalf("RunOnce at %s: %d, %v; want %d", e.Clock.Now(), n, err, want)
			}
		}
		runOnce(0) // nothing else due today

		// 28 February, 9:00 in Paris: the second instalment is charged.
		e.Clock.Set(time.Date(2025, 2, 28, 8, 0, 0, 0, time.UTC))
		runOnce(1)
		charges := e.postsTo("/v1/payment_intents")
		second := p.Instalments[1]
		if len(charges) != 1 || charges[0].IdempotencyKey != payments.InstalmentKey(second.ID, 1) ||
			charges[0].Form.Get("off_session") != "true" || charges[0].Form.Get("payment_method") != "pm_card_visa" ||
			charges[0].Form.Get("amount") != "20000" || charges[0].Form.Get("metadata[installment_id]") != strconv.FormatInt(second.ID, 10) {
			t.Fatalf("charges %+v", charges)
		}
		p = e.plan(out.PlanID)
		if in := p.Instalments[1]; in.Status != portal.InstalmentProcessing || in.PaymentIntentID == "" {
			t.Fatalf("second instalment %s with intent %q", in.Status, in.PaymentIntentID)
		}
		runOnce(0) // waiting for the webhook is not a reason to charge again
		e.intentSucceeded(p.Instalments[1], p.Instalments[1].PaymentIntentID)
		if in := e.plan(out.PlanID).Instalments[1]; in.Status != portal.InstalmentPaid {
			t.Fatalf("second instalment is %s after its webhook", in.Status)
		}

		// 31 March: the card is declined; the debtor gets a link.
		e.Clock.Set(time.Date(2025, 3, 31, 8, 0, 0, 0, time.UTC))
		e.proxy.RespondOnce("POST", "/v1/payment_intents", 402, stripemock.CardError("card_declined", "insufficient_funds", "pi_declined"))
		runOnce(1)
		p = e.plan(out.PlanID)
		third := p.Instalments[2]
		if third.Status != portal.InstalmentFailed || third.Attempts != 1 || third.LastError != "insufficient_funds" ||
			third.NextAttemptAt == nil || !third.NextAttemptAt.Equal(e.Clock.Now().Add(money.InstalmentRetryDelay)) || p.MissedCount != 1 {
			t.Fatalf("declined instalment %+v, missed %d", third, p.MissedCount)
		}
		if len(missed) != 1 || missed[0].InstalmentID != third.ID || missed[0].LinkURL == "" || missed[0].Lapsed {
			t.Fatalf("missed %+v", missed)
		}
		var link portal.Link
		if err := store.DB.Where("case_id = ? AND purpose = 'instalment'", c.ID).Take(&link).Error; err != nil {
			t.Fatal(err)
		}
		if link.InstalmentID == nil || *link.InstalmentID != third.ID || link.Channel != "email" {
			t.Fatalf("instalment link %+v", link)
		}
		kinds := e.timelineKinds(c.ID)
		if !slices.Contains(kinds, "instalment_failed") || !slices.Contains(kinds, "link_created") {
			t.Fatalf("timeline %v", kinds)
		}
		if st := e.caseStatus(c.ID); st != portal.StatusPlanActive {
			t.Fatalf("one miss moved the case to %s", st)
		}
		runOnce(0)

		// Three days later the retry, with a new key, goes through.
		e.Clock.Add(money.InstalmentRetryDelay)
		runOnce(1)
		charges = e.postsTo("/v1/payment_intents")
		if last := charges[len(charges)-1]; last.IdempotencyKey != payments.InstalmentKey(third.ID, 2) {
			t.Fatalf("retry key %q", last.IdempotencyKey)
		}
		third = e.plan(out.PlanID).Instalments[2]
		e.intentSucceeded(third, third.PaymentIntentID)
		p = e.plan(out.PlanID)
		if p.Status != portal.PlanStatusCompleted || p.Instalments[2].Status != portal.InstalmentPaid {
			t.Fatalf("plan %s, last instalment %s", p.Status, p.Instalments[2].Status)
		}
		if st := e.caseStatus(c.ID); st != portal.StatusPaid {
			t.Fatalf("case is %s after the last instalment", st)
		}
		kinds = e.timelineKinds(c.ID)
		for _, k := range []string{"plan_chosen", "plan_activated", "instalment_charged", "instalment_paid", "plan_completed"} {
			if !slices.Contains(kinds, k) {
				t.Errorf("timeline lacks %s: %v", k, kinds)
			}
		}
	})
}

func TestPlanLapsesAfterTooManyMisses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		pol := plans.DefaultPolicy()
		pol.MaxMissedInstalments = 1
		e := newPlanEnv(t, store, &pol)
		c := e.newCase("REF-LAPSE", 40000)
		p := e.activePlan(c, 4)
		sc := money.NewScheduler(e.Money)
		sc.Workers = 1

		e.Clock.Set(time.Date(2025, 2, 28, 8, 0, 0, 0, time.UTC))
		e.proxy.RespondOnce("POST", "/v1/payment_intents", 402, stripemock.CardError("card_declined", "insufficient_funds", "pi_d1"))
		if n, err := sc.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("RunOnce: %d, %v", n, err)
		}
		if st := e.caseStatus(c.ID); st != portal.StatusPlanActive {
			t.Fatalf("case %s after one miss", st)
		}

		// A month later the retry of the second fails again (no new miss)
		// and the third needs authentication: a second missed instalment.
		e.Clock.Set(time.Date(2025, 3, 31, 8, 0, 0, 0, time.UTC))
		e.proxy.RespondOnce("POST", "/v1/payment_intents", 402, stripemock.CardError("card_declined", "insufficient_funds", "pi_d2"))
		e.proxy.RespondOnce("POST", "/v1/payment_intents", 402, stripemock.CardError("authentication_required", "", "pi_d3"))
		if n, err := sc.RunOnce(ctx); n != 2 || err != nil {
			t.Fatalf("RunOnce: %d, %v", n, err)
		}
		p = e.plan(p.ID)
		got := []string{p.Instalments[1].Status, p.Instalments[2].Status, p.Instalments[3].Status}
		want := []string{portal.InstalmentCancelled, portal.InstalmentCancelled, portal.InstalmentCancelled}
		if p.Status != portal.PlanStatusLapsed || p.MissedCount != 2 || !slices.Equal(got, want) {
			t.Fatalf("plan %s, missed %d, instalments %v", p.Status, p.MissedCount, got)
		}
		if st := e.caseStatus(c.ID); st != portal.StatusOpen {
			t.Fatalf("case is %s after the lapse, want open", st)
		}
		if !slices.Contains(e.timelineKinds(c.ID), "plan_lapsed") {
			t.Fatal("no plan_lapsed on the timeline")
		}
		if n, err := sc.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("a lapsed plan was charged: %d, %v", n, err)
		}
	})
}

func TestPlanAuthenticationRequiredWaitsForTheDebtor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newPlanEnv(t, store, nil)
		c := e.newCase("REF-3DS", 30000)
		p := e.activePlan(c, 3)
		sc := money.NewScheduler(e.Money)
		e.Clock.Set(time.Date(2025, 2, 28, 8, 0, 0, 0, time.UTC))
		e.proxy.RespondOnce("POST", "/v1/payment_intents", 402, stripemock.CardError("authentication_required", "", "pi_3ds"))
		if n, err := sc.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("RunOnce: %d, %v", n, err)
		}
		in := e.plan(p.ID).Instalments[1]
		if in.Status != portal.InstalmentRequiresAction || in.NextAttemptAt != nil || in.PaymentIntentID != "pi_3ds" {
			t.Fatalf("instalment %+v", in)
		}
		// The debtor follows the link and pays it on session.
		url, err := e.Money.PayNextInstalmentNow(ctx, c.ID, "en")
		if err != nil || url == "" {
			t.Fatalf("pay now: %q, %v", url, err)
		}
		posts := e.postsTo("/v1/checkout/sessions")
		if f := posts[len(posts)-1].Form; f.Get("metadata[installment_id]") != strconv.FormatInt(in.ID, 10) || f.Get("mode") != "payment" {
			t.Fatalf("pay-now checkout %v", f)
		}
		e.checkoutPaid(in, "pi_on_session")
		if got := e.plan(p.ID).Instalments[1].Status; got != portal.InstalmentPaid {
			t.Fatalf("instalment %s after paying on session", got)
		}
		e.Clock.Add(10 * 24 * time.Hour)
		if n, err := sc.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("paid instalment charged again: %d, %v", n, err)
		}
	})
}

func TestPlanOutsideLimitsWaitsForAnAgent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newPlanEnv(t, store, nil)
		c := e.newCase("REF-ASK", 60000)
		req := portal.PlanRequest{Frequency: plans.Monthly, AffordableCents: 2500} // 24 payments, limit 12
		_, within, reason, err := e.Money.PreviewPlan(ctx, c.ID, req)
		if err != nil || within || reason == nil || reason.Reason != plans.ReasonTooManyInstalments {
			t.Fatalf("preview: within %v, reason %v, err %v", within, reason, err)
		}
		out, err := e.Money.RequestPlan(ctx, c.ID, req, "fr")
		if err != nil {
			t.Fatal(err)
		}
		// Friday 31 January: two working days later is Tuesday 4 February.
		if out.Status != portal.PlanStatusRequested || out.CheckoutURL != "" || out.AnswerBy.String() != "2025-02-04" || out.Reason == nil {
			t.Fatalf("outcome %+v", out)
		}
		again, err := e.Money.RequestPlan(ctx, c.ID, req, "fr")
		if err != nil || again.PlanID != out.PlanID {
			t.Fatalf("double submit: %+v, %v", again, err)
		}
		if st := e.caseStatus(c.ID); st != portal.StatusPlanRequested {
			t.Fatalf("case is %s", st)
		}
		evs, _ := e.Core.Timeline(ctx, c.ID)
		var found bool
		for _, ev := range evs {
			found = found || (ev.Kind == "plan_requested" && strings.Contains(ev.Data, `"reason":"too_many_instalments"`))
		}
		if !found {
			t.Fatalf("no plan_requested with its reason on the timeline")
		}
		if n := len(e.proxy.Requests("/v1/")); n != 0 {
			t.Fatalf("%d Stripe calls for a request waiting for an agent", n)
		}

		// An agent approves: the debtor is sent to pay the first instalment.
		agent := portal.UserActor(1)
		approved, err := e.Money.ApprovePlan(ctx, out.PlanID, "hardship", agent)
		if err != nil || approved.Status != portal.PlanStatusPending || len(approved.Instalments) != 24 {
			t.Fatalf("approve: %s with %d instalments, %v", approved.Status, len(approved.Instalments), err)
		}
		if err := e.Money.DeclinePlan(ctx, out.PlanID, "late", agent); !errors.Is(err, portal.ErrConflict) {
			t.Fatalf("declining an approved plan: %v", err)
		}
		if st := e.caseStatus(c.ID); st != portal.StatusOpen {
			t.Fatalf("case is %s after approval", st)
		}
		conf, err := e.Money.ConfirmPlan(ctx, c.ID, "fr")
		if err != nil || conf.CheckoutURL == "" {
			t.Fatalf("confirm: %+v, %v", conf, err)
		}
		e.checkoutPaid(approved.Instalments[0], "pi_approved")
		if st := e.caseStatus(c.ID); st != portal.StatusPlanActive {
			t.Fatalf("case is %s after the first payment", st)
		}

		// Another case: an agent declines.
		c2 := e.newCase("REF-NO", 60000)
		out2, err := e.Money.RequestPlan(ctx, c2.ID, portal.PlanRequest{Frequency: plans.Monthly, Count: 30}, "fr")
		if err != nil || out2.Status != portal.PlanStatusRequested {
			t.Fatalf("request: %+v, %v", out2, err)
		}
		if err := e.Money.DeclinePlan(ctx, out2.PlanID, "too long", agent); err != nil {
			t.Fatal(err)
		}
		if st := e.caseStatus(c2.ID); st != portal.StatusOpen || e.plan(out2.PlanID).Status != portal.PlanStatusDeclined {
			t.Fatalf("case %s, plan %s after decline", st, e.plan(out2.PlanID).Status)
		}
	})
}

func TestPlanWithoutPaymentTodaySavesTheCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newPlanEnv(t, store, nil)
		c := e.newCase("REF-LATER", 30000)
		startOn := portal.DateOf(planStart.AddDate(0, 0, 7))
		out, err := e.Money.RequestPlan(ctx, c.ID, portal.PlanRequest{Frequency: plans.Monthly, Count: 3, StartOn: startOn}, "en")
		if err != nil || out.Status != portal.PlanStatusPending {
			t.Fatalf("request: %+v, %v", out, err)
		}
		form := e.postsTo("/v1/checkout/sessions")[0].Form
		if form.Get("mode") != "setup" || form.Get("metadata[plan_id]") != strconv.FormatInt(out.PlanID, 10) {
			t.Fatalf("setup checkout %v", form)
		}
		e.setupCompleted(c, out.PlanID, "seti_later")
		p := e.plan(out.PlanID)
		if p.Status != portal.PlanStatusActive || p.StripePaymentMethodID != "pm_card_visa" || e.caseStatus(c.ID) != portal.StatusPlanActive {
			t.Fatalf("plan %s card %q case %s", p.Status, p.StripePaymentMethodID, e.caseStatus(c.ID))
		}
		sc := money.NewScheduler(e.Money)
		if n, _ := sc.RunOnce(ctx); n != 0 {
			t.Fatalf("charged %d before the first due date", n)
		}
		e.Clock.Set(startOn.Time.Add(7 * time.Hour))
		if n, err := sc.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("first instalment: %d, %v", n, err)
		}

		// Changing the card opens a setup session.
		url, err := e.Money.ChangeCard(ctx, c.ID, "en")
		posts := e.postsTo("/v1/checkout/sessions")
		if err != nil || url == "" || posts[len(posts)-1].Form.Get("mode") != "setup" {
			t.Fatalf("change card: %q, %v", url, err)
		}
		view, err := e.Money.PlanSchedule(ctx, c.ID)
		if err != nil || view.Plan.ID != out.PlanID || view.RemainingCents != 30000 || view.CanPayNow {
			t.Fatalf("schedule %+v, %v", view, err)
		}
	})
}

func TestPlanRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newPlanEnv(t, store, nil)
		req := portal.PlanRequest{Frequency: plans.Monthly, Count: 3}

		disputed := e.newCase("REF-DISPUTED", 30000)
		store.DB.Model(&portal.Case{}).Where("id = ?", disputed.ID).Update("status", portal.StatusDisputed)
		if _, err := e.Money.RequestPlan(ctx, disputed.ID, req, "fr"); !errors.Is(err, portal.ErrPaymentsPaused) {
			t.Errorf("disputed: %v", err)
		}
		active := e.newCase("REF-ACTIVE", 30000)
		e.activePlan(active, 3)
		if _, err := e.Money.RequestPlan(ctx, active.ID, req, "fr"); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("second plan: %v", err)
		}
		open := e.newCase("REF-BAD", 30000)
		for name, bad := range map[string]portal.PlanRequest{
			"no frequency":      {Count: 3},
			"neither":           {Frequency: plans.Monthly},
			"both":              {Frequency: plans.Monthly, Count: 3, AffordableCents: 100},
			"start in the past": {Frequency: plans.Monthly, Count: 3, StartOn: portal.DateOf(planStart.AddDate(0, 0, -1))},
		} {
			var inv *portal.InvalidError
			if _, err := e.Money.RequestPlan(ctx, open.ID, bad, "fr"); !errors.As(err, &inv) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

func TestSchedulerSkipsDisputedCases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newPlanEnv(t, store, nil)
		c := e.newCase("REF-PAUSE", 30000)
		p := e.activePlan(c, 3)
		store.DB.Model(&portal.Case{}).Where("id = ?", c.ID).Update("status", portal.StatusDisputed)
		e.Clock.Set(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
		sc := money.NewScheduler(e.Money)
		if n, err := sc.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("disputed case charged: %d, %v", n, err)
		}
		if st := e.plan(p.ID).Instalments[1].Status; st != portal.InstalmentScheduled {
			t.Fatalf("instalment %s while disputed", st)
		}
		store.DB.Model(&portal.Case{}).Where("id = ?", c.ID).Update("status", portal.StatusPlanActive)
		if n, err := sc.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("after the dispute: %d, %v", n, err)
		}
	})
}
