package money

import (
	"context"
	"fmt"
	"time"

	"github.com/reglo/reglo/portal"
)

// Receipt is the proof of one payment that French law requires: who was
// paid, how much, when, for what, and what remains.
type Receipt struct {
	Number          string
	Case            portal.Case
	Creditor        portal.Creditor
	Payment         portal.Payment
	PaidAt          time.Time
	AmountCents     int64
	Currency        string
	Purpose         string // full, settlement, instalment
	InstalmentSeq   int
	InstalmentCount int
	RemainingCents  int64
}

// Receipt returns the receipt of a payment of a case. Refund and dispute
// rows have no receipt; a payment of another case is ErrNotFound.
func (s *Service) Receipt(ctx context.Context, caseID, paymentID int64) (Receipt, error) {
	d, err := s.core.CaseDetail(ctx, caseID)
	if err != nil {
		return Receipt{}, err
	}
	var r Receipt
	found := false
	for _, p := range d.Payments {
		if p.ID == paymentID && (p.Kind == portal.PaymentCard || p.Kind == portal.PaymentInstalment) {
			r.Payment, found = p, true
		}
	}
	if !found {
		return Receipt{}, portal.ErrNotFound
	}
	p := r.Payment
	r.Number = fmt.Sprintf("R-%d-%06d", caseID, p.ID)
	r.Case, r.Creditor = d.Case, d.Creditor
	r.PaidAt, r.AmountCents, r.Currency = p.CreatedAt, p.AmountCents, p.Currency
	// What remained right after this payment: everything owed, less every
	// money movement recorded up to and including it.
	remaining := d.Balance.TotalCents
	for _, q := range d.Payments {
		if q.StripeObjectID == "discount:"+p.StripeObjectID || q.CreatedAt.Before(p.CreatedAt) || q.ID <= p.ID && !q.CreatedAt.After(p.CreatedAt) {
			remaining -= q.AmountCents
		}
	}
	r.RemainingCents = remaining
	r.Purpose = "full"
	if p.Kind == portal.PaymentInstalment && p.InstalmentID != nil {
		r.Purpose = "instalment"
		var in portal.Instalment
		if err := s.db(ctx).Take(&in, *p.InstalmentID).Error; err == nil {
			r.InstalmentSeq = in.Seq
			var n int64
			s.db(ctx).Model(&portal.Instalment{}).Where("plan_id = ?", in.PlanID).Count(&n)
			r.InstalmentCount = int(n)
		}
	} else if p.CheckoutSessionID != "" {
		var cs portal.CheckoutSession
		if err := s.db(ctx).Where("case_id = ? AND stripe_session_id = ?", caseID, p.CheckoutSessionID).Take(&cs).Error; err == nil && cs.Purpose == "settlement" {
			r.Purpose = "settlement"
		}
	}
	return r, nil
}
