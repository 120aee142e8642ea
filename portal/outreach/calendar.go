package outreach

import (
	"slices"
	"time"

	"github.com/reglo/reglo/portal"
)

// NextAllowed is the first minute at or after t when the scenario allows
// sending: inside its window, on one of its days, and not on a French
// public holiday unless the scenario says so. It searches at most two
// weeks ahead (a valid scenario always allows a minute within one).
func (s Scenario) NextAllowed(t time.Time) time.Time {
	loc := portal.Zone(s.TimeZone)
	from, _ := parseClock(s.QuietHours.From)
	to, ok := parseClock(s.QuietHours.To)
	if !ok {
		from, to = 8*60, 20*60
	}
	local := t.In(loc)
	if local.Second() != 0 || local.Nanosecond() != 0 {
		local = local.Truncate(time.Minute).Add(time.Minute)
	}
	for range 15 {
		y, m, d := local.Date()
		midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
		if s.dayAllowed(midnight) {
			start := midnight.Add(time.Duration(from) * time.Minute)
			end := midnight.Add(time.Duration(to) * time.Minute)
			if to == 24*60 {
				end = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
			}
			if local.Before(start) {
				return start.UTC()
			}
			if local.Before(end) {
				return local.UTC()
			}
		}
		local = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	return local.UTC()
}

// Allowed reports whether a message may go at t.
func (s Scenario) Allowed(t time.Time) bool {
	m := t.Truncate(time.Minute).UTC()
	return s.NextAllowed(m).Equal(m)
}

func (s Scenario) dayAllowed(midnight time.Time) bool {
	if !slices.Contains(s.Days, Weekdays[(int(midnight.Weekday())+6)%7]) {
		return false
	}
	return s.SendOnPublicHolidays || !FrenchPublicHoliday(midnight)
}

// FrenchPublicHoliday reports whether the calendar day of t (in t's zone)
// is one of the eleven public holidays of metropolitan France.
func FrenchPublicHoliday(t time.Time) bool {
	y, m, d := t.Date()
	switch {
	case m == time.January && d == 1, m == time.May && d == 1, m == time.May && d == 8,
		m == time.July && d == 14, m == time.August && d == 15, m == time.November && d == 1,
		m == time.November && d == 11, m == time.December && d == 25:
		return true
	}
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	easter := easterSunday(y)
	for _, offset := range []int{1, 39, 50} { // Easter Monday, Ascension, Whit Monday
		if day.Equal(easter.AddDate(0, 0, offset)) {
			return true
		}
	}
	return false
}

// easterSunday is the Gregorian Easter date (anonymous Gregorian algorithm).
func easterSunday(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}
