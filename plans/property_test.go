package plans

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"
	"time"
)

// randomPolicy returns a valid policy with limits spread over their whole range.
func randomPolicy(r *rand.Rand) Policy {
	for {
		p := DefaultPolicy()
		p.MaxInstalments = 1 + r.IntN(MaxInstalments)
		if r.IntN(3) > 0 {
			p.MaxInstalments = 2 + r.IntN(23) // the usual range
		}
		p.MinInstalmentCents = []int64{0, 1, 500, 2000, 10000, r.Int64N(100000)}[r.IntN(6)]
		p.MaxDurationDays = 31 + r.IntN(maxDays-30)
		if r.IntN(3) == 0 {
			p.MaxDurationDays = 31 + r.IntN(200)
		}
		if r.IntN(2) == 0 {
			p.MinDownPaymentPercent = 1 + r.IntN(99)
		}
		p.Frequencies = nil
		for _, f := range frequencies {
			if r.IntN(2) == 0 {
				p.Frequencies = append(p.Frequencies, f)
			}
		}
		r.Shuffle(len(p.Frequencies), func(i, j int) {
			p.Frequencies[i], p.Frequencies[j] = p.Frequencies[j], p.Frequencies[i]
		})
		p.FirstPaymentWithinDays = r.IntN(60)
		if err := p.Validate(); err == nil {
			return p
		}
	}
}

// randomBalance returns a balance between one cent and ten billion units,
// spread evenly over its number of digits.
func randomBalance(r *rand.Rand) int64 {
	digits := 1 + r.IntN(12)
	n := int64(1)
	for range digits {
		n *= 10
	}
	return 1 + r.Int64N(n)
}

func randomDay(r *rand.Rand) time.Time {
	return Date(1990, 1, 1).AddDate(0, 0, r.IntN(110*365))
}

func TestOptionsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		p := randomPolicy(r)
		balance := randomBalance(r)
		today := randomDay(r)
		opts := Options(balance, p, today)

		var prev Option
		perFrequency := map[Frequency][]int{}
		for j, o := range opts {
			if problem := scheduleProblem(o, balance, p.MinDownPaymentPercent, today); problem != "" {
				t.Fatalf("case %d: %s x%d: %s\npolicy %+v balance %d", i, o.Frequency, o.Count, problem, p, balance)
			}
			if err := p.Check(o); err != nil {
				t.Fatalf("case %d: offered %s x%d fails Check: %v", i, o.Frequency, o.Count, err)
			}
			if o.Count < 2 || o.Count > p.MaxInstalments {
				t.Fatalf("case %d: count %d outside 2..%d", i, o.Count, p.MaxInstalments)
			}
			for _, in := range o.Instalments {
				if in.AmountCents < p.MinInstalmentCents {
					t.Fatalf("case %d: %d cents below the minimum %d", i, in.AmountCents, p.MinInstalmentCents)
				}
			}
			if days := daysBetween(today, o.LastDueOn); days > p.MaxDurationDays {
				t.Fatalf("case %d: %d days, limit %d", i, days, p.MaxDurationDays)
			}
			if j > 0 && slices.Index(frequencies, o.Frequency) < slices.Index(frequencies, prev.Frequency) {
				t.Fatalf("case %d: %s after %s", i, o.Frequency, prev.Frequency)
			}
			perFrequency[o.Frequency] = append(perFrequency[o.Frequency], o.Count)
			prev = o
		}

		// Compare with every count, built and checked one by one.
		for _, f := range frequencies {
			if !p.allows(f) {
				if len(perFrequency[f]) > 0 {
					t.Fatalf("case %d: %s offered but not allowed", i, f)
				}
				continue
			}
			var valid []int
			for n := 2; n <= p.MaxInstalments; n++ {
				o, err := build(balance, f, n, p.MinDownPaymentPercent, today, today)
				ok := err == nil && p.Check(o) == nil
				if ok != p.fits(balance, f, n, today) {
					t.Fatalf("case %d: %s x%d: fits says %v, Check says %v", i, f, n, !ok, ok)
				}
				if ok {
					valid = append(valid, n)
				}
			}
			got := perFrequency[f]
			if len(got) > maxOptionsPerFrequency || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Fatalf("case %d: %s counts %v", i, f, got)
			}
			if (len(valid) > 0) != (len(got) > 0) {
				t.Fatalf("case %d: %s offers %v but %v fit", i, f, got, valid)
			}
			if len(valid) > 0 && got[len(got)-1] != valid[len(valid)-1] {
				t.Fatalf("case %d: %s offers %v, missing the longest %d", i, f, got, valid[len(valid)-1])
			}
		}
	}
}

func TestBuildProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 20000 {
		p := randomPolicy(r)
		balance := randomBalance(r)
		start := randomDay(r)
		freq := frequencies[r.IntN(3)]
		count := 1 + r.IntN(MaxInstalments)
		o, err := Build(balance, freq, count, p, start)
		if err != nil {
			if !errors.Is(err, ErrInvalidCount) || int64(count) <= balance && p.MinDownPaymentPercent == 0 {
				t.Fatalf("case %d: Build(%d, %s, %d) = %v", i, balance, freq, count, err)
			}
			continue
		}
		if problem := scheduleProblem(o, balance, p.MinDownPaymentPercent, start); problem != "" {
			t.Fatalf("case %d: Build(%d, %s, %d, down %d%%): %s", i, balance, freq, count, p.MinDownPaymentPercent, problem)
		}
		var le *LimitError
		if err := p.Check(o); err != nil && !errors.As(err, &le) {
			t.Fatalf("case %d: Check() = %v, not a LimitError", i, err)
		}
	}
}

func TestFromAffordableProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 20000 {
		p := randomPolicy(r)
		balance := randomBalance(r)
		perPeriod := 1 + r.Int64N(balance)
		if r.IntN(4) == 0 {
			perPeriod = max(1, balance/int64(1+r.IntN(40)))
		}
		today := randomDay(r)
		freq := frequencies[r.IntN(3)]
		o, err := FromAffordable(balance, perPeriod, freq, p, today)
		var le *LimitError
		if err != nil && !errors.As(err, &le) {
			t.Fatalf("case %d: FromAffordable = %v", i, err)
		}
		if o.Instalments == nil {
			if le == nil || le.Reason != ReasonTooManyInstalments || o.Count <= MaxInstalments {
				t.Fatalf("case %d: no schedule for count %d, error %v", i, o.Count, err)
			}
			continue
		}
		if problem := scheduleProblem(o, balance, p.MinDownPaymentPercent, today); problem != "" {
			t.Fatalf("case %d: %s", i, problem)
		}
		required := requiredDown(balance, p.MinDownPaymentPercent)
		forced := func(in Instalment) bool {
			return in.AmountCents == required && (in.DownPayment || required == balance)
		}
		for _, in := range o.Instalments {
			if in.AmountCents > perPeriod && !forced(in) {
				t.Fatalf("case %d: %d cents asked, %d affordable: %v", i, in.AmountCents, perPeriod, amounts(o))
			}
		}
		// One payment fewer would ask for more than the debtor can afford.
		if o.Count >= 2 {
			fewer, err := build(balance, freq, o.Count-1, p.MinDownPaymentPercent, today, today)
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			if !slices.ContainsFunc(fewer.Instalments, func(in Instalment) bool { return in.AmountCents > perPeriod && !forced(in) }) {
				t.Fatalf("case %d: %d payments would do: %v, affordable %d", i, o.Count-1, amounts(fewer), perPeriod)
			}
		}
	}
}

func TestSettlementProperties(t *testing.T) {
	f := func(balance int64, discount uint8) bool {
		p := DefaultPolicy()
		p.SettlementDiscountPercent = 1 + int(discount)%99
		p.SettlementValidDays = 1
		amount, ok := Settlement(balance, p)
		if balance <= 0 {
			return !ok && amount == 0
		}
		n := new(big.Int).Mul(big.NewInt(balance), big.NewInt(int64(100-p.SettlementDiscountPercent)))
		want := max(n.Quo(n, big.NewInt(100)).Int64(), 1)
		return ok && amount == want && amount <= balance
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 20000}); err != nil {
		t.Error(err)
	}
}

func TestPercentNeverOverflows(t *testing.T) {
	f := func(amount int64, pct uint8) bool {
		if amount < 0 {
			amount = -(amount + 1)
		}
		p := int(pct) % 101
		exact := new(big.Int).Mul(big.NewInt(amount), big.NewInt(int64(p)))
		floor := new(big.Int).Quo(exact, big.NewInt(100))
		ceil := new(big.Int).Quo(exact.Add(exact, big.NewInt(99)), big.NewInt(100))
		return percentFloor(amount, p) == floor.Int64() && percentCeil(amount, p) == ceil.Int64()
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 20000}); err != nil {
		t.Error(err)
	}
}

func TestAddMonthsClampedProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		start := randomDay(r)
		n := r.IntN(MaxInstalments + 1)
		got := AddMonthsClamped(start, n)
		months := (got.Year()-start.Year())*12 + int(got.Month()) - int(start.Month())
		if months != n || got.Day() != min(start.Day(), daysIn(got.Year(), got.Month())) {
			t.Fatalf("AddMonthsClamped(%s, %d) = %s", start.Format(time.DateOnly), n, got.Format(time.DateOnly))
		}
	}
}
