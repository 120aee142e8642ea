package portal

import (
	"fmt"
	"testing"
)

// TestParseAmount is the one table for every way Reglo reads money: forms
// in French and English and CSV files share it.
func TestParseAmount(t *testing.T) {
	good := map[string]int64{
		"120": 12000, "120,50": 12050, "120.50": 12050, "120,5": 12050, "0,07": 7, "0,01": 1, " 12 ": 1200,
		" 1 234,56 ": 123456, "1\u00a0234,56": 123456, "1\u202f234,56": 123456, "1.234,56": 123456, "1,234.56": 123456,
		"1.234.567,89": 123456789, "12.345.678": 1234567800, "1,234,567": 123456700, "1 000 000": 100000000,
		"120 €": 12000, "€120.10": 12010, "€12": 1200,
	}
	for in, want := range good {
		if got, err := ParseAmount(in); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "abc", "-5", "+12", "1e3", "12e3",
		"1,234", "1.234", "12,345", // thousands or decimals: refused, never guessed
		"1 0 0", "12 34", "1 2 3,4567", "1 234.567,00", // spaces only between groups of three
		"1\u00a00\u00a00", "12\u202f34", "1 2,50", "100 0", "12  345", "1 234 ,56", "1 234, 56", "1\u2009234",
		"1,2,3", "1.2345", "12,345,6", "1.,5", ",5", "5,", "12,", "12.3.4", "1.234.56", "1,23.45", "12,345,67", "1.2,34",
		"99999999999999999999",
	} {
		if got, err := ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) = %d; want an error", in, got)
		}
	}
}

// FuzzParseAmount: whatever the text, an amount is never negative, never
// beyond the bound, an error carries no amount, and the amount written back
// in either decimal spelling (and with French thousands) reads the same.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"120", "120,50", "1 234,56", "1.234,56", "1,234.56", "€5", "0,07", "-1", "1..2", "1 0 0", "1,234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseAmount(s)
		if err != nil {
			if c != 0 {
				t.Fatalf("%q: error with amount %d", s, c)
			}
			return
		}
		if c < 0 || c > MaxAmountCents {
			t.Fatalf("%q: out of bounds %d", s, c)
		}
		for _, back := range []string{fmt.Sprintf("%d,%02d", c/100, c%100), fmt.Sprintf("%d.%02d", c/100, c%100)} {
			if c2, err := ParseAmount(back); err != nil || c2 != c {
				t.Fatalf("%q → %d, but %q → %d, %v", s, c, back, c2, err)
			}
		}
	})
}

// TestParseDate reads ISO everywhere, the French day-first form only where
// asked (spreadsheets), and refuses days that do not exist.
func TestParseDate(t *testing.T) {
	tests := []struct {
		in       string
		dayFirst bool
		want     string // "" for an error
	}{
		{"2026-03-31", false, "2026-03-31"},
		{" 2026-03-31 ", true, "2026-03-31"},
		{"05/02/2026", true, "2026-02-05"},
		{"1/4/2026", true, "2026-04-01"},
		{"05/02/2026", false, ""},
		{"", true, ""},
		{"2026-02-30", false, ""},
		{"31/02/2026", true, ""},
		{"2026/03/01", true, ""},
		{"03-01-2026", true, ""},
		{"tomorrow", true, ""},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in, tt.dayFirst)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("ParseDate(%q, %v) = %v, want an error", tt.in, tt.dayFirst, d)
		case tt.want != "" && (err != nil || d.String() != tt.want):
			t.Errorf("ParseDate(%q, %v) = %v, %v; want %s", tt.in, tt.dayFirst, d, err, tt.want)
		}
	}
}
