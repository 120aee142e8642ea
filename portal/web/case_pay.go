package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/views"
)

// casePay is POST /case/pay: it opens (or reuses) a Stripe Checkout
// Session for the balance, or the settlement offer when the form's choice
// is "settlement", and sends the debtor to Stripe with a 303.
func (s *Server) casePay(c *fiber.Ctx) error {
	ctx := c.UserContext()
	caseID := debtorCaseID(c)
	d, err := s.svc.CaseDetail(ctx, caseID)
	if err != nil {
		return err
	}
	useCaseLanguage(c, d.Case.DebtorLanguage)
	settle := c.FormValue("choice") == "settlement"
	url, err := s.money.StartPayment(ctx, caseID, settle, pageLang(c))
	var inv *portal.InvalidError
	switch {
	case err == nil:
		return c.Redirect(url, fiber.StatusSeeOther)
	case errors.Is(err, portal.ErrPaymentsPaused), errors.Is(err, portal.ErrNothingToPay):
		return s.payProblem(c, fiber.StatusConflict, refusalKey(err), d)
	case errors.Is(err, portal.ErrCardNotConfigured):
		return s.payProblem(c, fiber.StatusServiceUnavailable, refusalKey(err), d)
	case errors.As(err, &inv):
		return s.payProblem(c, fiber.StatusUnprocessableEntity, "settlement_expired", d)
	}
	return err
}

func (s *Server) payProblem(c *fiber.Ctx, status int, reason string, d portal.CaseDetail) error {
	return s.render(c, status, "case_pay_problem", views.PayProblemView{Reason: reason, Creditor: contactOf(d.Creditor)})
}
