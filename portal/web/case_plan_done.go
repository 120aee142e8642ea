package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/views"
)

// planDone is GET /case/plan/done?session_id=..., where Stripe sends the
// debtor back from a plan's Checkout. Stripe's redirect proves nothing:
// the page says the plan is being confirmed until the webhook has recorded
// the payment (or, for a session that only saves the card, started the
// plan), and a plain link checks again (no script needed).
func (s *Server) planDone(c *fiber.Ctx) error {
	d, err := s.planCase(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sessionID := c.Query("session_id")
	res, err := s.money.CheckoutStatus(ctx, d.Case.ID, sessionID)
	if err != nil {
		return err
	}
	pv, err := s.money.PlanSchedule(ctx, d.Case.ID)
	if err != nil {
		return err
	}
	running := pv.Plan.Status == portal.PlanStatusActive || pv.Plan.Status == portal.PlanStatusCompleted
	v := views.PlanDoneView{
		PlanPage:   planPage(d, nil),
		Confirmed:  running && (res.AmountCents == 0 || res.Confirmed),
		RefreshURL: money.PlanDonePath + "?session_id=" + url.QueryEscape(sessionID),
	}
	if v.Confirmed {
		v.Amount = views.Amount{Cents: res.AmountCents, Currency: pv.Currency}
		v.Summary = planSummary(optionOfPlan(pv.Plan), pv.Currency)
		v.Instalments = scheduleInstalments(pv.Plan, pv.Currency)
	}
	return s.render(c, fiber.StatusOK, "case_plan_done", v)
}
