package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/views"
)

// casePromiseShow is GET /case/promise: pick a day to pay (within the
// creditor's limit) and optionally an amount; once promised, the page
// thanks the debtor and still lets them pay early or change the date.
func (s *Server) casePromiseShow(c *fiber.Ctx) error {
	v, _, err := s.promiseView(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "case_promise", v)
}

// casePromise is POST /case/promise: fields "date" (YYYY-MM-DD or
// DD/MM/YYYY) and "amount" (optional, "120,50" or "120.50"). A good answer
// records the promise and redirects 303 to the page; a bad one shows the
// page again with its errors, status 422, and changes nothing.
func (s *Server) casePromise(c *fiber.Ctx) error {
	v, _, err := s.promiseView(c)
	if err != nil {
		return err
	}
	if v.Blocked != "" {
		return s.render(c, fiber.StatusConflict, "case_promise", v)
	}
	v.Date, v.Amount = strings.TrimSpace(c.FormValue("date")), strings.TrimSpace(c.FormValue("amount"))
	day, okDay := parseDay(v.Date)
	switch {
	case v.Date == "":
		v.Errors = append(v.Errors, views.FieldError{Field: "date", Key: "choice.err.date.required"})
	case !okDay:
		v.Errors = append(v.Errors, views.FieldError{Field: "date", Key: "choice.err.date.format"})
	case day.Before(v.First) || day.After(v.Last):
		v.Errors = append(v.Errors, views.FieldError{Field: "date", Key: "choice.err.date.range", First: v.First, Last: v.Last})
	}
	var cents int64
	if v.Amount != "" {
		cents, err = portal.ParseAmount(v.Amount)
		switch {
		case err != nil:
			v.Errors = append(v.Errors, views.FieldError{Field: "amount", Key: "choice.err.amount.format"})
		case cents == 0 || cents > v.Balance.Cents:
			v.Errors = append(v.Errors, views.FieldError{Field: "amount", Key: "choice.err.amount.range"})
		}
	}
	if len(v.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "case_promise", v)
	}
	_, err = s.choices.Promise(c.UserContext(), debtorCaseID(c), day, cents)
	if fe, ok := choiceFieldError(err); ok {
		fe.First, fe.Last = v.First, v.Last
		v.Errors = append(v.Errors, fe)
		return s.render(c, fiber.StatusUnprocessableEntity, "case_promise", v)
	}
	if err != nil {
		if b := promiseBlock(err); b != "" {
			v.Blocked = b
			return s.render(c, fiber.StatusConflict, "case_promise", v)
		}
		return err
	}
	return c.Redirect("/case/promise", fiber.StatusSeeOther)
}

// promiseView loads what the promise page shows for the session's case.
func (s *Server) promiseView(c *fiber.Ctx) (views.PromiseView, portal.CaseDetail, error) {
	ctx := c.UserContext()
	caseID := debtorCaseID(c)
	d, err := s.svc.CaseDetail(ctx, caseID)
	if err != nil {
		return views.PromiseView{}, d, err
	}
	useCaseLanguage(c, d.Case.DebtorLanguage)
	w, err := s.choices.PromiseWindow(ctx, caseID)
	if err != nil {
		return views.PromiseView{}, d, err
	}
	balance := max(d.Balance.Cents(), 0)
	v := views.PromiseView{
		ChoicePage: views.ChoicePage{Creditor: contactOf(d.Creditor)},
		Balance:    views.Amount{Cents: balance, Currency: d.Case.Currency},
		First:      w.First.Time, Last: w.Last.Time,
		CardPayment: s.cardPaymentEnabled(),
	}
	v.Blocked = refusalKey(portal.May(d.Case.Status, d.Balance.Cents(), portal.ActionPromise))
	p, err := s.choices.OpenPromise(ctx, caseID)
	if err != nil {
		return v, d, err
	}
	if p != nil && d.Case.Status == portal.StatusPromised {
		v.Promised = &views.PromisedView{On: p.DueOn.Time, Amount: views.Amount{Cents: p.AmountCents, Currency: d.Case.Currency}}
	}
	return v, d, nil
}

// promiseBlock names why the service refused a promise, "" if it did not.
func promiseBlock(err error) string {
	switch {
	case errors.Is(err, portal.ErrPaymentsPaused):
		return "paused"
	case errors.Is(err, portal.ErrNothingToPay):
		return "nothing_due"
	case errors.Is(err, portal.ErrConflict):
		return "plan"
	}
	return ""
}
