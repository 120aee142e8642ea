package web

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/views"
)

// planShow is GET /case/plan. With an active plan it is the plan itself:
// what is paid, the next payment, paying early and changing the card. A
// plan waiting for its first payment offers to continue, a request waiting
// for the creditor says by when they answer. Otherwise, or with ?change=1
// or a ?frequency=, it is "set up a plan": how often, the options for that
// frequency, and what the debtor can afford.
func (s *Server) planShow(c *fiber.Ctx) error {
	d, err := s.planCase(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	ch, err := s.money.PlanOptions(ctx, d.Case.ID)
	if err != nil {
		if errors.Is(err, portal.ErrNothingToPay) {
			// A plan paid to the end still shows its schedule.
			if v, serr := s.money.PlanSchedule(ctx, d.Case.ID); serr == nil && v.Plan.Status == portal.PlanStatusCompleted {
				return s.render(c, fiber.StatusOK, "case_plan_schedule", scheduleView(d, v))
			}
		}
		if ok, rerr := s.planRefusal(c, err, d); ok {
			return rerr
		}
		return err
	}
	choosing := c.Query("change") != "" || c.Query("frequency") != ""
	if cur := ch.Current; cur != nil {
		switch {
		case cur.Status == portal.PlanStatusActive:
			v, err := s.money.PlanSchedule(ctx, d.Case.ID)
			if err != nil {
				return err
			}
			return s.render(c, fiber.StatusOK, "case_plan_schedule", scheduleView(d, v))
		case choosing:
		case cur.Status == portal.PlanStatusPending:
			v, err := s.money.PlanSchedule(ctx, d.Case.ID)
			if err != nil {
				return err
			}
			return s.render(c, fiber.StatusOK, "case_plan_schedule", scheduleView(d, v))
		case cur.Status == portal.PlanStatusRequested:
			return s.render(c, fiber.StatusOK, "case_plan_requested", requestedView(d, ch.Policy, *cur))
		}
	}
	v := chooseView(d, ch, c.Query("frequency"), nil)
	return s.render(c, fiber.StatusOK, "case_plan", v)
}

// chooseView builds the chooser for a frequency (the policy's monthly one,
// or its first, when freq is not one the creditor allows).
func chooseView(d portal.CaseDetail, ch money.PlanChoice, freq string, errs views.FieldErrors) views.PlanChooseView {
	allowed := allowedFrequencies(ch.Policy)
	v := views.PlanChooseView{
		PlanPage: planPage(d, errs), Balance: views.Amount{Cents: max(ch.BalanceCents, 0), Currency: ch.Currency},
		Frequencies: allowed, Options: []views.PlanOptionView{},
		Replacing: ch.Current != nil && ch.Current.Status != portal.PlanStatusActive,
	}
	for _, f := range allowed {
		if f == freq {
			v.Frequency = f
		}
	}
	if v.Frequency == "" {
		v.Frequency = views.FrequencyMonthly
		if len(allowed) > 0 && !slices.Contains(allowed, views.FrequencyMonthly) {
			v.Frequency = allowed[0]
		}
	}
	for _, o := range ch.Options {
		if string(o.Frequency) == v.Frequency {
			v.Options = append(v.Options, views.PlanOptionView{PlanSummary: planSummary(o, ch.Currency), CheckURL: planCheckURL(o)})
		}
	}
	return v
}

// scheduleView is an agreed plan with what is paid and what is next.
func scheduleView(d portal.CaseDetail, pv money.PlanView) views.PlanScheduleView {
	cur := pv.Currency
	v := views.PlanScheduleView{
		PlanPage: planPage(d, nil), Status: pv.Plan.Status,
		Summary: planSummary(optionOfPlan(pv.Plan), cur), Instalments: scheduleInstalments(pv.Plan, cur),
		Paid: views.Amount{Cents: pv.PaidCents, Currency: cur}, Remaining: views.Amount{Cents: pv.RemainingCents, Currency: cur},
		PaidCount: pv.PaidCount, CanPayNow: pv.CanPayNow, CanChangeCard: pv.CanChangeCard,
		MaxMissed: pv.MaxMissed, RetryDays: planRetryDays,
	}
	if pv.Next != nil {
		n := planInstalmentView(pv.Plan, *pv.Next, cur)
		v.Next = &n
		v.Failed = n.Status == portal.InstalmentFailed || n.Status == portal.InstalmentRequiresAction
	}
	return v
}

// requestedView is a request waiting for the creditor.
func requestedView(d portal.CaseDetail, pol plans.Policy, p portal.Plan) views.PlanRequestedView {
	reason := plans.Reason(p.OutsideReason)
	key, n, amount := planReason(reason, policyLimit(reason, pol, p.TotalCents), d.Case.Currency)
	return views.PlanRequestedView{
		PlanPage: planPage(d, nil), Summary: planSummary(optionOfPlan(p), d.Case.Currency),
		AnswerBy: portal.PlanAnswerBy(p.CreatedAt, d.Creditor.TimeZone).Time, Reason: key, Limit: n, LimitAmount: amount,
	}
}
