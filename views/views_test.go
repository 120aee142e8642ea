package views

import (
	"bytes"
	"io/fs"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func sampleContact() Contact {
	return Contact{
		Name: "Atelier Dupont", LegalName: "Atelier Dupont SARL", LegalID: "SIREN 123 456 789",
		Address: "12 rue de la Paix\n75002 Paris", Phone: "+33 1 23 45 67 89", PhoneURI: "+33123456789",
		Email: "contact@atelier.example", Hours: "lun.-ven. 9 h - 17 h",
	}
}

func eur(c int64) Amount { return Amount{Cents: c, Currency: "EUR"} }

func sampleCase(state, note string, card bool) CaseView {
	day := time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC)
	v := CaseView{
		Choices:  CaseChoices{Pay: true, Plan: true, Promise: true, Contest: true, CannotPay: true},
		Creditor: sampleContact(), DebtorName: "Marie Curie", Reference: "R-2026-001",
		State: state, Note: note, Consumer: true,
		Balance: eur(124950), Principal: eur(123450), Interest: eur(1000), Fees: eur(500), Total: eur(124950), Paid: eur(0),
		CardPayment: card, OtherPayment: "Virement : FR76 0000 0000 0000",
	}
	inv := InvoiceView{Number: "F-1", IssuedOn: day.AddDate(0, -1, 0), DueOn: day, Details: "Travaux", Total: eur(124950)}
	for _, k := range LineKinds {
		inv.Groups = append(inv.Groups, LineGroup{Kind: k, Lines: []LineView{{Label: "Ligne " + k, Amount: eur(1000)}}, Total: eur(1000)})
	}
	v.Invoices = []InvoiceView{inv}
	for _, k := range PaymentKinds {
		v.Payments = append(v.Payments, PaymentView{Kind: k, On: day, Amount: eur(1000), ReceiptURL: "/case/receipts/1"})
	}
	v.Settlement = &SettlementView{Amount: eur(112455), ValidUntil: day}
	v.DisputeAnswer = "La facture F-1 correspond au bon de livraison signé."
	if state == StateDisputed {
		v.ReviewBy = day
	}
	for i, k := range DocumentKinds {
		v.Documents = append(v.Documents, DocumentView{Title: "Doc " + k, Kind: k, Size: int64(1000 * (i + 1)), URL: "/case/documents/1"})
	}
	return v
}

// samples gives every page at least once, and every branch that picks a
// message key from data (states, notes, kinds, options, error kinds).
func samples() map[string][]any {
	c := sampleContact()
	s := map[string][]any{
		"link_show": {
			LinkView{CreditorName: "Atelier Dupont"},
			LinkView{CreditorName: "Atelier Dupont", Answer: "75012", Problem: "wrong", AttemptsLeft: 1},
			LinkView{CreditorName: "Atelier Dupont", Answer: "75012", Problem: "wrong", AttemptsLeft: 4},
			LinkView{CreditorName: "Atelier Dupont", Problem: "required", AttemptsLeft: 5},
		},
		"signed_out": {SignedOutView{}},
	}
	for _, st := range CaseStates {
		s["case_show"] = append(s["case_show"], sampleCase(st, "", true), sampleCase(st, "", false))
	}
	for _, n := range CaseNotes {
		s["case_show"] = append(s["case_show"], sampleCase(StateOpen, n, true))
	}
	s["case_show"] = append(s["case_show"], CaseView{Creditor: Contact{Name: "Bare"}, State: StateOpen, Balance: eur(1)})
	for _, k := range ErrorKinds {
		s["error"] = append(s["error"], ErrorView{Kind: k, RequestID: "abc123"}, ErrorView{Kind: k, RequestID: "abc123", Creditor: &c})
	}
	for page, fn := range areaSamples {
		s[page] = append(s[page], fn()...)
	}
	return s
}

// areaSamples lets each area's test file (pay_test.go, bo_test.go...) add
// sample data for its own pages from an init function.
var areaSamples = map[string]func() []any{}

// TestEveryPageRendersInEveryLanguage renders every template with sample
// data in both languages, so a typo in a field, a template or a message key
// fails the build instead of a debtor's page.
func TestEveryPageRendersInEveryLanguage(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	data := samples()
	for _, page := range r.Pages() {
		if len(data[page]) == 0 {
			t.Errorf("page %q has no sample data in this test", page)
		}
	}
	for page, views := range data {
		for _, lang := range Languages {
			for i, v := range views {
				var buf bytes.Buffer
				p := Page{Lang: lang, CSRF: "tok-123", SignedIn: true, Data: v}
				if err := r.Render(&buf, page, p); err != nil {
					t.Errorf("%s sample %d in %s: %v", page, i, lang, err)
					continue
				}
				html := buf.String()
				for _, want := range []string{`<html lang="` + lang + `">`, `<main id="main">`, "<h1>", `href="?lang=fr"`, `href="?lang=en"`, "/static/reglo.css?v=" + StyleVersion} {
					if !strings.Contains(html, want) {
						t.Errorf("%s sample %d in %s lacks %q", page, i, lang, want)
					}
				}
				// Scripts only as external files from /static/ (progressive
				// enhancement); never inline, which the CSP forbids anyway.
				if n := strings.Count(html, "<script"); n != strings.Count(html, `<script src="/static/`) {
					t.Errorf("%s sample %d in %s has an inline script", page, i, lang)
				}
				for _, bad := range []string{"style=", "<style", "<no value>", "%!", "http://"} {
					if strings.Contains(html, bad) {
						t.Errorf("%s sample %d in %s contains %q", page, i, lang, bad)
					}
				}
				// GET forms (search) change nothing and must not put the token in URLs.
				if n := strings.Count(html, `<form method="post"`); n != strings.Count(html, `name="_csrf" value="tok-123"`) {
					t.Errorf("%s sample %d in %s: %d forms but not as many CSRF fields", page, i, lang, n)
				}
				if all, get := strings.Count(html, "<form"), strings.Count(html, `<form method="get"`); all != get+strings.Count(html, `<form method="post"`) {
					t.Errorf("%s sample %d in %s: a form without an explicit method", page, i, lang)
				}
			}
		}
	}
}

func TestUnknownPageIsAnError(t *testing.T) {
	r := MustNew()
	if err := r.Render(&bytes.Buffer{}, "nope", Page{Lang: "fr"}); err == nil {
		t.Fatal("want an error")
	}
}

func TestMissingFieldFailsRendering(t *testing.T) {
	r := MustNew()
	var buf bytes.Buffer
	err := r.Render(&buf, "case_show", Page{Lang: "fr", Data: LinkView{}})
	if err == nil {
		t.Fatal("rendering a page with the wrong view must fail")
	}
	if buf.Len() != 0 {
		t.Fatal("a failed render must write nothing")
	}
}

// TestCataloguesHoldTheSameKeys walks the catalogue: every key exists in
// both languages, and every key a template names literally exists.
func TestCataloguesHoldTheSameKeys(t *testing.T) {
	ids, err := MessageIDs()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids["fr"], ids["en"]) {
		fr, en := set(ids["fr"]), set(ids["en"])
		for k := range fr {
			if !en[k] {
				t.Errorf("%q is in fr.toml but not en.toml", k)
			}
		}
		for k := range en {
			if !fr[k] {
				t.Errorf("%q is in en.toml but not fr.toml", k)
			}
		}
	}
	known := set(ids["fr"])
	used := regexp.MustCompile(`\b(?:t|tf|tn) "([a-z0-9_.]+)"`)
	dynamic := regexp.MustCompile(`printf "([a-z0-9_.]+)%s([a-z0-9_.]*)"`)
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		if err != nil {
			return err
		}
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if !known[m[1]] {
				t.Errorf("%s uses unknown message %q", p, m[1])
			}
		}
		for _, m := range dynamic.FindAllStringSubmatch(string(b), -1) {
			found := false
			for k := range known {
				if strings.HasPrefix(k, m[1]) && strings.HasSuffix(k, m[2]) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s builds keys %q…%q but none exists", p, m[1], m[2])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDynamicKeysExist checks the keys templates build from data values.
func TestDynamicKeysExist(t *testing.T) {
	ids, err := MessageIDs()
	if err != nil {
		t.Fatal(err)
	}
	known := set(ids["en"])
	var want []string
	for _, k := range ErrorKinds {
		want = append(want, "error."+k+".title")
		if k != "link_locked" {
			want = append(want, "error."+k+".body")
		}
	}
	for _, s := range CaseStates {
		if s != StateOpen {
			want = append(want, "case.state."+s+".heading", "case.state."+s+".body")
		}
	}
	for _, n := range CaseNotes {
		want = append(want, "case.note."+n)
	}
	for _, k := range LineKinds {
		want = append(want, "case.kind."+k)
	}
	for _, k := range PaymentKinds {
		want = append(want, "case.payment."+k)
	}
	for _, k := range DocumentKinds {
		want = append(want, "case.doctype."+k)
	}
	for _, k := range want {
		if !known[k] {
			t.Errorf("message %q is missing", k)
		}
	}
}

func TestStyleIsSmallAndServed(t *testing.T) {
	a, ok := StaticAsset("reglo.css")
	if !ok {
		t.Fatal("reglo.css is not embedded")
	}
	if a.ContentType != "text/css; charset=utf-8" {
		t.Errorf("content type %q", a.ContentType)
	}
	if len(a.Body) > 8*1024 {
		t.Errorf("reglo.css is %d bytes; keep it under 8 KB", len(a.Body))
	}
	if _, ok := StaticAsset("../views.go"); ok {
		t.Error("only embedded static files may be served")
	}
}

func set(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}
