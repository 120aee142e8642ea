package portal

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date with no time of day or zone, such as an invoice's
// due date. It is stored as DATE in PostgreSQL and as "YYYY-MM-DD" text in
// SQLite, and serialised as "YYYY-MM-DD" in JSON.
type Date struct{ time.Time }

// dateLayout is the ISO layout used in JSON, SQL and forms.
const dateLayout = "2006-01-02"

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
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
	p, err := ParseDate(s)
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
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}
