package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/outreach"
	bt "github.com/reglo/reglo/portal/web/browsertest"
)

// TestBrowserUnsubscribePage walks a reminder's stop link in Chromium (the
// confirm page and the done page) and the /verify page, each checked by
// axe, with and without JavaScript.
func TestBrowserUnsubscribePage(t *testing.T) {
	browserPairs(t, func(t *testing.T, lang string, js bool) {
		f := newBrowserDebtor(t, browserStore(t), fixtureOptions{language: lang})
		ctx := context.Background()
		sc := outreach.DefaultScenario("consumer")
		sc.Steps = []outreach.Step{{Day: 0, Channel: "email", Template: "gentle"}}
		sc.QuietHours, sc.Days, sc.SendOnPublicHolidays = outreach.Window{From: "00:00", To: "24:00"}, outreach.Weekdays, true
		if _, err := f.Outreach.SaveScenario(ctx, f.creditor.ID, sc); err != nil {
			t.Fatal(err)
		}
		box := &mailBox{}
		if _, err := (&outreach.Reminders{Service: f.Outreach, Senders: notify.Senders{Mail: box}}).RunOnce(ctx); err != nil || len(box.mails) == 0 {
			t.Fatalf("no reminder: %v", err)
		}
		stop := strings.Trim(box.mails[0].Headers["List-Unsubscribe"], "<>")
		if !strings.HasPrefix(stop, f.base+"/u/") {
			t.Fatalf("stop link %q is not on %s", stop, f.base)
		}
		tab := bt.NewTab(t, bt.WithJavaScript(js))
		res := bt.Open(t, tab, stop)
		browserWantStatus(t, "stop page", res, http.StatusOK)
		pageLangIs(t, tab, lang)
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.CheckNoHorizontalScroll(t, tab, 320)
		bt.Screenshot(t, tab, "unsubscribe")
		res = bt.Click(t, tab, "main form button[type=submit]")
		browserWantStatus(t, "stopped", res, http.StatusOK)
		bt.CheckAxe(t, tab)
		if out, _ := f.Outreach.OptedOut(ctx, f.caseID); len(out) != 1 || out[0] != "email" {
			t.Fatalf("opted out of %v", out)
		}

		// "Is this message really from us?", which every reminder email names.
		res = bt.Open(t, tab, f.base+"/verify?lang="+lang)
		browserWantStatus(t, "verify", res, http.StatusOK)
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Type(t, tab, "#reference", "NOPE")
		bt.Type(t, tab, "#postcode", debtorPostcode)
		res = bt.Click(t, tab, "main form button[type=submit]")
		browserWantStatus(t, "verify answer", res, http.StatusOK)
		bt.CheckAxe(t, tab)
		bt.Screenshot(t, tab, "verify-unknown")
	})
}
