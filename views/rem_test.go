package views

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReminderMessagesInEveryLanguage writes the three reminder templates in
// French and English: each names the creditor, the collector, the reference
// and the date, carries the link, the email its stop link, the SMS no
// amount, no surname and "STOP" at its end; French typography holds.
func TestReminderMessagesInEveryLanguage(t *testing.T) {
	w := MustMessages()
	badFrench := regexp.MustCompile(`[^\x{00a0}\x{202f}][;:!?](\s|$)`)
	data := map[string]any{"Creditor": "Énergie Claire", "Sender": "Cabinet Lefort", "Reference": "EC-0412", "FirstName": "Camille",
		"Day": time.Date(2026, 6, 8, 0, 0, 0, 0, time.UTC), "After": time.Date(2026, 6, 23, 0, 0, 0, 0, time.UTC),
		"URL": "https://pay.example/l/tok", "StopURL": "https://pay.example/u/stop", "VerifyURL": "https://pay.example/verify"}
	data["DueOn"] = time.Date(2026, 6, 11, 0, 0, 0, 0, time.UTC)
	for _, tpl := range []string{"gentle", "clear", "last_amicable", "instalment_notice"} {
		for _, lang := range Languages {
			m, err := w.Write(lang, "reminder_"+tpl, data)
			if err != nil {
				t.Fatalf("%s in %s: %v", tpl, lang, err)
			}
			all := m.Subject + "\n" + m.Text + "\n" + m.SMS
			if strings.Contains(all, "{{") || strings.Contains(all, "<no value>") || m.SMS == "" {
				t.Errorf("%s in %s is incomplete: %+v", tpl, lang, m)
			}
			for _, want := range []string{"Énergie Claire", "Cabinet Lefort", "EC-0412", "https://pay.example/l/tok"} {
				if !strings.Contains(m.Text, want) || !strings.Contains(m.SMS, want) {
					t.Errorf("%s in %s lacks %q in the email or the SMS", tpl, lang, want)
				}
			}
			if !strings.Contains(m.Text, "https://pay.example/u/stop") || !strings.Contains(m.Text, "https://pay.example/verify") {
				t.Errorf("%s in %s: the email lacks the stop link or the /verify page", tpl, lang)
			}
			day := map[string]string{"fr": "8 juin 2026", "en": "8 June 2026"}[lang]
			if !strings.Contains(m.Text, day) || !strings.Contains(m.SMS, day) {
				t.Errorf("%s in %s does not carry the date %q", tpl, lang, day)
			}
			if strings.ContainsAny(all, "€$£") || strings.Contains(m.SMS, "Martin") {
				t.Errorf("%s in %s carries an amount or a surname", tpl, lang)
			}
			if !strings.HasSuffix(m.SMS, "SMS.") && !strings.HasSuffix(m.SMS, "texts.") || !strings.Contains(m.SMS, "STOP") {
				t.Errorf("%s in %s: the SMS does not end with how to stop: %q", tpl, lang, m.SMS)
			}
			if lang == "fr" {
				text := strings.ReplaceAll(all, "https://", "")
				if loc := badFrench.FindStringIndex(text); loc != nil {
					t.Errorf("%s in French: no non-breaking space in %q", tpl, text[max(0, loc[0]-20):loc[1]])
				}
			}
		}
	}
}

// With a collection agency named, every reminder SMS carries its line
// (CPCE R124-4) and still ends with how to stop.
func TestReminderSMSWithAnAgencyStillEndsWithStop(t *testing.T) {
	w := MustMessages()
	data := map[string]any{"Creditor": "Énergie Claire", "Sender": "Cabinet Lefort", "Reference": "EC-0412", "FirstName": "Camille",
		"Day": time.Date(2026, 6, 8, 0, 0, 0, 0, time.UTC), "After": time.Date(2026, 6, 23, 0, 0, 0, 0, time.UTC),
		"DueOn": time.Date(2026, 6, 11, 0, 0, 0, 0, time.UTC), "URL": "https://pay.example/l/tok", "StopURL": "https://pay.example/u/stop",
		"VerifyURL": "https://pay.example/verify", "Collector": "Cabinet Lefort", "CollectorIdentity": "Cabinet Lefort SAS, Paris"}
	for _, tpl := range []string{"gentle", "clear", "last_amicable", "instalment_notice"} {
		for _, lang := range Languages {
			m, err := w.Write(lang, "reminder_"+tpl, data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(m.SMS, "SMS.") && !strings.HasSuffix(m.SMS, "texts.") || strings.Count(m.SMS, "Cabinet Lefort") < 2 {
				t.Errorf("%s in %s: %q", tpl, lang, m.SMS)
			}
		}
	}
}

func init() {
	areaSamples["verify"] = func() []any {
		return []any{VerifyView{}, VerifyView{Reference: "EC-1", Postcode: "75011", Result: "genuine"},
			VerifyView{Reference: "EC-1", Result: "unknown"}, VerifyView{Result: "required"}}
	}
	areaSamples["unsubscribe"] = func() []any {
		return []any{
			UnsubscribeView{Action: "/u/tok", Channel: "email", Creditor: "Énergie Claire"},
			UnsubscribeView{Action: "/u/tok", Channel: "sms", Creditor: "Énergie Claire"},
			UnsubscribeView{Action: "/u/tok", Channel: "email", Creditor: "Énergie Claire", Done: true},
		}
	}
}

func init() {
	areaSamples["admin_case_messages"] = func() []any {
		v := RemMessagesView{User: BoUser{Email: "a@example.org", Role: "agent"}, CaseURL: "/admin/cases/1", Reference: "R-1", Action: "/admin/cases/1/opt-out", CanEdit: true,
			Channels: []RemChannelView{{Channel: "email", HasAddress: true}, {Channel: "sms", HasAddress: true, OptedOut: true}}}
		for i, o := range RemOutcomes {
			v.Messages = append(v.Messages, RemMessageView{At: "2026-06-08 09:00", Reason: RemReasons[i%len(RemReasons)], Step: 1, Channel: []string{"email", "sms"}[i%2], Template: []string{"gentle", "clear", "last_amicable"}[i%3], State: RemStates[i%len(RemStates)], Outcome: o})
		}
		empty := RemMessagesView{Reference: "R-2", Channels: []RemChannelView{{Channel: "email"}, {Channel: "sms"}}, Notice: "opted_out"}
		return []any{v, empty}
	}
}

func init() {
	areaSamples["admin_reminders"] = func() []any {
		v := RemScenarioView{User: BoUser{Email: "a@example.org", Role: "admin"}, Creditor: "Énergie Claire", BackURL: "/admin/creditors/1/settings",
			Action: "/admin/creditors/1/reminders?kind=consumer", Kind: "consumer",
			KindURLs: map[string]string{"consumer": "/admin/creditors/1/reminders?kind=consumer", "business": "/admin/creditors/1/reminders?kind=business"},
			Steps:    []RemStepForm{{N: 1, Day: "3", Channel: "email", Template: "gentle"}, {N: 2, Day: "10", Channel: "sms", Template: "clear", MinBalance: "150", NoContact: true}, {N: 3}},
			From:     "08:00", To: "20:00", Days: map[string]bool{"mon": true}, Max: "3", TimeZone: "Europe/Paris",
			ChannelOptions: []string{"email", "sms"}, TemplateOptions: []string{"gentle", "clear", "last_amicable"}, DaysList: RemWeekdays,
			Preview: []RemPreviewStep{{Step: 1, Day: 3, Channel: "email", Template: "gentle", Texts: []RemPreviewText{{Lang: "fr", Subject: "S", Text: "T", SMS: "M"}, {Lang: "en", Subject: "S", Text: "T", SMS: "M"}}}}}
		out := []any{v}
		for _, e := range RemErrors {
			w := v
			w.Error, w.ErrorStep, w.Notice = e, 2, "saved"
			out = append(out, w)
		}
		return out
	}
}
