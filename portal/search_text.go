package portal

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// FoldText lower-cases s and strips its accents ("Hélène" → "helene"), so
// that the search box is accent- and case-insensitive in every database.
func FoldText(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// digits keeps the digits of s.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SearchText is what the search box matches a case against: reference,
// debtor name, email, phone digits (with the national form of French and
// British numbers, so "06 12..." finds "+33 6 12...") and postcode (with and
// without spaces), folded by FoldText and separated by " | " so that a
// query never matches across two fields.
func SearchText(c Case) string {
	parts := []string{c.Reference, c.DebtorName, c.DebtorEmail}
	if d := Digits(c.DebtorPhone); d != "" {
		parts = append(parts, d)
		for _, cc := range []string{"33", "44"} {
			if strings.HasPrefix(strings.TrimSpace(c.DebtorPhone), "+"+cc) && len(d) > len(cc) {
				parts = append(parts, "0"+d[len(cc):])
			}
		}
	}
	parts = append(parts, c.DebtorPostcode)
	if np := NormalisePostcode(c.DebtorPostcode); np != c.DebtorPostcode {
		parts = append(parts, np)
	}
	return FoldText(strings.Join(parts, " | "))
}

// BeforeCreate fills SearchText on every new case, whoever creates it
// (the API, the CSV import, the demo), including CreateInBatches.
func (c *Case) BeforeCreate(*gorm.DB) error {
	c.SearchText = SearchText(*c)
	return nil
}
