package web

import (
	"fmt"
	"testing"

	"github.com/reglo/reglo/plans"
)

// FuzzParsePlanAmount checks the plan form's reading of "what I can afford":
// any text either gives field errors or a positive number of cents, and an
// amount written with a comma or a point as its decimal mark is read
// exactly, never through a float.
func FuzzParsePlanAmount(f *testing.F) {
	for _, s := range []string{"93,50", "93.50", "50", " 1 234,56 € ", "0", "-5", "9,3,5", "1e3", "", "0,01", "12,345.67"} {
		f.Add(s, int64(9350))
	}
	f.Fuzz(func(t *testing.T, s string, cents int64) {
		req, errs := planForm{Frequency: "monthly", Afford: s, HasAfford: true}.request()
		if len(errs) == 0 && req.AffordableCents <= 0 {
			t.Fatalf("%q: no error and %d cents", s, req.AffordableCents)
		}
		if len(errs) > 0 && errs[0].Field != "afford" {
			t.Fatalf("%q: error on %q", s, errs[0].Field)
		}
		if req.Frequency != plans.Monthly || req.Count != 0 {
			t.Fatalf("%q: request %+v", s, req)
		}
		if cents <= 0 || cents > 1e12 {
			return
		}
		for _, mark := range []string{",", "."} {
			typed := fmt.Sprintf("%d%s%02d", cents/100, mark, cents%100)
			req, errs := planForm{Frequency: "monthly", Afford: typed, HasAfford: true}.request()
			if len(errs) > 0 || req.AffordableCents != cents {
				t.Fatalf("%q read as %d cents (%v), want %d", typed, req.AffordableCents, errs, cents)
			}
		}
	})
}

func TestPlanFormNeedsACountOrAnAmount(t *testing.T) {
	tests := []struct {
		name string
		form planForm
		want string
	}{
		{"an offered option", planForm{Frequency: "weekly", Count: "6"}, ""},
		{"no count", planForm{Frequency: "weekly"}, "count"},
		{"a count beyond any plan", planForm{Frequency: "weekly", Count: "121"}, "count"},
		{"an empty amount", planForm{Frequency: "weekly", HasAfford: true}, "afford"},
		{"a frequency nobody offers", planForm{Frequency: "daily", Count: "3"}, "frequency"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := tc.form.request()
			got := ""
			if len(errs) > 0 {
				got = errs[0].Field
			}
			if got != tc.want {
				t.Fatalf("first error on %q, want %q (%v)", got, tc.want, errs)
			}
		})
	}
}
