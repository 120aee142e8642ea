package plans

import "fmt"

// Reason is a stable key for a broken limit. The web layer translates it
// into plain French or English for the debtor; the values never change.
type Reason string

// The limits Check can report.
const (
	ReasonFrequencyNotAllowed Reason = "frequency_not_allowed"
	ReasonTooManyInstalments  Reason = "too_many_instalments"
	ReasonFirstPaymentTooLate Reason = "first_payment_too_late"
	ReasonDownPaymentTooSmall Reason = "down_payment_too_small"
	ReasonInstalmentTooSmall  Reason = "instalment_too_small"
	ReasonTooLong             Reason = "too_long"
)

// LimitError reports which limit of a policy a plan breaks and the limit
// itself, so a message can say "at most 12 payments". A plan outside the
// limits is not wrong: it waits for an agent.
type LimitError struct {
	Reason Reason
	// Limit is the policy's value in the unit of the reason: instalments,
	// cents (the required down payment in cents, not the percentage), days;
	// 0 for a frequency that is not allowed.
	Limit int64
}

// Error describes the broken limit in plain English, for logs and agents.
func (e *LimitError) Error() string {
	switch e.Reason {
	case ReasonFrequencyNotAllowed:
		return "this payment frequency is not allowed"
	case ReasonTooManyInstalments:
		return fmt.Sprintf("the plan has more than %d payments", e.Limit)
	case ReasonFirstPaymentTooLate:
		return fmt.Sprintf("the first payment is more than %d days away", e.Limit)
	case ReasonDownPaymentTooSmall:
		return fmt.Sprintf("the first payment is less than the %d cents required up front", e.Limit)
	case ReasonInstalmentTooSmall:
		return fmt.Sprintf("a payment is less than the minimum of %d cents", e.Limit)
	case ReasonTooLong:
		return fmt.Sprintf("the last payment is more than %d days away", e.Limit)
	}
	return fmt.Sprintf("the plan breaks the limit %q (%d)", e.Reason, e.Limit)
}

// Check reports the first limit of p that o breaks, as a *LimitError, or nil
// when the debtor may have o without an agent (given p.AutoApprove). Limits
// are checked in this order: frequency, number of payments, date of the
// first payment, down payment, smallest payment, duration. A single payment
// of the whole balance is never too small.
func (p Policy) Check(o Option) error {
	if !p.allows(o.Frequency) {
		return &LimitError{Reason: ReasonFrequencyNotAllowed}
	}
	if o.Count > p.MaxInstalments {
		return &LimitError{Reason: ReasonTooManyInstalments, Limit: int64(p.MaxInstalments)}
	}
	if daysBetween(o.OfferedOn, o.FirstDueOn) > p.FirstPaymentWithinDays {
		return &LimitError{Reason: ReasonFirstPaymentTooLate, Limit: int64(p.FirstPaymentWithinDays)}
	}
	if len(o.Instalments) >= 2 {
		if p.MinDownPaymentPercent > 0 {
			required := percentCeil(o.TotalCents, p.MinDownPaymentPercent)
			if o.Instalments[0].AmountCents < required {
				return &LimitError{Reason: ReasonDownPaymentTooSmall, Limit: required}
			}
		}
		for _, in := range o.Instalments {
			if in.AmountCents < p.MinInstalmentCents {
				return &LimitError{Reason: ReasonInstalmentTooSmall, Limit: p.MinInstalmentCents}
			}
		}
	}
	if daysBetween(o.OfferedOn, o.LastDueOn) > p.MaxDurationDays {
		return &LimitError{Reason: ReasonTooLong, Limit: int64(p.MaxDurationDays)}
	}
	return nil
}
