package plans

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Frequency is how often a plan's instalments fall due. Its values are the
// strings stored in the database and sent in forms and JSON.
type Frequency string

// The frequencies a creditor may allow.
const (
	Weekly      Frequency = "weekly"
	Fortnightly Frequency = "fortnightly"
	Monthly     Frequency = "monthly"
)

// frequencies lists every frequency in the order options are presented.
var frequencies = []Frequency{Weekly, Fortnightly, Monthly}

// ErrUnknownFrequency is returned for a frequency other than weekly,
// fortnightly or monthly.
var ErrUnknownFrequency = errors.New("plans: unknown frequency")

// ParseFrequency reads a frequency from a form or a file, ignoring case and
// surrounding spaces. It returns ErrUnknownFrequency for anything else.
func ParseFrequency(s string) (Frequency, error) {
	f := Frequency(strings.ToLower(strings.TrimSpace(s)))
	if !f.Valid() {
		return "", fmt.Errorf("%w: %q", ErrUnknownFrequency, s)
	}
	return f, nil
}

// Valid reports whether f is one of Weekly, Fortnightly or Monthly.
func (f Frequency) Valid() bool {
	switch f {
	case Weekly, Fortnightly, Monthly:
		return true
	}
	return false
}

// dueOn returns the due date of the instalment with 0-based index n of a
// schedule starting on start. Monthly dates count from start (never chained)
// so that month ends are respected. f must be valid.
func (f Frequency) dueOn(start time.Time, n int) time.Time {
	switch f {
	case Weekly:
		return start.AddDate(0, 0, 7*n)
	case Fortnightly:
		return start.AddDate(0, 0, 14*n)
	default:
		return AddMonthsClamped(start, n)
	}
}

// longestPeriodDays is the most days one period of f can span whatever the
// start date: 31 for monthly (1 July to 1 August).
func (f Frequency) longestPeriodDays() int {
	switch f {
	case Weekly:
		return 7
	case Fortnightly:
		return 14
	default:
		return 31
	}
}
