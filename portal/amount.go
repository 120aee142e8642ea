package portal

import (
	"errors"
	"strings"
)

// ErrAmountSyntax is ParseAmount's error for text that is not an amount.
var ErrAmountSyntax = errors.New("not an amount")

// maxAmountCents bounds a typed amount (one billion in major units), far
// beyond any debt and far from int64 overflow.
const MaxAmountCents = 100_000_000_000

// ParseAmount is Reglo's one money parser, for forms in French and English
// and for CSV files. It reads an amount exactly (never through a float)
// into minor units:
//
//   - "120", "120,5", "120,50", "120.50", "€ 120" and "120 €";
//   - the decimal mark is the last "," or "." and has one or two digits
//     after it; "1 234,56", "1.234,56", "1,234.56" and "1,234,567" group
//     thousands (by spaces, also non-breaking ones, or by the other mark);
//   - an amount that reads two ways is refused, never guessed: "1,234" is
//     1.234 in French and 1234 in English, and "1.234" the other way round;
//   - spaces only ever separate groups of three digits: "1 0 0" is refused;
//   - signs, letters, more than two decimals and empty text are refused.
//
// Every refusal is ErrAmountSyntax.
func ParseAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "€"), "€"))
	if s == "" || len(s) > 40 {
		return 0, ErrAmountSyntax
	}
	s = strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
	intPart, frac := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		mark, after := s[i], len(s)-i-1
		others := strings.Count(s, string(mark))
		switch {
		case after == 1 || after == 2:
			if others > 1 {
				return 0, ErrAmountSyntax // "1,234,56"
			}
			intPart, frac = s[:i], s[i+1:]
		case after == 3 && others == 1 && !strings.ContainsAny(s[:i], "., "):
			return 0, ErrAmountSyntax // "1,234": thousands or decimals?
		}
	}
	digits, ok := groupedDigits(intPart)
	if !ok {
		return 0, ErrAmountSyntax
	}
	var cents int64
	for _, ch := range []byte(digits + (frac + "00")[:2]) {
		if ch < '0' || ch > '9' {
			return 0, ErrAmountSyntax
		}
		cents = cents*10 + int64(ch-'0')
		if cents > MaxAmountCents {
			return 0, ErrAmountSyntax
		}
	}
	return cents, nil
}

// groupedDigits strips thousands separators from the integer part of an
// amount: one kind of separator (space, "." or ","), every group after the
// first exactly three digits long, the first one to three.
func groupedDigits(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	seps := 0
	var sep rune
	for _, r := range s {
		if r == ' ' || r == '.' || r == ',' {
			if seps > 0 && r != sep {
				return "", false
			}
			sep = r
			seps++
		}
	}
	if seps == 0 {
		return s, true
	}
	groups := strings.Split(s, string(sep))
	for i, g := range groups {
		if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}
