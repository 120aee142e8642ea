package web

import (
	"github.com/gofiber/fiber/v2"
)

// The debtor's actions on a plan, each a form posting to Stripe's page:
// start a plan waiting for its first payment, pay the next instalment now,
// change the saved card. A refusal is a calm page; a plan in another state
// sends the debtor back to the plan page, which shows where things stand.

// planConfirm is POST /case/plan/confirm: carry on with a plan whose
// Checkout the debtor left, or one the creditor approved.
func (s *Server) planConfirm(c *fiber.Ctx) error {
	return s.planToStripe(c, func(caseID int64, lang string) (string, error) {
		out, err := s.money.ConfirmPlan(c.UserContext(), caseID, lang)
		return out.CheckoutURL, err
	})
}

// planPayNext is POST /case/plan/pay-next: pay the next instalment now,
// early or after a payment that did not go through.
func (s *Server) planPayNext(c *fiber.Ctx) error {
	return s.planToStripe(c, func(caseID int64, lang string) (string, error) {
		return s.money.PayNextInstalmentNow(c.UserContext(), caseID, lang)
	})
}

// planCard is POST /case/plan/card: save another card for the plan.
func (s *Server) planCard(c *fiber.Ctx) error {
	return s.planToStripe(c, func(caseID int64, lang string) (string, error) {
		return s.money.ChangeCard(c.UserContext(), caseID, lang)
	})
}

func (s *Server) planToStripe(c *fiber.Ctx, open func(caseID int64, lang string) (string, error)) error {
	d, err := s.planCase(c)
	if err != nil {
		return err
	}
	url, err := open(d.Case.ID, pageLang(c))
	if err == nil {
		return c.Redirect(url, fiber.StatusSeeOther)
	}
	if ok, rerr := s.planRefusal(c, err, d); ok {
		return rerr
	}
	return err
}
