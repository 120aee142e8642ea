package plans

import "testing"

func BenchmarkOptions(b *testing.B) {
	long := DefaultPolicy()
	long.MaxInstalments = MaxInstalments
	long.MaxDurationDays = maxDays
	long.MinDownPaymentPercent = 10
	benchmarks := []struct {
		name string
		p    Policy
	}{
		{"default policy", DefaultPolicy()},
		{"120 instalments with down payment", long},
	}
	today := Date(2026, 1, 31)
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if len(Options(123_456_789, bm.p, today)) == 0 {
					b.Fatal("no options")
				}
			}
		})
	}
}

func BenchmarkBuild(b *testing.B) {
	p := DefaultPolicy()
	p.MinDownPaymentPercent = 10
	today := Date(2026, 1, 31)
	benchmarks := []struct {
		name  string
		count int
	}{
		{"12 monthly", 12},
		{"120 monthly", MaxInstalments},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Build(123_456_789, Monthly, bm.count, p, today); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
