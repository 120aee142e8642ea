package views

import (
	"math"
	"testing"
	"time"
)

// The French figures use U+202F (narrow no-break space) between thousands
// and U+00A0 (no-break space) before the unit; they are spelled out in the
// expectations so an invisible change of character fails the test.
func TestMoneyGolden(t *testing.T) {
	tests := []struct {
		name     string
		cents    int64
		currency string
		lang     string
		want     string
	}{
		{"fr thousands", 123450, "EUR", "fr", "1\u202f234,50\u00a0€"},
		{"en thousands", 123450, "EUR", "en", "€1,234.50"},
		{"fr zero", 0, "EUR", "fr", "0,00\u00a0€"},
		{"en zero", 0, "EUR", "en", "€0.00"},
		{"fr one cent", 1, "EUR", "fr", "0,01\u00a0€"},
		{"en single digit cents", 1205, "EUR", "en", "€12.05"},
		{"fr exactly one thousand", 100000, "EUR", "fr", "1\u202f000,00\u00a0€"},
		{"fr under one thousand", 99999, "EUR", "fr", "999,99\u00a0€"},
		{"fr millions", 123456789012, "EUR", "fr", "1\u202f234\u202f567\u202f890,12\u00a0€"},
		{"en millions", 123456789012, "EUR", "en", "€1,234,567,890.12"},
		{"fr negative", -4250, "EUR", "fr", "-42,50\u00a0€"},
		{"en negative", -4250, "EUR", "en", "-€42.50"},
		{"fr pounds", 5000, "GBP", "fr", "50,00\u00a0£"},
		{"en pounds", 5000, "GBP", "en", "£50.00"},
		{"fr dollars", 5000, "USD", "fr", "50,00\u00a0$US"},
		{"en dollars", 5000, "USD", "en", "US$50.00"},
		{"fr swiss francs", 5000, "CHF", "fr", "50,00\u00a0CHF"},
		{"en swiss francs", 5000, "CHF", "en", "CHF\u00a050.00"},
		{"en canadian dollars", 5000, "CAD", "en", "CA$50.00"},
		{"en unknown currency keeps its code", 5000, "XYZ", "en", "XYZ\u00a050.00"},
		{"smallest int64 does not overflow", math.MinInt64, "EUR", "en", "-€92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Money(tt.cents, tt.currency, tt.lang); got != tt.want {
				t.Errorf("Money(%d, %s, %s) = %q, want %q", tt.cents, tt.currency, tt.lang, got, tt.want)
			}
		})
	}
}

func TestFormatDateGolden(t *testing.T) {
	tests := []struct {
		name string
		date time.Time
		lang string
		want string
	}{
		{"fr", time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC), "fr", "4 juin 2026"},
		{"en", time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC), "en", "4 June 2026"},
		{"fr first of the month is an ordinal", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "fr", "1er janvier 2026"},
		{"en first of the month", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "en", "1 January 2026"},
		{"fr accented month", time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC), "fr", "15 août 2025"},
		{"fr december", time.Date(2025, 12, 31, 23, 59, 0, 0, time.UTC), "fr", "31 décembre 2025"},
		{"unknown language falls back to French", time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), "de", "2 février 2026"},
		{"date taken in its own zone", time.Date(2026, 3, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "en", "1 March 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDate(tt.date, tt.lang); got != tt.want {
				t.Errorf("FormatDate(%v, %s) = %q, want %q", tt.date, tt.lang, got, tt.want)
			}
		})
	}
}

func TestFileSizeGolden(t *testing.T) {
	tests := []struct {
		name string
		n    int64
		lang string
		want string
	}{
		{"fr bytes", 850, "fr", "850\u00a0octets"},
		{"en bytes", 850, "en", "850 bytes"},
		{"fr one byte", 1, "fr", "1\u00a0octet"},
		{"en one byte", 1, "en", "1 byte"},
		{"fr kilobytes", 120 * 1024, "fr", "120\u00a0Ko"},
		{"en kilobytes", 120 * 1024, "en", "120 KB"},
		{"just over 1 KiB rounds to 1", 1030, "en", "1 KB"},
		{"just under 1 MiB stays in KB", 1024*1024 - 1, "en", "1023 KB"},
		{"fr megabytes with a decimal", 1536 * 1024, "fr", "1,5\u00a0Mo"},
		{"en megabytes with a decimal", 1536 * 1024, "en", "1.5 MB"},
		{"en whole megabytes drop the .0", 2 * 1024 * 1024, "en", "2 MB"},
		{"en ten megabytes", 10 << 20, "en", "10 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FileSize(tt.n, tt.lang); got != tt.want {
				t.Errorf("FileSize(%d, %s) = %q, want %q", tt.n, tt.lang, got, tt.want)
			}
		})
	}
}

func FuzzMoneyDigits(f *testing.F) {
	f.Add(int64(123450))
	f.Add(int64(-1))
	f.Fuzz(func(t *testing.T, cents int64) {
		for _, lang := range Languages {
			s := Money(cents, "EUR", lang)
			if s == "" {
				t.Fatalf("empty for %d", cents)
			}
		}
	})
}
