package plans

import (
	"testing"
	"time"
)

func TestAddMonthsClamped(t *testing.T) {
	tests := []struct {
		name  string
		start time.Time
		n     int
		want  time.Time
	}{
		{"same day next month", Date(2025, 3, 15), 1, Date(2025, 4, 15)},
		{"31 January to 28 February", Date(2025, 1, 31), 1, Date(2025, 2, 28)},
		{"31 January to 29 February in a leap year", Date(2024, 1, 31), 1, Date(2024, 2, 29)},
		{"31 January two months on is 31 March", Date(2024, 1, 31), 2, Date(2024, 3, 31)},
		{"31 March to 30 April", Date(2025, 3, 31), 1, Date(2025, 4, 30)},
		{"30 November to 30 December", Date(2025, 11, 30), 1, Date(2025, 12, 30)},
		{"31 December to 31 January of the next year", Date(2025, 12, 31), 1, Date(2026, 1, 31)},
		{"29 February a year on is 28 February", Date(2024, 2, 29), 12, Date(2025, 2, 28)},
		{"29 February four years on is 29 February", Date(2024, 2, 29), 48, Date(2028, 2, 29)},
		{"zero months is the same day", Date(2025, 5, 31), 0, Date(2025, 5, 31)},
		{"ten years of months", Date(2025, 1, 31), 120, Date(2035, 1, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AddMonthsClamped(tt.start, tt.n); !got.Equal(tt.want) {
				t.Errorf("AddMonthsClamped(%s, %d) = %s, want %s", tt.start.Format(time.DateOnly), tt.n, got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
			}
		})
	}
}

func TestDateOfKeepsTheDayOfTheCreditorsTimeZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	// 00:30 on 1 January in Paris is still 31 December in UTC.
	late := time.Date(2026, 1, 1, 0, 30, 0, 0, paris)
	if got := DateOf(late); got != Date(2026, 1, 1) {
		t.Errorf("DateOf(%v) = %v, want 2026-01-01", late, got)
	}
}

func TestDaysBetweenAcrossDaylightSaving(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	from := time.Date(2026, 3, 28, 23, 0, 0, 0, paris) // the night the clocks go forward
	to := time.Date(2026, 3, 30, 1, 0, 0, 0, paris)
	if got := daysBetween(from, to); got != 2 {
		t.Errorf("daysBetween = %d, want 2", got)
	}
}

func TestMonthlyDueDates(t *testing.T) {
	tests := []struct {
		name  string
		start time.Time
		want  []time.Time
	}{
		{
			"31 January start pays on 29 February in a leap year",
			Date(2024, 1, 31),
			[]time.Time{Date(2024, 1, 31), Date(2024, 2, 29), Date(2024, 3, 31), Date(2024, 4, 30), Date(2024, 5, 31)},
		},
		{
			"31 January start pays on 28 February in a common year",
			Date(2025, 1, 31),
			[]time.Time{Date(2025, 1, 31), Date(2025, 2, 28), Date(2025, 3, 31), Date(2025, 4, 30), Date(2025, 5, 31)},
		},
		{
			"30 December start crosses the year and keeps the 30th",
			Date(2025, 12, 30),
			[]time.Time{Date(2025, 12, 30), Date(2026, 1, 30), Date(2026, 2, 28), Date(2026, 3, 30), Date(2026, 4, 30)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			o, err := Build(500000, Monthly, len(tt.want), p, tt.start)
			if err != nil {
				t.Fatal(err)
			}
			for i, in := range o.Instalments {
				if !in.DueOn.Equal(tt.want[i]) {
					t.Errorf("instalment %d due %s, want %s", in.Seq, in.DueOn.Format(time.DateOnly), tt.want[i].Format(time.DateOnly))
				}
			}
		})
	}
}

func TestWeeklyAndFortnightlyDueDates(t *testing.T) {
	start := Date(2026, 2, 20)
	weekly, err := Build(10000, Weekly, 3, DefaultPolicy(), start)
	if err != nil {
		t.Fatal(err)
	}
	fortnightly, err := Build(10000, Fortnightly, 3, DefaultPolicy(), start)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  time.Time
		want time.Time
	}{
		{"weekly second payment is seven days later", weekly.Instalments[1].DueOn, Date(2026, 2, 27)},
		{"weekly third payment crosses into March", weekly.Instalments[2].DueOn, Date(2026, 3, 6)},
		{"fortnightly second payment is fourteen days later", fortnightly.Instalments[1].DueOn, Date(2026, 3, 6)},
		{"fortnightly third payment is 28 days after the first", fortnightly.Instalments[2].DueOn, Date(2026, 3, 20)},
	}
	for _, tt := range tests {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
		}
	}
}
