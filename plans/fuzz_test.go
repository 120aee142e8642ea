package plans

import (
	"errors"
	"testing"
)

// FuzzBuild builds schedules from arbitrary input and checks that Build never
// panics, fails only for the reasons it documents, and keeps every schedule
// invariant; and that Check passes only schedules within the limits.
func FuzzBuild(f *testing.F) {
	f.Add(int64(10000), uint8(2), 3, uint8(0), int64(2000), uint16(0))
	f.Add(int64(10001), uint8(2), 12, uint8(30), int64(0), uint16(30))       // 31 January 2000
	f.Add(int64(1), uint8(0), 1, uint8(99), int64(5000), uint16(59))         // 29 February 2000
	f.Add(int64(5), uint8(1), 6, uint8(0), int64(1), uint16(365))            // more instalments than cents
	f.Add(int64(0), uint8(2), 3, uint8(0), int64(0), uint16(0))              // no balance
	f.Add(int64(-1<<63), uint8(2), 3, uint8(0), int64(0), uint16(0))         // most negative balance
	f.Add(int64(1<<63-1), uint8(2), 120, uint8(99), int64(0), uint16(65535)) // largest balance, latest start
	f.Add(int64(1_000_000_000_000), uint8(1), 121, uint8(50), int64(-7), uint16(1000))
	f.Add(int64(999), uint8(255), 3, uint8(10), int64(100), uint16(10)) // unknown frequency

	f.Fuzz(func(t *testing.T, balance int64, freqIndex uint8, count int, downPercent uint8, minCents int64, startOffset uint16) {
		p := DefaultPolicy()
		p.MaxInstalments = MaxInstalments
		p.MaxDurationDays = maxDays
		p.MinDownPaymentPercent = int(downPercent % 100)
		p.MinInstalmentCents = max(minCents, 0)
		freq := Frequency("fortnightly-ish") // index 255 tries an unknown frequency
		if freqIndex < 255 {
			freq = frequencies[freqIndex%3]
		}
		start := Date(2000, 1, 1).AddDate(0, 0, int(startOffset))

		o, err := Build(balance, freq, count, p, start)
		if err != nil {
			switch {
			case balance <= 0:
				if !errors.Is(err, ErrBalanceNotPositive) {
					t.Fatalf("balance %d: %v", balance, err)
				}
			case !freq.Valid():
				if !errors.Is(err, ErrUnknownFrequency) {
					t.Fatalf("frequency %q: %v", freq, err)
				}
			case !errors.Is(err, ErrInvalidCount):
				t.Fatalf("Build(%d, %s, %d) = %v", balance, freq, count, err)
			case count >= 1 && count <= MaxInstalments && int64(count) <= balance && p.MinDownPaymentPercent == 0:
				t.Fatalf("Build(%d, %s, %d) refused a count it can split: %v", balance, freq, count, err)
			}
			return
		}
		if problem := scheduleProblem(o, balance, p.MinDownPaymentPercent, start); problem != "" {
			t.Fatalf("Build(%d, %s, %d, down %d%%): %s", balance, freq, count, p.MinDownPaymentPercent, problem)
		}

		err = p.Check(o)
		var le *LimitError
		if err != nil {
			if !errors.As(err, &le) || le.Error() == "" {
				t.Fatalf("Check() = %v, want a *LimitError", err)
			}
			return
		}
		if o.Count > p.MaxInstalments || daysBetween(o.OfferedOn, o.LastDueOn) > p.MaxDurationDays {
			t.Fatalf("Check passed %d payments over %d days", o.Count, daysBetween(o.OfferedOn, o.LastDueOn))
		}
		if o.Count >= 2 {
			for _, in := range o.Instalments {
				if in.AmountCents < p.MinInstalmentCents {
					t.Fatalf("Check passed %d cents, minimum %d", in.AmountCents, p.MinInstalmentCents)
				}
			}
		}
	})
}
