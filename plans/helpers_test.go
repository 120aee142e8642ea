package plans

import (
	"fmt"
	"math/big"
	"time"
)

// requiredDown is ceil(balance*pct/100) computed with big integers, as a
// reference independent of percentCeil.
func requiredDown(balance int64, pct int) int64 {
	n := new(big.Int).Mul(big.NewInt(balance), big.NewInt(int64(pct)))
	n.Add(n, big.NewInt(99))
	return n.Quo(n, big.NewInt(100)).Int64()
}

// scheduleProblem returns what is wrong with o as a schedule of balance
// starting on start with a down payment of pct percent, or "" when nothing is.
// It checks the invariants every built schedule must keep, whatever the limits.
func scheduleProblem(o Option, balance int64, pct int, start time.Time) string {
	if o.Count < 1 || o.Count != len(o.Instalments) {
		return fmt.Sprintf("count %d with %d instalments", o.Count, len(o.Instalments))
	}
	if o.TotalCents != balance {
		return fmt.Sprintf("total %d, balance %d", o.TotalCents, balance)
	}
	var sum int64
	for i, in := range o.Instalments {
		if in.Seq != i+1 {
			return fmt.Sprintf("instalment %d has seq %d", i, in.Seq)
		}
		if in.AmountCents < 1 {
			return fmt.Sprintf("instalment %d is %d cents", in.Seq, in.AmountCents)
		}
		if in.DueOn != DateOf(in.DueOn) || in.DueOn.Location() != time.UTC {
			return fmt.Sprintf("instalment %d is due at %v, not a midnight UTC date", in.Seq, in.DueOn)
		}
		sum += in.AmountCents
	}
	if sum != balance {
		return fmt.Sprintf("amounts sum to %d, balance %d", sum, balance)
	}
	if problem := datesProblem(o, DateOf(start)); problem != "" {
		return problem
	}

	regular := o.Instalments
	if pct > 0 && o.Count >= 2 {
		first := o.Instalments[0]
		if !first.DownPayment || first.AmountCents != o.DownPaymentCents {
			return fmt.Sprintf("first instalment %+v is not the down payment %d", first, o.DownPaymentCents)
		}
		if want := requiredDown(balance, pct); first.AmountCents < want {
			return fmt.Sprintf("down payment %d below %d%% of %d (%d)", first.AmountCents, pct, balance, want)
		}
		for _, in := range o.Instalments[1:] {
			if in.AmountCents > first.AmountCents {
				return fmt.Sprintf("instalment %d (%d) exceeds the down payment %d", in.Seq, in.AmountCents, first.AmountCents)
			}
		}
		regular = o.Instalments[1:]
	} else if o.DownPaymentCents != 0 {
		return fmt.Sprintf("down payment %d without a percentage", o.DownPaymentCents)
	}
	for i, in := range regular {
		if in.DownPayment {
			return fmt.Sprintf("instalment %d marked as down payment", in.Seq)
		}
		if i > 0 && in.AmountCents > regular[i-1].AmountCents {
			return fmt.Sprintf("instalment %d (%d) exceeds the one before (%d): extra cents must come first", in.Seq, in.AmountCents, regular[i-1].AmountCents)
		}
	}
	if spread := regular[0].AmountCents - regular[len(regular)-1].AmountCents; spread > 1 {
		return fmt.Sprintf("regular amounts differ by %d cents", spread)
	}
	if o.InstalmentCents != regular[len(regular)-1].AmountCents {
		return fmt.Sprintf("InstalmentCents %d, last instalment %d", o.InstalmentCents, regular[len(regular)-1].AmountCents)
	}
	return ""
}

// datesProblem checks the due dates against the calendar, independently of
// the code under test: fixed steps of days, or one month at a time with the
// start's day clamped to the month's length.
func datesProblem(o Option, start time.Time) string {
	if o.FirstDueOn != start || o.Instalments[0].DueOn != start {
		return fmt.Sprintf("first due %v, start %v", o.FirstDueOn, start)
	}
	if last := o.Instalments[len(o.Instalments)-1].DueOn; o.LastDueOn != last {
		return fmt.Sprintf("LastDueOn %v, last instalment due %v", o.LastDueOn, last)
	}
	for i := 1; i < len(o.Instalments); i++ {
		prev, due := o.Instalments[i-1].DueOn, o.Instalments[i].DueOn
		if !due.After(prev) {
			return fmt.Sprintf("instalment %d due %v, not after %v", i+1, due, prev)
		}
		switch o.Frequency {
		case Weekly, Fortnightly:
			step := 7
			if o.Frequency == Fortnightly {
				step = 14
			}
			if got := int(due.Sub(prev).Hours() / 24); got != step {
				return fmt.Sprintf("instalment %d comes %d days after the previous one", i+1, got)
			}
		case Monthly:
			months := (due.Year()-start.Year())*12 + int(due.Month()) - int(start.Month())
			wantDay := min(start.Day(), Date(due.Year(), due.Month()+1, 0).Day())
			if months != i || due.Day() != wantDay {
				return fmt.Sprintf("instalment %d due %v, want day %d of month %d after %v", i+1, due.Format(time.DateOnly), wantDay, i, start.Format(time.DateOnly))
			}
		default:
			return fmt.Sprintf("unknown frequency %q", o.Frequency)
		}
	}
	return ""
}
