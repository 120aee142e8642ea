package plans

import (
	"fmt"
	"slices"
)

// MaxInstalments is the most instalments any plan may have, whatever the
// policy: ten years of monthly payments.
const MaxInstalments = 120

// maxDays bounds every day count in a policy. It is a little over ten years,
// enough for 120 monthly instalments (at most 3,653 days), and keeps date
// arithmetic far from overflow.
const maxDays = 3660

// Policy is a creditor's limits on the plans a debtor may set up alone. An
// agent may override it per case. The JSON names are the ones stored and
// shown in forms, and the ones FieldError reports.
//
// To fill fields missing from stored JSON with defaults, decode into
// DefaultPolicy() rather than into a zero Policy.
type Policy struct {
	// MaxInstalments is the most payments in a plan, the down payment included.
	MaxInstalments int `json:"max_instalments"`
	// MinInstalmentCents is the smallest payment a plan may ask for; 0 means
	// no minimum beyond one cent.
	MinInstalmentCents int64 `json:"min_instalment_cents"`
	// MaxDurationDays is the most days from the day a plan is offered to its
	// last payment.
	MaxDurationDays int `json:"max_duration_days"`
	// MinDownPaymentPercent is the share of the balance, rounded up to the
	// cent, that the first payment must cover; 0 means no down payment.
	MinDownPaymentPercent int `json:"min_down_payment_percent"`
	// Frequencies are the allowed payment frequencies.
	Frequencies []Frequency `json:"frequencies"`
	// FirstPaymentWithinDays is the most days from the offer to the first payment.
	FirstPaymentWithinDays int `json:"first_payment_within_days"`
	// AutoApprove starts plans within limits at once; without it every plan
	// waits for an agent.
	AutoApprove bool `json:"auto_approve"`
	// SettlementDiscountPercent is the discount offered for paying in full at
	// once; 0 means no settlement offer.
	SettlementDiscountPercent int `json:"settlement_discount_percent"`
	// SettlementValidDays is how many days a settlement offer stays open.
	SettlementValidDays int `json:"settlement_valid_days"`
	// MaxMissedInstalments is how many missed instalments a plan survives
	// before it lapses.
	MaxMissedInstalments int `json:"max_missed_instalments"`
	// PromiseMaxDays is the furthest ahead, in days, a debtor may promise to pay.
	PromiseMaxDays int `json:"promise_max_days"`
}

// DefaultPolicy returns the limits a new creditor starts with: up to 12
// instalments of at least 20.00 over a year, any frequency, first payment
// within 14 days, approved automatically, no settlement offer.
func DefaultPolicy() Policy {
	return Policy{
		MaxInstalments:         12,
		MinInstalmentCents:     2000,
		MaxDurationDays:        365,
		MinDownPaymentPercent:  0,
		Frequencies:            []Frequency{Weekly, Fortnightly, Monthly},
		FirstPaymentWithinDays: 14,
		AutoApprove:            true,
		MaxMissedInstalments:   2,
		PromiseMaxDays:         30,
	}
}

// FieldError says which policy field is wrong and why, in plain English for
// the back office. Field is the JSON name of the field.
type FieldError struct {
	Field   string
	Message string
}

// Error returns the field and the message.
func (e *FieldError) Error() string {
	return e.Field + ": " + e.Message
}

func invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Validate reports the first invalid or contradictory limit as a *FieldError.
//
// A policy contradicts itself when it allows something no plan could ever
// satisfy: a frequency for which two payments never fit in max_duration_days
// (when plans of two or more payments are allowed), a 100% down payment that
// leaves nothing to pay in instalments, a 100% settlement discount that
// leaves nothing to pay, or a discount with no days to accept it.
func (p Policy) Validate() error {
	switch {
	case p.MaxInstalments < 1 || p.MaxInstalments > MaxInstalments:
		return invalid("max_instalments", "must be between 1 and %d", MaxInstalments)
	case p.MinInstalmentCents < 0:
		return invalid("min_instalment_cents", "must not be negative")
	case p.MaxDurationDays < 0 || p.MaxDurationDays > maxDays:
		return invalid("max_duration_days", "must be between 0 and %d", maxDays)
	case p.MinDownPaymentPercent < 0 || p.MinDownPaymentPercent > 100:
		return invalid("min_down_payment_percent", "must be between 0 and 100")
	case p.MinDownPaymentPercent == 100 && p.MaxInstalments >= 2:
		return invalid("min_down_payment_percent", "a 100%% down payment leaves nothing to pay in instalments")
	case p.FirstPaymentWithinDays < 0 || p.FirstPaymentWithinDays > maxDays:
		return invalid("first_payment_within_days", "must be between 0 and %d", maxDays)
	case p.SettlementDiscountPercent < 0 || p.SettlementDiscountPercent > 100:
		return invalid("settlement_discount_percent", "must be between 0 and 100")
	case p.SettlementDiscountPercent == 100:
		return invalid("settlement_discount_percent", "a 100%% discount leaves nothing to pay")
	case p.SettlementValidDays < 0 || p.SettlementValidDays > maxDays:
		return invalid("settlement_valid_days", "must be between 0 and %d", maxDays)
	case p.SettlementDiscountPercent > 0 && p.SettlementValidDays < 1:
		return invalid("settlement_valid_days", "must be at least 1 when a settlement discount is offered")
	case p.MaxMissedInstalments < 0 || p.MaxMissedInstalments > MaxInstalments:
		return invalid("max_missed_instalments", "must be between 0 and %d", MaxInstalments)
	case p.PromiseMaxDays < 1 || p.PromiseMaxDays > maxDays:
		return invalid("promise_max_days", "must be between 1 and %d", maxDays)
	case len(p.Frequencies) == 0:
		return invalid("frequencies", "must allow at least one frequency")
	}
	for i, f := range p.Frequencies {
		if !f.Valid() {
			return invalid("frequencies", "unknown frequency %q", f)
		}
		if slices.Contains(p.Frequencies[:i], f) {
			return invalid("frequencies", "%s is listed twice", f)
		}
	}
	if p.MaxInstalments >= 2 {
		// Slowest first, so the message names the limit that binds.
		for _, f := range slices.Backward(frequencies) {
			if p.allows(f) && p.MaxDurationDays < f.longestPeriodDays() {
				return invalid("max_duration_days", "must be at least %d days to fit two %s payments", f.longestPeriodDays(), f)
			}
		}
	}
	return nil
}

// allows reports whether the policy lets a debtor choose frequency f.
func (p Policy) allows(f Frequency) bool {
	return slices.Contains(p.Frequencies, f)
}
