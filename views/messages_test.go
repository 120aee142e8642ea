package views

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal/notify"
)

// sampleMessageData has a value for every placeholder any message uses.
func sampleMessageData(kind string) map[string]any {
	d := map[string]any{"Creditor": "Énergie Claire", "URL": "https://pay.example/l/tok", "Day": time.Date(2026, 6, 7, 0, 0, 0, 0, time.UTC)}
	if kind == "letter" {
		d["Reference"] = "EC-0412"
	}
	if kind == "receipt" {
		d["Number"], d["Reference"] = "R-000042", "EC-0412"
		d["Amount"], d["Left"] = notify.Amount{Cents: 123450, Currency: "EUR"}, notify.Amount{Cents: 0, Currency: "EUR"}
		d["For"] = notify.Phrase{Key: "msg.receipt.for.instalment", Data: map[string]any{"Seq": 2, "Count": 6}}
	}
	return d
}

// TestEveryMessageInEveryLanguage writes every email and SMS in French and
// English: nothing left unfilled, the link in every channel, no amount in an
// SMS, and French typography (a non-breaking space before ; : ! ?).
func TestEveryMessageInEveryLanguage(t *testing.T) {
	w := MustMessages()
	badFrench := regexp.MustCompile(`[^\x{00a0}\x{202f}][;:!?](\s|$)`)
	for _, kind := range MessageKinds {
		for _, lang := range Languages {
			m, err := w.Write(lang, kind, sampleMessageData(kind))
			if err != nil {
				t.Fatalf("%s in %s: %v", kind, lang, err)
			}
			all := m.Subject + "\n" + m.Text + "\n" + m.SMS
			if m.Subject == "" || m.Text == "" || strings.Contains(all, "{{") || strings.Contains(all, "<no value>") {
				t.Errorf("%s in %s is incomplete: %+v", kind, lang, m)
			}
			if !strings.Contains(all, "Énergie Claire") {
				t.Errorf("%s in %s does not name the creditor", kind, lang)
			}
			if kind != "receipt" && (!strings.Contains(m.Text, "https://pay.example/l/tok") || !strings.Contains(m.SMS, "https://pay.example/l/tok")) {
				t.Errorf("%s in %s lacks the link in the email or the SMS: %+v", kind, lang, m)
			}
			if strings.ContainsAny(m.SMS, "€") {
				t.Errorf("%s in %s: an SMS carries an amount: %q", kind, lang, m.SMS)
			}
			if lang == "fr" {
				text := strings.ReplaceAll(all, "https://", "")
				if loc := badFrench.FindStringIndex(text); loc != nil {
					t.Errorf("%s in French: no non-breaking space before %q in %q", kind, text[loc[0]+1:loc[1]], text[max(0, loc[0]-20):loc[1]])
				}
			}
		}
	}
	m, err := w.Write("fr", "receipt", sampleMessageData("receipt"))
	if err != nil || !strings.Contains(m.Text, "échéance 2 sur 6") || !strings.Contains(m.Text, "1\u202f234,50\u00a0€") || !strings.Contains(m.Text, "7 juin 2026") {
		t.Errorf("receipt values not written in French: %v\n%s", err, m.Text)
	}
	if _, err := w.Write("fr", "no_such_message", nil); err == nil {
		t.Error("an unknown message kind was written")
	}
}
