package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/web"
	"github.com/reglo/reglo/portal/web/api"
)

func TestRemindersAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		st, body := e.json("GET", "/api/v1/reminders", e.keyA, nil)
		if st != 200 || body["max_per_7_days"].(float64) != 3 || body["quiet_hours"].(map[string]any)["from"] != "08:00" || len(body["steps"].([]any)) != 5 {
			t.Fatalf("GET default = %d %v", st, body)
		}
		good := map[string]any{"steps": []map[string]any{{"day": 2, "channel": "email", "template": "gentle"}, {"day": 9, "channel": "sms", "template": "last_amicable", "min_balance_cents": 5000}},
			"quiet_hours": map[string]string{"from": "09:00", "to": "18:30"}, "days": []string{"mon", "tue", "wed"}, "max_per_7_days": 2, "time_zone": "Europe/Paris"}
		if st, body := e.json("PUT", "/api/v1/reminders", e.keyA, good); st != 200 || body["max_per_7_days"].(float64) != 2 {
			t.Fatalf("PUT = %d %v", st, body)
		}
		if st, body := e.json("GET", "/api/v1/reminders", e.keyA, nil); st != 200 || body["quiet_hours"].(map[string]any)["to"] != "18:30" || len(body["steps"].([]any)) != 2 {
			t.Fatalf("GET after PUT = %d %v", st, body)
		}
		if _, body := e.json("GET", "/api/v1/reminders?kind=business", e.keyA, nil); len(body["steps"].([]any)) != 4 {
			t.Errorf("business scenario changed with the consumer one: %v", body)
		}
		if _, body := e.json("GET", "/api/v1/reminders", e.keyB, nil); body["max_per_7_days"].(float64) != 3 {
			t.Errorf("another creditor sees the change: %v", body)
		}
		for _, c := range []struct {
			name  string
			edit  func(m map[string]any)
			field string
		}{
			{"steps out of order", func(m map[string]any) {
				m["steps"] = []map[string]any{{"day": 9, "channel": "email", "template": "gentle"}, {"day": 2, "channel": "email", "template": "clear"}}
			}, "steps[1].day"},
			{"unknown channel", func(m map[string]any) {
				m["steps"] = []map[string]any{{"day": 1, "channel": "fax", "template": "gentle"}}
			}, "steps[0].channel"},
			{"unknown template", func(m map[string]any) {
				m["steps"] = []map[string]any{{"day": 1, "channel": "sms", "template": "angry"}}
			}, "steps[0].template"},
			{"no steps", func(m map[string]any) { m["steps"] = []map[string]any{} }, "steps"},
			{"window ends before it starts", func(m map[string]any) { m["quiet_hours"] = map[string]string{"from": "20:00", "to": "08:00"} }, "quiet_hours.to"},
			{"bad time", func(m map[string]any) { m["quiet_hours"] = map[string]string{"from": "8h", "to": "20:00"} }, "quiet_hours.from"},
			{"no days", func(m map[string]any) { m["days"] = []string{} }, "days"},
			{"unknown day", func(m map[string]any) { m["days"] = []string{"mon", "funday"} }, "days[1]"},
			{"cap zero", func(m map[string]any) { m["max_per_7_days"] = 0 }, "max_per_7_days"},
			{"unknown zone", func(m map[string]any) { m["time_zone"] = "Mars/Olympus" }, "time_zone"},
		} {
			m := map[string]any{}
			for k, v := range good {
				m[k] = v
			}
			c.edit(m)
			st, body := e.json("PUT", "/api/v1/reminders", e.keyA, m)
			if st != 422 || body["error"].(map[string]any)["field"] != c.field {
				t.Errorf("%s: %d %v, want 422 on %s", c.name, st, body, c.field)
			}
		}
		if st, _ := e.json("GET", "/api/v1/reminders", "", nil); st != 401 {
			t.Errorf("no key: %d", st)
		}
	})
}

// mailBox records emails.
type mailBox struct {
	mu    sync.Mutex
	mails []notify.Email
}

func (b *mailBox) SendEmail(_ context.Context, m notify.Email) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mails = append(b.mails, m)
	return nil
}

const smsToken = "inbound-sms-token"

func TestUnsubscribeAndSMSStop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newAPIEnv(t, store)
		e.Clock.Set(time.Date(2026, 6, 8, 8, 0, 0, 0, time.UTC)) // Monday 10:00 in Paris
		c := e.Case(e.credA, "U-1", 12000)
		srv := web.New(web.Config{Services: e.Services, BaseURL: "http://localhost:8080", Log: quietLog, SMSAuthToken: smsToken})
		box := &mailBox{}
		r := &outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box}}
		if _, err := r.RunOnce(ctx); err != nil || len(box.mails) != 1 {
			t.Fatalf("first reminder: %v, %d mails", err, len(box.mails))
		}
		stop := strings.Trim(box.mails[0].Headers["List-Unsubscribe"], "<>")
		path := strings.TrimPrefix(stop, "http://localhost:8080")
		b := newDebtorBrowser(t, srv.App)
		page := b.get(path)
		wantPageStatus(t, "stop page", page, 200)
		pageHas(t, "stop page", page.body, "Ne plus recevoir nos e-mails", "Créancier\u00a0: Énergie Claire", `<form method="post" action="`+path+`"`)
		if out, _ := e.Outreach.OptedOut(ctx, c.ID); len(out) != 0 {
			t.Fatalf("GET opted out: %v", out)
		}
		// The RFC 8058 one-click POST: no cookie, no CSRF token.
		req := httptest.NewRequest("POST", path, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := srv.App.Test(req, -1)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("one-click POST: %v %v", err, resp.StatusCode)
		}
		if out, _ := e.Outreach.OptedOut(ctx, c.ID); len(out) != 1 || out[0] != "email" {
			t.Fatalf("after POST opted out of %v", out)
		}
		if r := b.get("/u/not-a-token"); r.status != 404 {
			t.Errorf("unknown token: %d", r.status)
		}

		// Inbound SMS STOP, signed as the provider signs it.
		if _, err := e.Outreach.SaveScenario(ctx, e.credA.ID, outreach.Scenario{Kind: "consumer", Steps: []outreach.Step{{Day: 0, Channel: "sms", Template: "gentle"}},
			QuietHours: outreach.Window{From: "00:00", To: "24:00"}, Days: outreach.Weekdays, MaxPer7Days: 3, TimeZone: "Europe/Paris"}); err != nil {
			t.Fatal(err)
		}
		form := url.Values{"From": {"+33612345678"}, "Body": {" stop "}, "MessageSid": {"SM1"}}
		post := func(sig string) int {
			req := httptest.NewRequest("POST", "/webhooks/sms", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Twilio-Signature", sig)
			resp, err := srv.App.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			return resp.StatusCode
		}
		if st := post("bad"); st != http.StatusForbidden {
			t.Fatalf("bad signature: %d", st)
		}
		if out, _ := e.Outreach.OptedOut(ctx, c.ID); len(out) != 1 {
			t.Fatalf("a bad signature changed opt-outs: %v", out)
		}
		if st := post(api.TwilioSignature(smsToken, "http://localhost:8080/webhooks/sms", form)); st != 200 {
			t.Fatalf("signed STOP: %d", st)
		}
		if out, _ := e.Outreach.OptedOut(ctx, c.ID); len(out) != 2 {
			t.Fatalf("after STOP opted out of %v", out)
		}
	})
}

// TestAgentSeesMessagesAndOptsOut: the agent's messages page lists what was
// sent, and its toggle stops a channel; a limited admin cannot reach
// another creditor's case.
func TestAgentSeesMessagesAndOptsOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newAdmEnv(t, store)
		// Next Monday 10:00 in Paris, after the real now: back-office
		// sessions are signed for the kit's clock and checked against the
		// real one.
		monday := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
		for monday.Weekday() != time.Monday {
			monday = monday.AddDate(0, 0, 1)
		}
		at := time.Date(monday.Year(), monday.Month(), monday.Day(), 10, 0, 0, 0, portal.Zone("Europe/Paris"))
		e.Clock.Set(at.UTC())
		c := e.Case(e.credB, "M-1", 12000)
		box := &mailBox{}
		if _, err := (&outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box}}).RunOnce(ctx); err != nil || len(box.mails) != 1 {
			t.Fatalf("reminder: %v %d", err, len(box.mails))
		}
		agent := e.signIn("agent@example.org")
		path := fmt.Sprintf("/admin/cases/%d/messages", c.ID)
		pageHas(t, "case page", agent.get(fmt.Sprintf("/admin/cases/%d", c.ID)).body, `href="`+path+`"`, "Messages sent and opt-outs")
		r := agent.get(path)
		wantPageStatus(t, "messages", r, 200)
		pageHas(t, "messages", r.body, "Messages of file M-1", "Gentle reminder", "Sent", at.Format("2006-01-02 15:04"), "Stop messages on this channel")
		// The debtor opens the reminder's link: the agent sees it.
		link := strings.TrimSpace(box.mails[0].Text[strings.Index(box.mails[0].Text, "/l/")+3:])
		link = link[:strings.IndexAny(link, " \n")]
		if _, err := e.Core.OpenLink(ctx, link); err != nil {
			t.Fatal(err)
		}
		pageHas(t, "messages", agent.get(path).body, "Sent, link opened")
		r = agent.post(fmt.Sprintf("/admin/cases/%d/opt-out", c.ID), url.Values{"channel": {"sms"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("opt-out: %d %s", r.status, r.body)
		}
		if out, _ := e.Outreach.OptedOut(ctx, c.ID); len(out) != 1 || out[0] != "sms" {
			t.Fatalf("opted out of %v", out)
		}
		pageHas(t, "messages after", agent.get(r.header.Get("Location")).body, "Wants no more messages", "no more messages will go on this channel")
		if r := e.signIn("admin-a@example.org").get(path); r.status != 404 {
			t.Errorf("a limited admin reached another creditor's case: %d", r.status)
		}
	})
}

// TestAdminEditsTheScenarioWithPreview: the admin page shows the default
// steps with every step's words in French and English; a contradictory
// scenario is refused with the step named; a good one is saved.
func TestAdminEditsTheScenarioWithPreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newAdmEnv(t, store)
		admin := e.signIn("admin@example.org")
		path := fmt.Sprintf("/admin/creditors/%d/reminders", e.credA.ID)
		pageHas(t, "settings", admin.get(fmt.Sprintf("/admin/creditors/%d/settings", e.credA.ID)).body, `href="`+path+`"`)
		r := admin.get(path)
		wantPageStatus(t, "reminders page", r, 200)
		pageHas(t, "reminders page", r.body, "Reminder scenario of Énergie Claire", `value="45"`, "Step 5, day 45",
			"Nous vous écrivons le", "We are writing on", "EXEMPLE-001", "Reply STOP", "Répondez STOP")
		form := url.Values{"day": {"2", "1"}, "channel": {"email", "sms"}, "template": {"gentle", "clear"}, "min_balance": {"", ""},
			"from": {"09:00"}, "to": {"18:00"}, "days": {"mon", "tue"}, "max_per_7_days": {"2"}, "time_zone": {"Europe/Paris"}, "action": {"save"}}
		r = admin.post(path+"?kind=business", form)
		wantPageStatus(t, "refused", r, 422)
		pageHas(t, "refused", r.body, "Step 2:", "each step must come after the one before")
		form["day"] = []string{"2", "9"}
		form["min_balance"] = []string{"", "150,50"}
		form["no_contact"] = []string{"1"}
		r = admin.post(path+"?kind=business", form)
		if r.status != 303 {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		sc, err := e.Outreach.Scenario(ctx, e.credA.ID, "business")
		if err != nil || len(sc.Steps) != 2 || sc.Steps[1].MinBalanceCents == nil || *sc.Steps[1].MinBalanceCents != 15050 || !sc.Steps[1].OnlyIfNoContact ||
			sc.QuietHours.To != "18:00" || len(sc.Days) != 2 || sc.MaxPer7Days != 2 {
			t.Fatalf("saved %+v (%v)", sc, err)
		}
		pageHas(t, "after save", admin.get(r.header.Get("Location")).body, "The scenario is saved", `value="150,50"`)
		if cons, _ := e.Outreach.Scenario(ctx, e.credA.ID, "consumer"); len(cons.Steps) != 5 {
			t.Errorf("the consumer scenario changed: %+v", cons)
		}
		if r := e.signIn("admin-a@example.org").get(fmt.Sprintf("/admin/creditors/%d/reminders", e.credB.ID)); r.status != 404 {
			t.Errorf("a limited admin reached another creditor's scenario: %d", r.status)
		}
		if r := e.signIn("agent@example.org").get(path); r.status == 200 {
			t.Errorf("an agent reached the scenario page")
		}
	})
}

// TestVerifyPage: the right reference and postcode of a case written to
// recently say "yes"; a wrong postcode, an unknown reference and a case
// never written to all give the same "we find no message" answer.
func TestVerifyPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newAPIEnv(t, store)
		e.Clock.Set(time.Date(2026, 6, 8, 8, 0, 0, 0, time.UTC))
		written := e.Case(e.credA, "V-1", 12000)
		box := &mailBox{}
		if _, err := (&outreach.Reminders{Service: e.Outreach, Senders: notify.Senders{Mail: box}}).RunOnce(ctx); err != nil || len(box.mails) != 1 {
			t.Fatalf("reminder: %v %d", err, len(box.mails))
		}
		if !strings.Contains(box.mails[0].Text, "http://localhost:8080/verify") {
			t.Errorf("the reminder does not mention /verify")
		}
		e.Case(e.credA, "V-2", 12000) // created after the round: never written to
		_ = written
		b := newDebtorBrowser(t, e.srv.App)
		b.headers["Accept-Language"] = "en"
		wantPageStatus(t, "verify form", b.get("/verify"), 200)
		for _, c := range []struct {
			name, ref, postcode, want string
		}{
			{"genuine", "V-1", "75 011", "we did write to you recently"},
			{"wrong postcode", "V-1", "75012", "We find no recent message"},
			{"unknown reference", "NOPE", "75011", "We find no recent message"},
			{"never written to", "V-2", "75011", "We find no recent message"},
		} {
			r := b.post("/verify", url.Values{"reference": {c.ref}, "postcode": {c.postcode}})
			wantPageStatus(t, c.name, r, 200)
			pageHas(t, c.name, r.body, c.want)
			pageLacks(t, c.name, r.body, "Énergie Claire", "120")
		}
		wantPageStatus(t, "empty", b.post("/verify", url.Values{}), 422)
	})
}
