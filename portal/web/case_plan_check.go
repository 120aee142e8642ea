package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/views"
)

// planCheck is GET /case/plan/check?frequency=..&count=.. (an offered
// option) or &afford=.. (what the debtor can pay per period): the whole
// schedule, what happens if a payment is missed, whether the creditor must
// look at it first, and the form that confirms it. Nothing is saved here.
// A bad answer shows the chooser again with its errors, status 422.
func (s *Server) planCheck(c *fiber.Ctx) error {
	d, err := s.planCase(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	ch, err := s.money.PlanOptions(ctx, d.Case.ID)
	if err != nil {
		if ok, rerr := s.planRefusal(c, err, d); ok {
			return rerr
		}
		return err
	}
	if ch.Current != nil && ch.Current.Status == portal.PlanStatusActive {
		return c.Redirect(money.PlanPath, fiber.StatusSeeOther)
	}
	q := c.Context().QueryArgs()
	if !q.Has("frequency") && !q.Has("count") && !q.Has("afford") {
		// The language links of the layout drop the query: show the plans.
		return c.Redirect(money.PlanPath, fiber.StatusSeeOther)
	}
	form := planForm{Frequency: c.Query("frequency"), Count: c.Query("count"), Afford: c.Query("afford"),
		HasAfford: q.Has("afford")}
	req, errs := form.request()
	if len(errs) > 0 {
		v := chooseView(d, ch, form.Frequency, errs)
		v.Afford = form.Afford
		return s.render(c, fiber.StatusUnprocessableEntity, "case_plan", v)
	}
	o, within, lim, err := s.money.PreviewPlan(ctx, d.Case.ID, req)
	if fe, ok := planFieldError(err); ok {
		v := chooseView(d, ch, form.Frequency, views.FieldErrors{fe})
		v.Afford = form.Afford
		return s.render(c, fiber.StatusUnprocessableEntity, "case_plan", v)
	}
	if err != nil {
		if ok, rerr := s.planRefusal(c, err, d); ok {
			return rerr
		}
		return err
	}
	cur := ch.Currency
	v := views.PlanCheckView{
		PlanPage: planPage(d, nil), Summary: planSummary(o, cur), Instalments: planInstalments(o, cur),
		WithinLimits: within && ch.Policy.AutoApprove, MaxMissed: ch.Policy.MaxMissedInstalments, RetryDays: planRetryDays,
		CardPayment: s.cardPaymentEnabled(),
	}
	if req.AffordableCents > 0 {
		v.Afford = form.Afford
	} else {
		v.Count = req.Count
	}
	if v.WithinLimits {
		if len(o.Instalments) > 0 && !o.Instalments[0].DueOn.After(ch.Today.Time) {
			v.PayToday = views.Amount{Cents: o.Instalments[0].AmountCents, Currency: cur}
		}
	} else {
		var reason plans.Reason
		var limit int64
		if lim != nil {
			reason, limit = lim.Reason, lim.Limit
		}
		v.Reason, v.Limit, v.LimitAmount = planReason(reason, limit, cur)
		v.AnswerBy = portal.PlanAnswerBy(s.svc.Now(), d.Creditor.TimeZone).Time
	}
	return s.render(c, fiber.StatusOK, "case_plan_check", v)
}
