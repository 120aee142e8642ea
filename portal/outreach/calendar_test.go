package outreach_test

import (
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/outreach"
)

func TestNextAllowed(t *testing.T) {
	sc := outreach.DefaultScenario("consumer")
	for _, c := range []struct {
		name     string
		at, want time.Time
	}{
		{"inside the window", paris(2026, 6, 8, 9, 30), paris(2026, 6, 8, 9, 30)},
		{"seconds round up to the next minute", paris(2026, 6, 8, 9, 30).Add(7 * time.Second), paris(2026, 6, 8, 9, 31)},
		{"before 8:00 waits for 8:00", paris(2026, 6, 8, 6, 0), paris(2026, 6, 8, 8, 0)},
		{"20:00 is already quiet", paris(2026, 6, 8, 20, 0), paris(2026, 6, 9, 8, 0)},
		{"Saturday evening waits for Monday", paris(2026, 6, 6, 20, 5), paris(2026, 6, 8, 8, 0)},
		{"14 July is a holiday", paris(2026, 7, 14, 10, 0), paris(2026, 7, 15, 8, 0)},
		{"Easter Monday 2026 (6 April)", paris(2026, 4, 6, 10, 0), paris(2026, 4, 7, 8, 0)},
		{"Ascension 2026 (14 May)", paris(2026, 5, 14, 10, 0), paris(2026, 5, 15, 8, 0)},
		{"Whit Monday 2026 (25 May)", paris(2026, 5, 25, 10, 0), paris(2026, 5, 26, 8, 0)},
		{"Christmas on a Friday, then a Saturday", paris(2026, 12, 25, 10, 0), paris(2026, 12, 26, 8, 0)},
		{"daylight saving day (29 March 2026 is a Sunday)", paris(2026, 3, 28, 21, 0), paris(2026, 3, 30, 8, 0)},
	} {
		if got := sc.NextAllowed(c.at); !got.Equal(c.want) {
			t.Errorf("%s: NextAllowed(%s) = %s, want %s", c.name, c.at.In(portal.Zone("Europe/Paris")), got.In(portal.Zone("Europe/Paris")), c.want.In(portal.Zone("Europe/Paris")))
		}
	}
	if !sc.Allowed(paris(2026, 6, 8, 9, 30).Add(7*time.Second)) || sc.Allowed(paris(2026, 6, 7, 12, 0)) {
		t.Error("Allowed disagrees with the window")
	}
	all := sc
	all.QuietHours, all.Days, all.SendOnPublicHolidays = outreach.Window{From: "00:00", To: "24:00"}, outreach.Weekdays, true
	if at := paris(2026, 7, 14, 23, 59).Add(30 * time.Second); !all.Allowed(at) {
		t.Error("an always-open scenario refuses a minute")
	}
}
