package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/views"
)

// caseCannotPayShow is GET /case/cannot-pay: a short, kind form asking
// what changed and, if the debtor wishes, a simple monthly budget.
func (s *Server) caseCannotPayShow(c *fiber.Ctx) error {
	v, d, err := s.hardshipView(c)
	if err != nil {
		return err
	}
	if err := portal.May(d.Case.Status, d.Balance.Cents(), portal.ActionCannotPay); err != nil {
		return s.payProblem(c, fiber.StatusConflict, refusalKey(err), d)
	}
	return s.render(c, fiber.StatusOK, "case_cannot_pay", v)
}

// caseCannotPay is POST /case/cannot-pay: "reason" and the optional
// budget ("income", "housing", "energy", "food", "transport",
// "other_debts", in euros with or without cents). It records the request
// and redirects 303 to /case/cannot-pay/next; bad answers show the form
// again (422) and change nothing.
func (s *Server) caseCannotPay(c *fiber.Ctx) error {
	v, d, err := s.hardshipView(c)
	if err != nil {
		return err
	}
	if err := portal.May(d.Case.Status, d.Balance.Cents(), portal.ActionCannotPay); err != nil {
		return s.payProblem(c, fiber.StatusConflict, refusalKey(err), d)
	}
	v.Reason = c.FormValue("reason")
	v.Income = strings.TrimSpace(c.FormValue("income"))
	v.Housing = strings.TrimSpace(c.FormValue("housing"))
	v.Energy = strings.TrimSpace(c.FormValue("energy"))
	v.Food = strings.TrimSpace(c.FormValue("food"))
	v.Transport = strings.TrimSpace(c.FormValue("transport"))
	v.OtherDebts = strings.TrimSpace(c.FormValue("other_debts"))
	in := choices.Hardship{Reason: v.Reason}
	if !slices.Contains(choices.HardshipReasons, v.Reason) {
		v.Errors = append(v.Errors, views.FieldError{Field: "reason", Key: "choice.err.reason.required"})
	}
	var b choices.Budget
	given := false
	for _, f := range []struct {
		id  string
		dst *int64
	}{{"income", &b.IncomeCents}, {"housing", &b.HousingCents}, {"energy", &b.EnergyCents}, {"food", &b.FoodCents},
		{"transport", &b.TransportCents}, {"other_debts", &b.OtherDebtsCents}} {
		raw := v.Value(f.id)
		if raw == "" {
			continue
		}
		given = true
		cents, err := portal.ParseAmount(raw)
		if err != nil {
			v.Errors = append(v.Errors, views.FieldError{Field: f.id, Key: "choice.err.budget.format"})
			continue
		}
		*f.dst = cents
	}
	if given {
		in.Budget = &b
	}
	if len(v.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "case_cannot_pay", v)
	}
	_, err = s.choices.RequestHelp(c.UserContext(), debtorCaseID(c), in)
	if fe, ok := choiceFieldError(err); ok {
		v.Errors = append(v.Errors, fe)
		return s.render(c, fiber.StatusUnprocessableEntity, "case_cannot_pay", v)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/case/cannot-pay/next", fiber.StatusSeeOther)
}

// caseCannotPayNextShow is GET /case/cannot-pay/next: the plan the
// budget leaves room for (with a link to set it up), or a callback or a
// pause to ask for, and free debt advice.
func (s *Server) caseCannotPayNextShow(c *fiber.Ctx) error {
	v, h, err := s.hardshipNextView(c)
	if err != nil {
		return err
	}
	if h == nil {
		return c.Redirect("/case/cannot-pay", fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "case_cannot_pay_next", v)
}

// caseCannotPayNext is POST /case/cannot-pay/next: "follow_up"
// ("callback" or "pause"), and for a callback "callback_on" (a date) and
// "callback_slot" (morning, afternoon, evening).
func (s *Server) caseCannotPayNext(c *fiber.Ctx) error {
	v, h, err := s.hardshipNextView(c)
	if err != nil {
		return err
	}
	if h == nil {
		return c.Redirect("/case/cannot-pay", fiber.StatusSeeOther)
	}
	v.FollowUp = c.FormValue("follow_up")
	v.CallbackDate = strings.TrimSpace(c.FormValue("callback_on"))
	v.Slot = c.FormValue("callback_slot")
	var cb *choices.Callback
	pause := false
	switch v.FollowUp {
	case "pause":
		pause = true
	case "callback":
		day, ok := parseDay(v.CallbackDate)
		switch {
		case v.CallbackDate == "":
			v.Errors = append(v.Errors, views.FieldError{Field: "callback_on", Key: "choice.err.callback_on.required"})
		case !ok:
			v.Errors = append(v.Errors, views.FieldError{Field: "callback_on", Key: "choice.err.callback_on.format"})
		case day.Before(v.First) || day.After(v.Last):
			v.Errors = append(v.Errors, views.FieldError{Field: "callback_on", Key: "choice.err.callback_on.range", First: v.First, Last: v.Last})
		}
		if !slices.Contains(choices.CallbackSlots, v.Slot) {
			v.Errors = append(v.Errors, views.FieldError{Field: "callback_slot", Key: "choice.err.callback_slot.required"})
		}
		cb = &choices.Callback{On: day, Slot: v.Slot}
	default:
		v.Errors = append(v.Errors, views.FieldError{Field: "follow_up", Key: "choice.err.follow_up.required"})
	}
	if len(v.Errors) > 0 {
		v.Asked = "" // show the form again, whatever was asked before
		return s.render(c, fiber.StatusUnprocessableEntity, "case_cannot_pay_next", v)
	}
	_, err = s.choices.AskFollowUp(c.UserContext(), debtorCaseID(c), cb, pause)
	if fe, ok := choiceFieldError(err); ok {
		fe.First, fe.Last = v.First, v.Last
		v.Errors = append(v.Errors, fe)
		v.Asked = ""
		return s.render(c, fiber.StatusUnprocessableEntity, "case_cannot_pay_next", v)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/case/cannot-pay/next", fiber.StatusSeeOther)
}

func (s *Server) hardshipView(c *fiber.Ctx) (views.HardshipView, portal.CaseDetail, error) {
	d, err := s.svc.CaseDetail(c.UserContext(), debtorCaseID(c))
	if err != nil {
		return views.HardshipView{}, d, err
	}
	useCaseLanguage(c, d.Case.DebtorLanguage)
	return views.HardshipView{ChoicePage: views.ChoicePage{Creditor: contactOf(d.Creditor)}, Reasons: choices.HardshipReasons}, d, nil
}

// hardshipNextView loads the case's latest open help request and what the
// page after it shows; the request is nil when there is none.
func (s *Server) hardshipNextView(c *fiber.Ctx) (views.HardshipNextView, *choices.HelpRequest, error) {
	ctx := c.UserContext()
	caseID := debtorCaseID(c)
	d, err := s.svc.CaseDetail(ctx, caseID)
	if err != nil {
		return views.HardshipNextView{}, nil, err
	}
	useCaseLanguage(c, d.Case.DebtorLanguage)
	v := views.HardshipNextView{ChoicePage: views.ChoicePage{Creditor: contactOf(d.Creditor)}, Slots: choices.CallbackSlots, PauseDays: choices.PauseDays}
	first, last, err := s.choices.CallbackWindow(ctx, caseID)
	if err != nil {
		return v, nil, err
	}
	v.First, v.Last = first.Time, last.Time
	h, err := s.choices.LatestHelpRequest(ctx, caseID)
	if err != nil || h == nil {
		return v, nil, err
	}
	_, v.HasBudget = h.BudgetFigures()
	switch {
	case h.CallbackOn != nil:
		v.Asked, v.CallbackOn, v.Slot = "callback", h.CallbackOn.Time, h.CallbackSlot
	case h.PauseRequested:
		v.Asked = "pause"
	}
	o, ok, err := s.choices.HelpProposal(ctx, *h)
	if err != nil {
		return v, h, err
	}
	if ok {
		cur := d.Case.Currency
		v.Proposal = &views.ProposalView{Count: o.Count, Instalment: views.Amount{Cents: o.InstalmentCents, Currency: cur},
			Total: views.Amount{Cents: o.TotalCents, Currency: cur}, FirstDue: o.FirstDueOn, LastDue: o.LastDueOn}
	}
	return v, h, nil
}
