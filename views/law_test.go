package views

import (
	"bytes"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal/testkit"
)

func sampleCollector() *CollectorView {
	return &CollectorView{Name: "Recouvre Sud", LegalForm: "SAS", Address: "3 allée des Pins\n31000 Toulouse", SIREN: "552 100 554",
		Registration: "RCS Toulouse 552 100 554", Insurance: "MAAF Pro, contrat 123", FundsAccount: "FR76 1234 5678 9012 3456 7890 123",
		Email: "contact@recouvre-sud.example", Phone: "+33 5 61 00 00 00", PhoneURI: "+33561000000"}
}

// Every page names the collection agency when one acts, and the case page
// gives its whole identity beside the creditor's.
func TestEveryPageNamesTheCollector(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for page, vs := range samples() {
		for _, lang := range Languages {
			var buf bytes.Buffer
			if err := r.Render(&buf, page, Page{Lang: lang, CSRF: "tok", Data: vs[0], Collector: sampleCollector()}); err != nil {
				t.Fatalf("%s in %s: %v", page, lang, err)
			}
			html := buf.String()
			if strings.HasPrefix(page, "admin_") {
				continue
			}
			for _, want := range []string{"Recouvre Sud (SAS, SIREN 552 100 554)"} {
				if !strings.Contains(html, want) {
					t.Errorf("%s in %s lacks %q", page, lang, want)
				}
			}
			if strings.Contains(html, "<no value>") {
				t.Errorf("%s in %s has a missing value", page, lang)
			}
		}
	}
	var buf bytes.Buffer
	v := sampleCase(StateOpen, "", true)
	if err := r.Render(&buf, "case_show", Page{Lang: "fr", CSRF: "tok", Data: v, Collector: sampleCollector()}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Recouvre Sud fait le recouvrement amiable de cette somme pour le compte du créancier, " + v.Creditor.Name,
		"RCS Toulouse 552 100 554", "MAAF Pro, contrat 123", "FR76 1234 5678 9012 3456 7890 123", "31000 Toulouse", `href="tel:&#43;33561000000"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("case page lacks %q", want)
		}
	}
}

// Every basis of an interest or fee line has its words in both languages.
func TestLineBasesHaveWords(t *testing.T) {
	ids, err := MessageIDs()
	if err != nil {
		t.Fatal(err)
	}
	for lang, list := range ids {
		known := set(list)
		for kind, bases := range LineBases {
			for _, b := range bases {
				for _, k := range []string{"law.basis." + kind + "." + b, "law.charge." + kind + "." + b} {
					if !known[k] {
						t.Errorf("%s: message %q is missing", lang, k)
					}
				}
			}
		}
	}
}

// Messages name the agency beside the creditor when one acts.
func TestMessagesNameTheCollector(t *testing.T) {
	m := MustMessages()
	for _, lang := range Languages {
		msg, err := m.Write(lang, "link", map[string]any{"Creditor": "Atelier Dupont", "URL": "https://reglo.example/l/x",
			"Collector": "Recouvre Sud", "CollectorIdentity": "Recouvre Sud SAS, SIREN 552 100 554", "CollectorContact": "contact@recouvre-sud.example"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg.Text, "Recouvre Sud (Recouvre Sud SAS, SIREN 552 100 554)") || !strings.Contains(msg.Text, "Atelier Dupont") ||
			!strings.Contains(msg.SMS, "Recouvre Sud") {
			t.Errorf("%s: %q / %q", lang, msg.Text, msg.SMS)
		}
		plain, _ := m.Write(lang, "link", map[string]any{"Creditor": "Atelier Dupont", "URL": "https://reglo.example/l/x"})
		if strings.Contains(plain.Text, "--") {
			t.Errorf("%s: an in-house message names an agency: %q", lang, plain.Text)
		}
	}
}

func init() {
	areaSamples["privacy"] = func() []any { return []any{PrivacyView{RetentionYears: 5}} }
	areaSamples["accessibility"] = func() []any { return []any{AccessibilityView{}} }
}

// The receipt PDF names the agency beside the creditor.
func TestReceiptPDFNamesTheCollector(t *testing.T) {
	r := sampleReceipt(ReceiptPurposes[0])
	r.Collector = sampleCollector()
	b, err := ReceiptPDF(r, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if text := testkit.PDFText(b); !strings.Contains(text, "Recouvre Sud (SAS, SIREN 552 100 554) fait le recouvrement amiable") {
		t.Errorf("receipt: %s", text)
	}
}
