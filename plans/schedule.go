package plans

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Errors returned by Build and FromAffordable for input no schedule can be
// made from. Limits of a policy are reported by Check as *LimitError instead.
var (
	ErrBalanceNotPositive = errors.New("plans: balance must be positive")
	ErrInvalidCount       = errors.New("plans: invalid number of instalments")
	ErrInvalidAmount      = errors.New("plans: amount per period must be positive")
)

// Instalment is one payment of a plan.
type Instalment struct {
	// Seq numbers the instalments from 1 in the order they fall due.
	Seq int `json:"seq"`
	// DueOn is the calendar day the payment is due (midnight UTC).
	DueOn time.Time `json:"due_on"`
	// AmountCents is the amount due, in minor units.
	AmountCents int64 `json:"amount_cents"`
	// DownPayment marks the first instalment when the policy asks for a down payment.
	DownPayment bool `json:"down_payment"`
}

// Option is one complete schedule a debtor may choose or has asked for.
type Option struct {
	// Frequency is how often the instalments fall due.
	Frequency Frequency `json:"frequency"`
	// Count is the number of payments, the down payment included; it equals
	// len(Instalments) except when FromAffordable reports too many instalments.
	Count int `json:"count"`
	// DownPaymentCents is the first payment when it is a down payment, else 0.
	DownPaymentCents int64 `json:"down_payment_cents"`
	// Instalments are the payments in due order.
	Instalments []Instalment `json:"instalments"`
	// InstalmentCents is the regular amount, the one the last instalment pays.
	// Earlier regular instalments may pay one cent more (see Build).
	InstalmentCents int64 `json:"instalment_cents"`
	// FirstDueOn and LastDueOn are the due dates of the first and last
	// instalments, for showing a plan at a glance.
	FirstDueOn time.Time `json:"first_due_on"`
	LastDueOn  time.Time `json:"last_due_on"`
	// TotalCents is the sum of the instalments, which is the balance.
	TotalCents int64 `json:"total_cents"`
	// OfferedOn is the day the schedule was computed for; Check measures the
	// first payment and the duration from it.
	OfferedOn time.Time `json:"offered_on"`
}

// split is how a balance divides into payments, without the dates.
type split struct {
	down    int64 // the down payment, 0 when there is none
	base    int64 // the regular amount, the smallest one
	extra   int   // how many regular instalments, the earliest, pay base+1
	regular int   // how many instalments are not the down payment
}

// splitBalance divides balance into count payments. With a down payment
// percentage and two or more payments, the first payment is the larger of
// that percentage (rounded up) and an even share, so a down payment is never
// smaller than the payments after it. The rest is spread evenly and its
// remainder cents go on the earliest instalments. ok is false when some
// payment would be below one cent.
func splitBalance(balance int64, count, downPercent int) (s split, ok bool) {
	rest := balance
	s.regular = count
	if downPercent > 0 && count >= 2 {
		s.down = max(percentCeil(balance, downPercent), ceilDiv(balance, int64(count)))
		rest -= s.down
		s.regular--
	}
	s.base = rest / int64(s.regular)
	s.extra = int(rest % int64(s.regular))
	return s, s.base >= 1
}

// Build returns the schedule of count payments of balance at frequency freq,
// the first due on start. Amounts sum exactly to the balance and differ by at
// most one cent, the earliest carrying the extra cents; the down payment, when
// the policy asks for one, comes first and may be larger.
//
// Build checks its input and the policy but not the policy's limits, so an
// agent can build any schedule; call Policy.Check for the limits. It treats
// start as the day the schedule is offered; a caller letting the debtor start
// later sets OfferedOn to today before calling Check.
func Build(balance int64, freq Frequency, count int, p Policy, start time.Time) (Option, error) {
	if balance <= 0 {
		return Option{}, ErrBalanceNotPositive
	}
	if !freq.Valid() {
		return Option{}, fmt.Errorf("%w: %q", ErrUnknownFrequency, freq)
	}
	if count < 1 || count > MaxInstalments {
		return Option{}, fmt.Errorf("%w: %d is not between 1 and %d", ErrInvalidCount, count, MaxInstalments)
	}
	if err := p.Validate(); err != nil {
		return Option{}, err
	}
	start = DateOf(start)
	return build(balance, freq, count, p.MinDownPaymentPercent, start, start)
}

// build makes the schedule once the input is known to be sound.
func build(balance int64, freq Frequency, count, downPercent int, offeredOn, start time.Time) (Option, error) {
	s, ok := splitBalance(balance, count, downPercent)
	if !ok {
		return Option{}, fmt.Errorf("%w: %d instalments of %d cents would leave one below a cent", ErrInvalidCount, count, balance)
	}
	o := Option{
		Frequency:        freq,
		Count:            count,
		DownPaymentCents: s.down,
		Instalments:      make([]Instalment, count),
		InstalmentCents:  s.base,
		TotalCents:       balance,
		OfferedOn:        offeredOn,
	}
	for i := range o.Instalments {
		in := Instalment{Seq: i + 1, DueOn: freq.dueOn(start, i), AmountCents: s.base}
		r := i // index among the regular instalments
		if s.down > 0 {
			r--
		}
		switch {
		case r < 0:
			in.AmountCents = s.down
			in.DownPayment = true
		case r < s.extra:
			in.AmountCents++
		}
		o.Instalments[i] = in
	}
	o.FirstDueOn = o.Instalments[0].DueOn
	o.LastDueOn = o.Instalments[count-1].DueOn
	return o, nil
}

// maxOptionsPerFrequency keeps the choice short enough to read on a phone.
const maxOptionsPerFrequency = 6

// ladder is the instalment counts worth offering, in the order a debtor reads them.
var ladder = []int{2, 3, 4, 6, 8, 10, 12, 18, 24, 36, 48, 60, 72, 84, 96, 108, 120}

// Options returns the plans a debtor may choose for balance under p, the first
// payment due today. For each allowed frequency (weekly, fortnightly, then
// monthly) it offers up to six counts of two or more payments, ascending,
// taken from a ladder of round counts and always including the longest plan
// allowed, so the smallest instalment is on offer. Every option passes Check.
// It returns nil when the balance is not positive or the policy is invalid.
func Options(balance int64, p Policy, today time.Time) []Option {
	if balance <= 0 || p.Validate() != nil {
		return nil
	}
	today = DateOf(today)
	var out []Option
	for _, f := range frequencies {
		if !p.allows(f) {
			continue
		}
		var fitting []int
		for n := 2; n <= p.MaxInstalments; n++ {
			if p.fits(balance, f, n, today) {
				fitting = append(fitting, n)
			}
		}
		for _, n := range pickCounts(fitting) {
			o, err := build(balance, f, n, p.MinDownPaymentPercent, today, today)
			// fits has already said yes; Check on the real schedule has the last word.
			if err != nil || p.Check(o) != nil {
				continue
			}
			out = append(out, o)
		}
	}
	return out
}

// fits reports, without building the schedule, whether count payments at
// frequency f starting today keep within p's amount and duration limits.
func (p Policy) fits(balance int64, f Frequency, count int, today time.Time) bool {
	s, ok := splitBalance(balance, count, p.MinDownPaymentPercent)
	return ok && s.base >= p.MinInstalmentCents &&
		daysBetween(today, f.dueOn(today, count-1)) <= p.MaxDurationDays
}

// pickCounts chooses at most maxOptionsPerFrequency counts from the ascending
// counts that fit: the round ones from ladder plus the largest, then, when
// there are too many, an evenly spaced selection keeping the first and last.
func pickCounts(fitting []int) []int {
	if len(fitting) == 0 {
		return nil
	}
	var c []int
	for _, n := range ladder {
		if slices.Contains(fitting, n) {
			c = append(c, n)
		}
	}
	if longest := fitting[len(fitting)-1]; !slices.Contains(c, longest) {
		c = append(c, longest) // larger than every ladder count kept, so c stays sorted
	}
	if len(c) <= maxOptionsPerFrequency {
		return c
	}
	const k = maxOptionsPerFrequency - 1
	picked := make([]int, maxOptionsPerFrequency)
	for i := range picked {
		// round(i*(len(c)-1)/k) in integers; strictly increasing as len(c) > k+1.
		picked[i] = c[(2*i*(len(c)-1)+k)/(2*k)]
	}
	return picked
}

// FromAffordable builds the plan for a debtor who says they can pay
// perPeriod at frequency freq, the first payment due today. It uses the
// fewest payments that keep every regular instalment within perPeriod:
// ceil(balance/perPeriod), or, when the policy's down payment alone exceeds
// perPeriod, the down payment plus ceil(rest/perPeriod). When the down
// payment rounded up is the whole balance, the plan is that single payment.
//
// When the plan breaks a limit it returns the plan and a *LimitError, so the
// caller can save the request for an agent. Beyond MaxInstalments payments
// no schedule is built: the option then has Count (capped at MaxInt32),
// InstalmentCents (set to perPeriod) and TotalCents but no Instalments.
// Other errors mean the input was unusable and the option is empty.
func FromAffordable(balance int64, perPeriod int64, freq Frequency, p Policy, today time.Time) (Option, error) {
	if balance <= 0 {
		return Option{}, ErrBalanceNotPositive
	}
	if perPeriod <= 0 {
		return Option{}, ErrInvalidAmount
	}
	if !freq.Valid() {
		return Option{}, fmt.Errorf("%w: %q", ErrUnknownFrequency, freq)
	}
	if err := p.Validate(); err != nil {
		return Option{}, err
	}
	today = DateOf(today)

	count := ceilDiv(balance, perPeriod)
	switch down := percentCeil(balance, p.MinDownPaymentPercent); {
	case down >= balance:
		count = 1 // only on tiny balances, where the rounded-up down payment is everything
	case down > perPeriod:
		count = 1 + ceilDiv(balance-down, perPeriod)
	}
	if count > MaxInstalments {
		o := Option{
			Frequency:       freq,
			Count:           int(min(count, math.MaxInt32)), // capped so it fits an int everywhere
			InstalmentCents: perPeriod,
			TotalCents:      balance,
			FirstDueOn:      today,
			OfferedOn:       today,
		}
		return o, &LimitError{Reason: ReasonTooManyInstalments, Limit: int64(p.MaxInstalments)}
	}
	o, err := build(balance, freq, int(count), p.MinDownPaymentPercent, today, today)
	if err != nil {
		return Option{}, err
	}
	return o, p.Check(o)
}

// ceilDiv returns a/b rounded up for a >= 0 and b > 0, without overflow.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 {
		q++
	}
	return q
}

// percentCeil returns amount*pct/100 rounded up, for amount >= 0 and
// 0 <= pct <= 100. It splits amount into hundreds so that no product can
// overflow int64, whatever the balance.
func percentCeil(amount int64, pct int) int64 {
	q, r := amount/100, amount%100
	return q*int64(pct) + (r*int64(pct)+99)/100
}

// percentFloor returns amount*pct/100 rounded down, like percentCeil.
func percentFloor(amount int64, pct int) int64 {
	q, r := amount/100, amount%100
	return q*int64(pct) + r*int64(pct)/100
}
