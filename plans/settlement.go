package plans

import "time"

// Settlement returns what the debtor pays to settle balance in full at once
// under p's settlement discount, and whether an offer exists at all. The
// discount is rounded up to the cent, in the debtor's favour, but the amount
// is never below one cent, so it is always something Checkout can take.
func Settlement(balance int64, p Policy) (amount int64, ok bool) {
	d := p.SettlementDiscountPercent
	if balance <= 0 || d <= 0 || d >= 100 {
		return 0, false
	}
	return max(balance-percentCeil(balance, d), 1), true
}

// SettlementValidUntil returns the last calendar day, inclusive, on which a
// settlement offered on offeredOn may still be accepted: offeredOn plus
// settlement_valid_days, so "valid 7 days" offered on the 1st runs to the 8th.
func SettlementValidUntil(offeredOn time.Time, p Policy) time.Time {
	return DateOf(offeredOn).AddDate(0, 0, p.SettlementValidDays)
}
