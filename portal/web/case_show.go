package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
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
	if offer, ok := s.money.SettlementOffer(d); ok && v.State == views.StateOpen {
		v.Settlement = &views.SettlementView{
			Amount:     views.Amount{Cents: offer.AmountCents, Currency: d.Case.Currency},
			ValidUntil: offer.ValidUntil.Time,
		}
	}
	if err := s.addDispute(c, d, &v); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "case_show", v)
}

// cardPaymentEnabled reports whether Stripe is configured; without it the
// case page says calmly that card payment is not available yet.
func (s *Server) cardPaymentEnabled() bool {
	return s.money.CardEnabled()
}

// addDispute shows where a contest stands: when the creditor will answer
// while it is open, and their reasons once they rejected it.
func (s *Server) addDispute(c *fiber.Ctx, d portal.CaseDetail, v *views.CaseView) error {
	dispute, err := s.choices.DisputeForCase(c.UserContext(), d.Case.ID)
	if err != nil || dispute == nil {
		return err
	}
	switch {
	case d.Case.Status == portal.StatusDisputed && dispute.Status == choices.DisputeOpen:
		v.ReviewBy = dispute.ReviewBy().Time
	case dispute.Status == choices.DisputeRejected && v.State == views.StateOpen:
		v.DisputeAnswer = dispute.Resolution
	}
	return nil
}
