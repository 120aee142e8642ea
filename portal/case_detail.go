package portal

import (
	"context"

	"gorm.io/gorm"
)

// Balance sums a case's money. Every figure is computed from rows, never
// stored: Total from invoice lines, Paid from succeeded card and instalment
// payments, Returned from refunds and lost disputes.
type Balance struct {
	TotalCents    int64 `json:"total_cents"`
	PaidCents     int64 `json:"paid_cents"`
	ReturnedCents int64 `json:"returned_cents"`
	DiscountCents int64 `json:"discount_cents"`
}

// Cents is what is still owed; negative when the debtor overpaid.
func (b Balance) Cents() int64 {
	return b.TotalCents - b.PaidCents - b.DiscountCents + b.ReturnedCents
}

// OverpaidCents is how much was paid beyond the debt (0 when none).
func (b Balance) OverpaidCents() int64 {
	if b.Cents() < 0 {
		return -b.Cents()
	}
	return 0
}

// CaseDetail is a case with everything a page or API answer shows of it.
type CaseDetail struct {
	Case      Case
	Creditor  Creditor
	Invoices  []Invoice
	Documents []Document
	Payments  []Payment
	Plan      *Plan
	Balance   Balance
}

// CaseDetail loads a case and all that belongs to it.
func (s *Service) CaseDetail(ctx context.Context, caseID int64) (CaseDetail, error) {
	var d CaseDetail
	db := s.db(ctx)
	if err := db.Take(&d.Case, caseID).Error; err != nil {
		return d, notFound(err)
	}
	if err := db.Take(&d.Creditor, d.Case.CreditorID).Error; err != nil {
		return d, err
	}
	if err := db.Where("case_id = ?", caseID).Order("due_on, id").
		Preload("Lines", func(q *gorm.DB) *gorm.DB { return q.Order("position, id") }).
		Find(&d.Invoices).Error; err != nil {
		return d, err
	}
	if err := db.Where("case_id = ?", caseID).Order("id").Find(&d.Documents).Error; err != nil {
		return d, err
	}
	if err := db.Where("case_id = ?", caseID).Order("created_at, id").Find(&d.Payments).Error; err != nil {
		return d, err
	}
	var plan Plan
	err := db.Where("case_id = ? AND status IN ?", caseID, []string{"requested", "pending", "active"}).
		Preload("Instalments", func(q *gorm.DB) *gorm.DB { return q.Order("seq") }).
		Order("id DESC").Take(&plan).Error
	switch {
	case err == nil:
		d.Plan = &plan
	case err != gorm.ErrRecordNotFound:
		return d, err
	}
	for _, inv := range d.Invoices {
		for _, l := range inv.Lines {
			d.Balance.TotalCents += l.AmountCents
		}
	}
	d.Balance = sumPayments(d.Balance.TotalCents, d.Payments)
	return d, nil
}

func sumPayments(total int64, ps []Payment) Balance {
	b := Balance{TotalCents: total}
	for _, p := range ps {
		switch {
		case p.Kind == PaymentDiscount:
			b.DiscountCents += p.AmountCents
		case p.AmountCents >= 0:
			b.PaidCents += p.AmountCents
		default:
			b.ReturnedCents -= p.AmountCents
		}
	}
	return b
}

// balanceTx computes a case's balance inside a transaction with two sums.
func balanceTx(tx *gorm.DB, caseID int64) (Balance, error) {
	var b Balance
	if err := tx.Model(&InvoiceLine{}).Where("case_id = ?", caseID).Select("COALESCE(SUM(amount_cents), 0)").Scan(&b.TotalCents).Error; err != nil {
		return b, err
	}
	var ps []Payment
	if err := tx.Where("case_id = ?", caseID).Select("kind", "amount_cents").Find(&ps).Error; err != nil {
		return b, err
	}
	return sumPayments(b.TotalCents, ps), nil
}

// Totals by line kind, for the case page's breakdown.
func (d CaseDetail) TotalsByKind() map[string]int64 {
	t := map[string]int64{}
	for _, inv := range d.Invoices {
		for _, l := range inv.Lines {
			t[l.Kind] += l.AmountCents
		}
	}
	return t
}
