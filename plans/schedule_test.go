package plans

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"
)

func amounts(o Option) []int64 {
	var a []int64
	for _, in := range o.Instalments {
		a = append(a, in.AmountCents)
	}
	return a
}

func TestBuildAmounts(t *testing.T) {
	withDown := func(pct int) Policy {
		p := DefaultPolicy()
		p.MinDownPaymentPercent = pct
		return p
	}
	tests := []struct {
		name    string
		balance int64
		count   int
		p       Policy
		want    []int64
		down    int64
	}{
		{"even split has no remainder", 12000, 4, DefaultPolicy(), []int64{3000, 3000, 3000, 3000}, 0},
		{"remainder cents go on the earliest instalments", 10000, 3, DefaultPolicy(), []int64{3334, 3333, 3333}, 0},
		{"two remainder cents go on the first two", 10001, 3, DefaultPolicy(), []int64{3334, 3334, 3333}, 0},
		{"a single payment is the whole balance", 4321, 1, DefaultPolicy(), []int64{4321}, 0},
		{"a single payment is the whole balance even with a down payment", 4321, 1, withDown(30), []int64{4321}, 0},
		{"down payment comes first and the rest is split", 10000, 4, withDown(30), []int64{3000, 2334, 2333, 2333}, 3000},
		{"down payment is rounded up to the cent", 10001, 2, withDown(50), []int64{5001, 5000}, 5001},
		{"a small down payment is raised to an even share", 10000, 4, withDown(5), []int64{2500, 2500, 2500, 2500}, 2500},
		{"a small down payment takes the rounded-up share", 10000, 3, withDown(1), []int64{3334, 3333, 3333}, 3334},
		{"one cent each", 3, 3, DefaultPolicy(), []int64{1, 1, 1}, 0},
		{"a trillion cents split in seven", 1_000_000_000_000, 7, DefaultPolicy(),
			[]int64{142857142858, 142857142857, 142857142857, 142857142857, 142857142857, 142857142857, 142857142857}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := Date(2026, 3, 1)
			o, err := Build(tt.balance, Monthly, tt.count, tt.p, start)
			if err != nil {
				t.Fatal(err)
			}
			if got := amounts(o); !slices.Equal(got, tt.want) {
				t.Errorf("amounts = %v, want %v", got, tt.want)
			}
			if o.DownPaymentCents != tt.down {
				t.Errorf("DownPaymentCents = %d, want %d", o.DownPaymentCents, tt.down)
			}
			if problem := scheduleProblem(o, tt.balance, tt.p.MinDownPaymentPercent, start); problem != "" {
				t.Error(problem)
			}
		})
	}
}

func TestBuildRejectsUnusableInput(t *testing.T) {
	bad := DefaultPolicy()
	bad.MaxInstalments = 0
	downAll := DefaultPolicy()
	downAll.MinDownPaymentPercent = 60
	tests := []struct {
		name    string
		balance int64
		freq    Frequency
		count   int
		p       Policy
		want    error
	}{
		{"zero balance", 0, Monthly, 3, DefaultPolicy(), ErrBalanceNotPositive},
		{"negative balance", -500, Monthly, 3, DefaultPolicy(), ErrBalanceNotPositive},
		{"unknown frequency", 10000, "daily", 3, DefaultPolicy(), ErrUnknownFrequency},
		{"no instalments", 10000, Monthly, 0, DefaultPolicy(), ErrInvalidCount},
		{"more than 120 instalments", 10000, Monthly, 121, DefaultPolicy(), ErrInvalidCount},
		{"more instalments than cents", 5, Weekly, 6, DefaultPolicy(), ErrInvalidCount},
		{"down payment leaves less than a cent per instalment", 10, Weekly, 6, downAll, ErrInvalidCount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(tt.balance, tt.freq, tt.count, tt.p, Date(2026, 1, 1))
			if !errors.Is(err, tt.want) {
				t.Errorf("Build() error = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("invalid policy", func(t *testing.T) {
		var fe *FieldError
		if _, err := Build(10000, Monthly, 3, bad, Date(2026, 1, 1)); !errors.As(err, &fe) || fe.Field != "max_instalments" {
			t.Errorf("Build() error = %v, want a FieldError on max_instalments", err)
		}
	})
}

func TestBuildDoesNotCheckLimits(t *testing.T) {
	p := DefaultPolicy()
	p.MaxInstalments = 3
	o, err := Build(100000, Monthly, 24, p, Date(2026, 1, 1))
	if err != nil {
		t.Fatalf("Build() error = %v; limits are Check's job", err)
	}
	if len(o.Instalments) != 24 {
		t.Errorf("got %d instalments", len(o.Instalments))
	}
}

func TestBuildReadsStartAsACalendarDay(t *testing.T) {
	start := time.Date(2026, 5, 31, 22, 45, 0, 0, time.FixedZone("UTC+2", 2*3600))
	o, err := Build(10000, Monthly, 2, DefaultPolicy(), start)
	if err != nil {
		t.Fatal(err)
	}
	if o.FirstDueOn != Date(2026, 5, 31) || o.LastDueOn != Date(2026, 6, 30) || o.OfferedOn != Date(2026, 5, 31) {
		t.Errorf("first %v, last %v, offered %v", o.FirstDueOn, o.LastDueOn, o.OfferedOn)
	}
}

func TestCheck(t *testing.T) {
	today := Date(2026, 1, 10)
	build := func(balance int64, f Frequency, count int, p Policy) Option {
		t.Helper()
		o, err := Build(balance, f, count, p, today)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	policy := func(change func(p *Policy)) Policy {
		p := DefaultPolicy()
		change(&p)
		return p
	}
	late := build(60000, Monthly, 3, DefaultPolicy())
	late.OfferedOn = today.AddDate(0, 0, -15)
	lateOK := build(60000, Monthly, 3, DefaultPolicy())
	lateOK.OfferedOn = today.AddDate(0, 0, -14)
	noDown := build(100000, Monthly, 4, DefaultPolicy())

	tests := []struct {
		name   string
		p      Policy
		o      Option
		reason Reason
		limit  int64
	}{
		{"a plan within every limit passes", DefaultPolicy(), build(60000, Monthly, 3, DefaultPolicy()), "", 0},
		{"twelve months in a year pass", DefaultPolicy(), build(60000, Monthly, 12, DefaultPolicy()), "", 0},
		{"frequency the creditor does not allow", policy(func(p *Policy) { p.Frequencies = []Frequency{Monthly} }), build(60000, Weekly, 3, DefaultPolicy()), ReasonFrequencyNotAllowed, 0},
		{"more payments than allowed", DefaultPolicy(), build(60000, Weekly, 13, DefaultPolicy()), ReasonTooManyInstalments, 12},
		{"first payment later than allowed", DefaultPolicy(), late, ReasonFirstPaymentTooLate, 14},
		{"first payment on the last allowed day passes", DefaultPolicy(), lateOK, "", 0},
		{"first payment below the down payment", policy(func(p *Policy) { p.MinDownPaymentPercent = 30 }), noDown, ReasonDownPaymentTooSmall, 30000},
		{"instalment below the minimum", DefaultPolicy(), build(10000, Weekly, 6, DefaultPolicy()), ReasonInstalmentTooSmall, 2000},
		{"instalment exactly at the minimum passes", DefaultPolicy(), build(10000, Weekly, 5, DefaultPolicy()), "", 0},
		{"a single payment below the minimum is not too small", DefaultPolicy(), build(500, Monthly, 1, DefaultPolicy()), "", 0},
		{"a last payment exactly a year away passes", policy(func(p *Policy) { p.MaxInstalments = 24 }), build(100000, Monthly, 13, DefaultPolicy()), "", 0},
		{"last payment past the duration", policy(func(p *Policy) { p.MaxInstalments = 24 }), build(100000, Monthly, 14, DefaultPolicy()), ReasonTooLong, 365},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Check(tt.o)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("Check() = %v, want a *LimitError", err)
			}
			if le.Reason != tt.reason || le.Limit != tt.limit {
				t.Errorf("Check() = %s (%d), want %s (%d)", le.Reason, le.Limit, tt.reason, tt.limit)
			}
		})
	}
}

func TestLimitErrorSaysWhatWentWrongInPlainEnglish(t *testing.T) {
	tests := []struct {
		err  *LimitError
		want string
	}{
		{&LimitError{Reason: ReasonFrequencyNotAllowed}, "this payment frequency is not allowed"},
		{&LimitError{Reason: ReasonTooManyInstalments, Limit: 12}, "the plan has more than 12 payments"},
		{&LimitError{Reason: ReasonFirstPaymentTooLate, Limit: 14}, "the first payment is more than 14 days away"},
		{&LimitError{Reason: ReasonDownPaymentTooSmall, Limit: 3000}, "the first payment is less than the 3000 cents required up front"},
		{&LimitError{Reason: ReasonInstalmentTooSmall, Limit: 2000}, "a payment is less than the minimum of 2000 cents"},
		{&LimitError{Reason: ReasonTooLong, Limit: 365}, "the last payment is more than 365 days away"},
		{&LimitError{Reason: "something_new", Limit: 1}, `the plan breaks the limit "something_new" (1)`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", tt.err.Reason, got, tt.want)
		}
	}
}

func TestFromAffordable(t *testing.T) {
	today := Date(2026, 1, 31)
	withDown := DefaultPolicy()
	withDown.MinDownPaymentPercent = 30
	tests := []struct {
		name      string
		balance   int64
		perPeriod int64
		freq      Frequency
		p         Policy
		count     int
		amounts   []int64 // nil to skip
		reason    Reason  // "" when within limits
	}{
		{"affordable amount within limits", 100000, 25000, Monthly, DefaultPolicy(), 4, []int64{25000, 25000, 25000, 25000}, ""},
		{"amount that does not divide rounds the count up", 100000, 30000, Monthly, DefaultPolicy(), 4, []int64{25000, 25000, 25000, 25000}, ""},
		{"amount above the balance is one payment", 100000, 200000, Monthly, DefaultPolicy(), 1, []int64{100000}, ""},
		{"too many payments is returned with the reason", 100000, 5000, Monthly, DefaultPolicy(), 20, nil, ReasonTooManyInstalments},
		{"too small an amount is returned with the reason", 10000, 1000, Weekly, DefaultPolicy(), 10, nil, ReasonInstalmentTooSmall},
		{"weekly for too long is returned with the reason", 1000000, 20000, Weekly, func() Policy { p := DefaultPolicy(); p.MaxInstalments = 60; p.MaxDurationDays = 180; return p }(), 50, nil, ReasonTooLong},
		{"a down payment rounded up to the whole balance is one payment", 6, 5, Weekly, func() Policy { p := DefaultPolicy(); p.MinDownPaymentPercent = 90; return p }(), 1, []int64{6}, ""},
		{"down payment within the amount keeps the even split", 100000, 40000, Monthly, withDown, 3, []int64{33334, 33333, 33333}, ""},
		{"down payment above the amount is paid first and the rest fits the amount", 100000, 20000, Monthly, withDown, 5, []int64{30000, 17500, 17500, 17500, 17500}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := FromAffordable(tt.balance, tt.perPeriod, tt.freq, tt.p, today)
			if tt.reason == "" && err != nil {
				t.Fatalf("FromAffordable() error = %v", err)
			}
			if tt.reason != "" {
				var le *LimitError
				if !errors.As(err, &le) || le.Reason != tt.reason {
					t.Fatalf("FromAffordable() error = %v, want %s", err, tt.reason)
				}
			}
			if o.Count != tt.count {
				t.Errorf("Count = %d, want %d", o.Count, tt.count)
			}
			if tt.amounts != nil && !slices.Equal(amounts(o), tt.amounts) {
				t.Errorf("amounts = %v, want %v", amounts(o), tt.amounts)
			}
			if problem := scheduleProblem(o, tt.balance, tt.p.MinDownPaymentPercent, today); problem != "" {
				t.Error(problem)
			}
		})
	}
}

func TestFromAffordableBeyondAnyPlanKeepsTheRequest(t *testing.T) {
	today := Date(2026, 1, 31)
	o, err := FromAffordable(1_000_000_000_000, 1, Monthly, DefaultPolicy(), today)
	var le *LimitError
	if !errors.As(err, &le) || le.Reason != ReasonTooManyInstalments || le.Limit != 12 {
		t.Fatalf("error = %v, want too_many_instalments (12)", err)
	}
	if o.Count != math.MaxInt32 || o.InstalmentCents != 1 || o.TotalCents != 1_000_000_000_000 || o.Instalments != nil || o.OfferedOn != today {
		t.Errorf("option = %+v", o)
	}
	if err := DefaultPolicy().Check(o); !errors.As(err, &le) || le.Reason != ReasonTooManyInstalments {
		t.Errorf("Check() = %v, want too_many_instalments", err)
	}
}

func TestFromAffordableRejectsUnusableInput(t *testing.T) {
	tests := []struct {
		name      string
		balance   int64
		perPeriod int64
		freq      Frequency
		want      error
	}{
		{"zero balance", 0, 1000, Monthly, ErrBalanceNotPositive},
		{"zero amount", 10000, 0, Monthly, ErrInvalidAmount},
		{"negative amount", 10000, -10, Monthly, ErrInvalidAmount},
		{"unknown frequency", 10000, 1000, "yearly", ErrUnknownFrequency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := FromAffordable(tt.balance, tt.perPeriod, tt.freq, DefaultPolicy(), Date(2026, 1, 1))
			if !errors.Is(err, tt.want) || o.Count != 0 {
				t.Errorf("FromAffordable() = %+v, %v, want %v", o, err, tt.want)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	today := Date(2026, 1, 31)
	counts := func(opts []Option, f Frequency) []int {
		var c []int
		for _, o := range opts {
			if o.Frequency == f {
				c = append(c, o.Count)
			}
		}
		return c
	}
	monthlyOnly := DefaultPolicy()
	monthlyOnly.Frequencies = []Frequency{Monthly}
	long := DefaultPolicy()
	long.Frequencies = []Frequency{Monthly}
	long.MaxInstalments = 120
	long.MaxDurationDays = 3653
	long.MinInstalmentCents = 1000
	noPlans := DefaultPolicy()
	noPlans.MaxInstalments = 1
	noPlans.MaxDurationDays = 0
	downPolicy := DefaultPolicy()
	downPolicy.MinDownPaymentPercent = 20
	invalid := DefaultPolicy()
	invalid.Frequencies = nil

	tests := []struct {
		name    string
		balance int64
		p       Policy
		want    map[Frequency][]int
	}{
		{"a large balance offers up to six counts per frequency", 1_000_000, DefaultPolicy(), map[Frequency][]int{
			Weekly: {2, 3, 4, 8, 10, 12}, Fortnightly: {2, 3, 4, 8, 10, 12}, Monthly: {2, 3, 4, 8, 10, 12}}},
		{"the minimum instalment caps the count and the longest is offered", 9000, monthlyOnly, map[Frequency][]int{Monthly: {2, 3, 4}}},
		{"the count that just meets the minimum is offered", 11000, monthlyOnly, map[Frequency][]int{Monthly: {2, 3, 4, 5}}},
		{"long plans are spread over the ladder", 10_000_000, long, map[Frequency][]int{Monthly: {2, 6, 12, 48, 84, 120}}},
		{"a balance below two minimum instalments offers nothing", 3999, DefaultPolicy(), map[Frequency][]int{}},
		{"a balance of exactly two minimum instalments offers two payments", 4000, monthlyOnly, map[Frequency][]int{Monthly: {2}}},
		{"a policy without plans offers nothing", 1_000_000, noPlans, map[Frequency][]int{}},
		{"an invalid policy offers nothing", 1_000_000, invalid, map[Frequency][]int{}},
		{"a zero balance offers nothing", 0, DefaultPolicy(), map[Frequency][]int{}},
		{"a down payment still allows twelve months", 1_000_000, downPolicy, map[Frequency][]int{
			Weekly: {2, 3, 4, 8, 10, 12}, Fortnightly: {2, 3, 4, 8, 10, 12}, Monthly: {2, 3, 4, 8, 10, 12}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options(tt.balance, tt.p, today)
			total := 0
			for _, f := range frequencies {
				if got := counts(opts, f); !slices.Equal(got, tt.want[f]) {
					t.Errorf("%s counts = %v, want %v", f, got, tt.want[f])
				}
				total += len(tt.want[f])
			}
			if len(opts) != total {
				t.Errorf("got %d options, want %d", len(opts), total)
			}
			for _, o := range opts {
				if err := tt.p.Check(o); err != nil {
					t.Errorf("%s x%d fails Check: %v", o.Frequency, o.Count, err)
				}
				if problem := scheduleProblem(o, tt.balance, tt.p.MinDownPaymentPercent, today); problem != "" {
					t.Errorf("%s x%d: %s", o.Frequency, o.Count, problem)
				}
			}
		})
	}
}

func TestOptionsShortDurationDropsTheLongerCounts(t *testing.T) {
	p := DefaultPolicy()
	p.MaxDurationDays = 60 // two months: at most three monthly payments
	today := Date(2026, 1, 31)
	var monthly, weekly []int
	for _, o := range Options(1_000_000, p, today) {
		switch o.Frequency {
		case Monthly:
			monthly = append(monthly, o.Count)
		case Weekly:
			weekly = append(weekly, o.Count)
		}
	}
	if !slices.Equal(monthly, []int{2, 3}) {
		t.Errorf("monthly counts = %v, want [2 3] (31 Jan, 28 Feb, 31 Mar is 59 days)", monthly)
	}
	if !slices.Equal(weekly, []int{2, 3, 4, 6, 8, 9}) {
		t.Errorf("weekly counts = %v, want [2 3 4 6 8 9] (nine weeks is 56 days)", weekly)
	}
}

func TestSettlement(t *testing.T) {
	policy := func(pct int) Policy {
		p := DefaultPolicy()
		p.SettlementDiscountPercent = pct
		p.SettlementValidDays = 7
		return p
	}
	tests := []struct {
		name    string
		balance int64
		p       Policy
		want    int64
		ok      bool
	}{
		{"no discount means no offer", 10000, DefaultPolicy(), 0, false},
		{"twenty percent off", 10000, policy(20), 8000, true},
		{"the discount is rounded in the debtor's favour", 10001, policy(20), 8000, true},
		{"one cent off a small balance", 3, policy(10), 2, true},
		{"never less than one cent", 1, policy(99), 1, true},
		{"a zero balance has no offer", 0, policy(20), 0, false},
		{"a negative balance has no offer", -100, policy(20), 0, false},
		{"a huge balance does not overflow", math.MaxInt64, policy(50), math.MaxInt64 / 2, true},
		{"a full discount is not an offer", 10000, policy(100), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Settlement(tt.balance, tt.p)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Settlement(%d) = %d, %v, want %d, %v", tt.balance, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSettlementValidUntilIsInclusive(t *testing.T) {
	p := DefaultPolicy()
	p.SettlementDiscountPercent = 10
	p.SettlementValidDays = 7
	offered := time.Date(2026, 2, 25, 18, 0, 0, 0, time.UTC)
	if got := SettlementValidUntil(offered, p); got != Date(2026, 3, 4) {
		t.Errorf("SettlementValidUntil = %s, want 2026-03-04", got.Format(time.DateOnly))
	}
}
