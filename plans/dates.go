package plans

import "time"

// Date returns the calendar day y-m-d as midnight UTC, the one way this
// package represents a date. Out-of-range values normalise as in time.Date.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateOf returns the calendar day of t as seen in t's own location, as
// midnight UTC. Pass a time in the creditor's time zone to keep the day the
// debtor sees.
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// AddMonthsClamped returns the day n months after t, keeping t's day of the
// month or, when the target month is shorter, its last day. Schedules call it
// with the start date and the instalment's index, so a short month never
// shortens the months after it.
func AddMonthsClamped(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := Date(y, m+time.Month(n), 1)
	if last := daysIn(first.Year(), first.Month()); d > last {
		d = last
	}
	return Date(first.Year(), first.Month(), d)
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return Date(y, m+1, 0).Day()
}

// daysBetween returns the number of calendar days from one day to another,
// negative when to comes first.
func daysBetween(from, to time.Time) int {
	return int(DateOf(to).Sub(DateOf(from)) / (24 * time.Hour))
}
