package portal

import (
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

func SumPayments(total int64, ps []Payment) Balance {
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
func BalanceTx(tx *gorm.DB, caseID int64) (Balance, error) {
	var b Balance
	if err := tx.Model(&InvoiceLine{}).Where("case_id = ?", caseID).Select("COALESCE(SUM(amount_cents), 0)").Scan(&b.TotalCents).Error; err != nil {
		return b, err
	}
	var ps []Payment
	if err := tx.Where("case_id = ?", caseID).Select("kind", "amount_cents").Find(&ps).Error; err != nil {
		return b, err
	}
	return SumPayments(b.TotalCents, ps), nil
}

// CaseBalances is the balance of each case computed by the database, for
// lists that show many cases at once (worklist, reports): the sum of the
// invoice lines less the sum of every payment row. Refunds and lost
// chargebacks are negative rows and settlement discounts positive ones, so
// this is exactly Balance.Cents; TestBalanceSQLAgreesWithGo holds the two
// together. Cases with neither lines nor payments are absent (balance 0).
func CaseBalances(db *gorm.DB, caseIDs []int64) (map[int64]int64, error) {
	type sumRow struct {
		CaseID int64
		Cents  int64
	}
	out := make(map[int64]int64, len(caseIDs))
	if len(caseIDs) == 0 {
		return out, nil
	}
	var lines, paid []sumRow
	if err := db.Table("invoice_lines").Select("case_id, SUM(amount_cents) AS cents").
		Where("case_id IN ?", caseIDs).Group("case_id").Scan(&lines).Error; err != nil {
		return nil, err
	}
	if err := db.Table("payments").Select("case_id, SUM(amount_cents) AS cents").
		Where("case_id IN ?", caseIDs).Group("case_id").Scan(&paid).Error; err != nil {
		return nil, err
	}
	for _, l := range lines {
		out[l.CaseID] += l.Cents
	}
	for _, p := range paid {
		out[p.CaseID] -= p.Cents
	}
	return out, nil
}
