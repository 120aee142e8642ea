package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/views"
)

// planRequest is POST /case/plan, the confirm form of the check page:
// fields "frequency" and "count" or "afford". Within the creditor's limits
// (and with auto_approve) the plan waits for its first payment and the
// debtor goes to Stripe with a 303; otherwise the request waits for the
// creditor and the debtor is told by when they answer. A bad answer shows
// the chooser with its errors, status 422, and saves nothing.
func (s *Server) planRequest(c *fiber.Ctx) error {
	d, err := s.planCase(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	form := planForm{Frequency: c.FormValue("frequency"), Count: c.FormValue("count"), Afford: c.FormValue("afford")}
	req, errs := form.request()
	if len(errs) == 0 {
		var out money.PlanOutcome
		out, err = s.money.RequestPlan(ctx, d.Case.ID, req, pageLang(c))
		switch {
		case err == nil && out.Status == portal.PlanStatusPending && out.CheckoutURL != "":
			return c.Redirect(out.CheckoutURL, fiber.StatusSeeOther)
		case err == nil:
			return c.Redirect("/case/plan/requested", fiber.StatusSeeOther)
		}
		fe, ok := planFieldError(err)
		if !ok {
			if ok, rerr := s.planRefusal(c, err, d); ok {
				return rerr
			}
			return err
		}
		errs = views.FieldErrors{fe}
	}
	ch, err := s.money.PlanOptions(ctx, d.Case.ID)
	if err != nil {
		if ok, rerr := s.planRefusal(c, err, d); ok {
			return rerr
		}
		return err
	}
	v := chooseView(d, ch, form.Frequency, errs)
	v.Afford = form.Afford
	return s.render(c, fiber.StatusUnprocessableEntity, "case_plan", v)
}

// planRequested is GET /case/plan/requested: the request waiting for the
// creditor, what happens next and by when. Without one, the plan page.
func (s *Server) planRequested(c *fiber.Ctx) error {
	d, err := s.planCase(c)
	if err != nil {
		return err
	}
	ch, err := s.money.PlanOptions(c.UserContext(), d.Case.ID)
	if err != nil {
		if ok, rerr := s.planRefusal(c, err, d); ok {
			return rerr
		}
		return err
	}
	if ch.Current == nil || ch.Current.Status != portal.PlanStatusRequested {
		return c.Redirect(money.PlanPath, fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "case_plan_requested", requestedView(d, ch.Policy, *ch.Current))
}
