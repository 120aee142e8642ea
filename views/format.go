package views

import (
	"strconv"
	"strings"
	"time"
)

// Separators used in French numbers. CLDR's French locale, and so the
// browsers and the Banque de France's own pages, group thousands with
// U+202F NARROW NO-BREAK SPACE and put U+00A0 NO-BREAK SPACE between a
// number and its unit ("1 234,50 €", "120 Ko"): neither lets a phone screen
// wrap an amount in two.
const (
	frGroup = "\u202f"
	frUnit  = "\u00a0"
)

// symbols of the currencies a case may be in (portal accepts EUR, GBP,
// USD, CHF and CAD). French writes the symbol after the amount, English
// before it; CHF stays a code in both, followed by a space in English.
var symbols = map[string]struct{ fr, en string }{
	"EUR": {"€", "€"},
	"GBP": {"£", "£"},
	"USD": {"$US", "US$"},
	"CAD": {"$CA", "CA$"},
	"CHF": {"CHF", "CHF\u00a0"},
}

// Money formats an amount in minor units (cents) for a language, using
// integer arithmetic only: never a float. Every supported currency has two
// decimals.
//
//	Money(123450, "EUR", "fr") == "1\u202f234,50\u00a0€"
//	Money(123450, "EUR", "en") == "€1,234.50"
func Money(cents int64, currency, lang string) string {
	neg := cents < 0
	// Work on the magnitude as uint64 so the smallest int64 cannot overflow.
	u := uint64(cents)
	if neg {
		u = -u
	}
	units, minor := u/100, u%100
	group, decimal := ",", "."
	if lang == "fr" {
		group, decimal = frGroup, ","
	}
	num := groupThousands(strconv.FormatUint(units, 10), group) + decimal + twoDigits(minor)
	sign := ""
	if neg {
		sign = "-"
	}
	sym, ok := symbols[currency]
	if !ok {
		sym.fr, sym.en = currency, currency+"\u00a0"
	}
	if lang == "fr" {
		return sign + num + frUnit + sym.fr
	}
	return sign + sym.en + num
}

func twoDigits(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}

// groupThousands inserts sep every three digits from the right.
func groupThousands(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

var months = map[string][12]string{
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// FormatDate writes the calendar date of t (in t's own location: the caller
// converts to the creditor's time zone first) as a person reads it:
// "4 juin 2026", "1er juin 2026" (French writes the first of the month as an
// ordinal), "4 June 2026".
func FormatDate(t time.Time, lang string) string {
	y, m, d := t.Date()
	ms, ok := months[lang]
	if !ok {
		ms = months[DefaultLanguage]
		lang = DefaultLanguage
	}
	day := strconv.Itoa(d)
	if lang == "fr" && d == 1 {
		day = "1er"
	}
	return day + " " + ms[m-1] + " " + strconv.Itoa(y)
}

// FileSize writes a document size the way phones show it, in binary
// multiples: "850 octets" / "850 bytes" under 1 KiB, whole kilobytes under
// 1 MiB ("120 Ko" / "120 KB", rounded, never 0), then megabytes with one
// decimal ("1,5 Mo" / "1.5 MB", "2 Mo" when the decimal is 0).
func FileSize(n int64, lang string) string {
	fr := lang == "fr"
	sep := " "
	if fr {
		sep = frUnit
	}
	switch {
	case n < 1024:
		unit := "bytes"
		switch {
		case fr && n <= 1:
			unit = "octet"
		case fr:
			unit = "octets"
		case n == 1:
			unit = "byte"
		}
		return strconv.FormatInt(n, 10) + sep + unit
	case n < 1024*1024:
		kb := (n + 512) / 1024
		if kb >= 1024 {
			kb = 1023 // stay in the kilobyte unit right up to 1 MiB
		}
		unit := "KB"
		if fr {
			unit = "Ko"
		}
		return strconv.FormatInt(kb, 10) + sep + unit
	}
	tenths := (n*10 + 512*1024) / (1024 * 1024)
	whole, frac := tenths/10, tenths%10
	s := strconv.FormatInt(whole, 10)
	if frac != 0 {
		dec := "."
		if fr {
			dec = ","
		}
		s += dec + strconv.FormatInt(frac, 10)
	}
	unit := "MB"
	if fr {
		unit = "Mo"
	}
	return s + sep + unit
}
