package portal

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date with no time of day or zone, such as an invoice's
// due date. It is stored as DATE in PostgreSQL and as "YYYY-MM-DD" text in
// SQLite, and serialised as "YYYY-MM-DD" in JSON.
type Date struct{ time.Time }

// dateLayout is the ISO layout used in JSON, SQL and forms.
const dateLayout = "2006-01-02"

// ErrDateSyntax is ParseDate's error for text that is not a calendar date.
var ErrDateSyntax = errors.New("not a date: write YYYY-MM-DD or DD/MM/YYYY")

// ParseDate is Reglo's one date parser. It reads "YYYY-MM-DD" (JSON, forms,
// SQL: the outside contract's API takes only this), and with dayFirst also the
// French day-first form that spreadsheets export, "DD/MM/YYYY" or
// "D/M/YYYY" (CSV import); day-first is never read month-first, so
// "02/01/2026" is the 2nd of January. Surrounding spaces are ignored; the
// answer is a real calendar day or ErrDateSyntax.
func ParseDate(s string, dayFirst bool) (Date, error) {
	s = strings.TrimSpace(s)
	layouts := []string{dateLayout}
	if dayFirst {
		layouts = append(layouts, "02/01/2006", "2/1/2006")
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t}, nil
		}
	}
	return Date{}, ErrDateSyntax
}

// DateOf returns the calendar date of t in its own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// String returns "YYYY-MM-DD".
func (d Date) String() string { return d.Format(dateLayout) }

// Value implements driver.Valuer.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan implements sql.Scanner for DATE columns and ISO text.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*d = DateOf(x)
		return nil
	case string:
		return d.parseLoose(x)
	case []byte:
		return d.parseLoose(string(x))
	}
	return fmt.Errorf("cannot scan %T into Date", v)
}

func (d *Date) parseLoose(s string) error {
	if len(s) >= 10 {
		s = s[:10]
	}
	p, err := ParseDate(s, false)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	p, err := ParseDate(s, false)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// addWorkingDays moves n days forward, skipping Saturdays and Sundays.
func AddWorkingDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// PlanAnswerBy is the day by which an agent answers a plan request made at
// requested: PlanReviewWorkingDays working days after the creditor's day.
func PlanAnswerBy(requested time.Time, timeZone string) Date {
	return Date{AddWorkingDays(creditorDay(requested, timeZone), PlanReviewWorkingDays)}
}
