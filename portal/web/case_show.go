package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/views"
)

// caseShow is GET /case: the session's case in full (who is asking, the
// balance, invoices and lines, payments, documents) and the four choices.
func (s *Server) caseShow(c *fiber.Ctx) error {
	d, err := s.svc.CaseDetail(c.UserContext(), debtorCaseID(c))
	if err != nil {
		return err
	}
	useCaseLanguage(c, d.Case.DebtorLanguage)
	v := caseView(d, s.cardPaymentEnabled())
	if offer, ok := s.svc.SettlementOffer(d); ok && v.State == views.StateOpen {
		v.Settlement = &views.SettlementView{
			Amount:     views.Amount{Cents: offer.AmountCents, Currency: d.Case.Currency},
			ValidUntil: offer.ValidUntil.Time,
		}
	}
	return s.render(c, fiber.StatusOK, "case_show", v)
}

// cardPaymentEnabled reports whether Stripe is configured; without it the
// case page says calmly that card payment is not available yet.
func (s *Server) cardPaymentEnabled() bool {
	return s.svc.Stripe != nil && s.svc.Stripe.Enabled()
}
