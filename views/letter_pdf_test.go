package views

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal/testkit"
)

func sampleLetter(business bool, collector *CollectorView) LetterView {
	day := time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC)
	inv := InvoiceView{Number: "F-2026-001", IssuedOn: day.AddDate(0, -2, 0), DueOn: day.AddDate(0, -1, 0), Details: "Réparation de la toiture", Total: eur(124450),
		Groups: []LineGroup{
			{Kind: "principal", Lines: []LineView{{Label: "Réparation de la toiture", Amount: eur(123450)}}},
			{Kind: "interest", Lines: []LineView{{Label: "Intérêts de retard", Amount: eur(1000), Basis: "legal_rate"}}},
		}}
	v := LetterView{Collector: collector, Creditor: sampleContact(), DebtorName: "Marie Curie", Reference: "R-2026-001", SentOn: day,
		Invoices: []InvoiceView{inv}, Principal: eur(123450), Charges: []ChargeView{{Kind: "interest", Basis: "legal_rate", Amount: eur(1000)}},
		Total: eur(124450), Paid: eur(450), Balance: eur(124000), Site: "reglo.example", OtherPayment: "Chèque à l'ordre de l'Atelier"}
	if business {
		v.Business = true
		v.Invoices[0].Groups = append(v.Invoices[0].Groups, LineGroup{Kind: "fee", Lines: []LineView{{Label: "Indemnité", Amount: eur(4000), Basis: "recovery_indemnity"}}})
		v.Charges = append(v.Charges, ChargeView{Kind: "fee", Basis: "recovery_indemnity", Amount: eur(4000)})
	}
	return v
}

func flat(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s)), " ")
}

// The first letter carries every mention of CPCE R124-4, read back from
// the PDF's text, in both languages.
func TestLetterPDFHasEveryR1244Mention(t *testing.T) {
	cats, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		tr := func(id string, kv ...any) string {
			m, _ := pairs(kv)
			if len(m) == 0 {
				m = nil
			}
			s, err := cats[lang].translate(id, nil, m)
			if err != nil {
				t.Fatal(err)
			}
			return flat(s)
		}
		v := sampleLetter(false, sampleCollector())
		b, err := LetterPDF(v, lang)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF", lang)
		}
		text := testkit.PDFText(b)
		date := flat(FormatDate(v.SentOn, lang))
		mentions := map[string][]string{
			"collector identity and address":                    {"Recouvre Sud SAS", "3 allée des Pins", "31000 Toulouse", "552 100 554", "RCS Toulouse 552 100 554", "MAAF Pro, contrat 123"},
			"collector does amicable recovery for the creditor": {tr("law.letter.agency", "Collector", "Recouvre Sud", "Creditor", v.Creditor.Name)},
			"creditor name and address":                         {v.Creditor.Name, v.Creditor.LegalName, "12 rue de la Paix", "75002 Paris"},
			"basis of the debt":                                 {tr("law.letter.basis"), tr("law.letter.invoice", "Number", "F-2026-001", "Issued", flat(FormatDate(v.Invoices[0].IssuedOn, lang)), "Due", flat(FormatDate(v.Invoices[0].DueOn, lang))), "Réparation de la toiture"},
			"breakdown principal, interest, other sums": {tr("law.letter.principal"), flat(Money(123450, "EUR", lang)), tr("law.charge.interest.legal_rate"), flat(Money(1000, "EUR", lang)),
				tr("law.letter.total"), tr("law.letter.paid"), tr("law.letter.balance"), flat(Money(124000, "EUR", lang))},
			"what is not due":           {tr("law.letter.not_due_consumer")},
			"request to pay":            {tr("law.letter.request", "Balance", flat(Money(124000, "EUR", lang)))},
			"ways to pay":               {tr("law.letter.way_online", "Site", "reglo.example"), "FR76 1234 5678 9012 3456 7890 123", "Chèque à l'ordre de l'Atelier"},
			"L111-8 paragraphs 2 and 3": {tr("law.letter.l111_8_p2"), tr("law.letter.l111_8_p3")},
			"L111-8 French text":        {"Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier, sauf s'ils concernent un acte dont l'accomplissement est prescrit par la loi au créancier. Toute stipulation contraire est réputée non écrite, sauf disposition législative contraire.", "Cependant, le créancier qui justifie du caractère nécessaire des démarches entreprises pour recouvrer sa créance peut demander au juge de l'exécution de laisser tout ou partie des frais ainsi exposés à la charge du débiteur de mauvaise foi."},
			"reference":                 {"R-2026-001"},
			"date of sending":           {tr("law.letter.sent_on", "Date", date)},
		}
		for what, wants := range mentions {
			for _, w := range wants {
				if !strings.Contains(text, flat(w)) {
					t.Errorf("%s letter lacks %s: %q\n%s", lang, what, w, text)
				}
			}
		}
		biz := testkit.PDFText(must(LetterPDF(sampleLetter(true, sampleCollector()), lang)))
		for _, w := range []string{tr("law.letter.not_due_business"), tr("law.charge.fee.recovery_indemnity"), tr("law.basis.fee.recovery_indemnity")} {
			if !strings.Contains(biz, w) {
				t.Errorf("%s business letter lacks %q", lang, w)
			}
		}
		own := testkit.PDFText(must(LetterPDF(sampleLetter(false, nil), lang)))
		if !strings.Contains(own, tr("law.letter.in_house", "Creditor", v.Creditor.Name)) || strings.Contains(own, "Recouvre Sud") {
			t.Errorf("%s in-house letter: %s", lang, own)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
