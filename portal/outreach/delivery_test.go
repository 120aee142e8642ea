package outreach_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/notify/mailpittest"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/portal/storetest"
)

// TestRemindersThroughRealSMTPAndSMSAPI sends the first steps through
// Mailpit (a real SMTP server) and a local Twilio-shaped Messages API,
// and checks what arrived: the RFC 8058 headers, the visible stop link,
// the SMS's STOP and its lack of amount and surname.
func TestRemindersThroughRealSMTPAndSMSAPI(t *testing.T) {
	mp := mailpittest.Start(t)
	var mu sync.Mutex
	var bodies []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		bodies = append(bodies, r.Form.Get("To")+" "+r.Form.Get("Body"))
		mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"sid":"SM1","status":"queued"}`))
	}))
	defer api.Close()
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newOutreachEnv(t, store)
		ctx := context.Background()
		mailer, err := notify.NewSMTPMailer(mp.SMTPURL("relances@example.org"))
		if err != nil {
			t.Fatal(err)
		}
		sms, err := notify.NewHTTPSMS(api.URL+"/2010-04-01/Accounts/AC1/Messages.json", "AC1", "tok", "+33700000000", api.Client())
		if err != nil {
			t.Fatal(err)
		}
		sc := outreach.DefaultScenario("consumer")
		sc.Steps = []outreach.Step{{Day: 0, Channel: "email", Template: "gentle"}, {Day: 1, Channel: "sms", Template: "clear"}}
		sc.QuietHours, sc.Days, sc.SendOnPublicHolidays = outreach.Window{From: "00:00", To: "24:00"}, outreach.Weekdays, true
		if _, err := e.Outreach.SaveScenario(ctx, e.c.CreditorID, sc); err != nil {
			t.Fatal(err)
		}
		before := len(mp.Messages(t))
		e.Clock.Set(paris(2026, 6, 8, 9, 0))
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: mailer, SMS: sms}}
		reminderRun(t, e, r, paris(2026, 6, 9, 10, 0))
		got := mp.WaitMessages(t, before+1)
		m := got[0]
		if m.To[0].Address != e.c.DebtorEmail || !strings.Contains(m.Subject, "OUT-1") {
			t.Fatalf("mail = %+v", m)
		}
		h := mp.Headers(t, m.ID)
		if lu := h["List-Unsubscribe"]; len(lu) != 1 || !strings.HasPrefix(lu[0], "<http://localhost:8080/u/") {
			t.Errorf("List-Unsubscribe = %v", lu)
		}
		if p := h["List-Unsubscribe-Post"]; len(p) != 1 || p[0] != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post = %v", p)
		}
		stop := strings.Trim(h["List-Unsubscribe"][0], "<>")
		if !strings.Contains(m.Text, stop) || strings.Contains(m.Text, "€") {
			t.Errorf("the visible stop link or no amount:\n%s", m.Text)
		}
		mu.Lock()
		last := bodies[len(bodies)-1]
		mu.Unlock()
		if !strings.HasPrefix(last, "+33612345678 Bonjour Camille,") || !strings.Contains(last, "STOP") || strings.Contains(last, "Martin") || strings.Contains(last, "€") {
			t.Errorf("sms = %q", last)
		}
	})
}
