package views

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// LetterView is the first letter of a case (French CPCE R124-4): who
// writes and for whom, the basis and breakdown of the debt, what is and is
// not due, the request to pay and the ways to, L111-8 paragraphs 2 and 3,
// the reference and the date of sending.
type LetterView struct {
	// Collector is the agency writing on the creditor's behalf; nil when
	// the creditor writes itself.
	Collector  *CollectorView
	Creditor   Contact
	DebtorName string
	Reference  string
	// SentOn is the date the letter was (or is being) sent, in the
	// creditor's time zone.
	SentOn    time.Time
	Invoices  []InvoiceView
	Principal Amount
	Charges   []ChargeView
	Total     Amount
	Paid      Amount
	Balance   Amount
	// Business is a business debtor (the L441-10 indemnity may apply).
	Business bool
	// Site is the portal's host name, where the debtor's link leads.
	Site         string
	OtherPayment string
}

// LetterPDF renders the first letter as an A4 PDF in lang. Every word is
// from the catalogues' law.letter table.
func LetterPDF(v LetterView, lang string) ([]byte, error) {
	pdfCataloguesOnce.Do(func() { pdfCatalogues, pdfCataloguesErr = loadCatalogues() })
	if pdfCataloguesErr != nil {
		return nil, pdfCataloguesErr
	}
	cat, ok := pdfCatalogues[lang]
	if !ok {
		cat, lang = pdfCatalogues[DefaultLanguage], DefaultLanguage
	}
	var firstErr error
	t := func(id string, kv ...any) string {
		m, err := pairs(kv)
		if err == nil {
			if len(m) == 0 {
				m = nil
			}
			var s string
			if s, err = cat.translate(id, nil, m); err == nil {
				return s
			}
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", id, err)
		}
		return id
	}
	money := func(a Amount) string { return Money(a.Cents, a.Currency, lang) }
	date := func(d time.Time) string { return FormatDate(d, lang) }

	pdf := fpdf.New("P", "mm", "A4", "")
	// The core fonts are cp1252; the translator maps accents, typographic
	// quotes and the euro sign. No-break spaces become plain spaces.
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	enc := func(s string) string {
		return tr(strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s))
	}
	pdf.SetTitle(t("law.letter.file_title", "Reference", v.Reference), true)
	pdf.SetAuthor(v.Creditor.Name, true)
	pdf.SetMargins(20, 18, 20)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AddPage()
	para := func(size float64, style, s string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.MultiCell(0, size*0.5, enc(s), "", "L", false)
	}
	heading := func(s string) {
		pdf.Ln(3)
		para(12, "B", s)
		pdf.Ln(1)
	}
	row := func(label, value string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 10)
		pdf.CellFormat(125, 6, enc(label), "B", 0, "L", false, 0, "")
		pdf.CellFormat(0, 6, enc(value), "B", 1, "R", false, 0, "")
	}
	block := func(lines ...string) {
		var keep []string
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				keep = append(keep, l)
			}
		}
		para(10, "", strings.Join(keep, "\n"))
	}

	// Who writes, for whom; the reference and the date of sending.
	para(16, "B", t("law.letter.heading"))
	pdf.Ln(1)
	para(10, "", t("law.letter.sent_on", "Date", date(v.SentOn)))
	para(10, "B", t("law.letter.reference", "Reference", v.Reference))
	heading(t("law.letter.from"))
	if c := v.Collector; c != nil {
		para(10, "B", strings.TrimSpace(c.Name+" "+c.LegalForm))
		block(c.Address, siren(t, c.SIREN), c.Registration, t("law.letter.insurance", "Insurance", c.Insurance), strings.Join(nonBlank(c.Phone, c.Email), " · "))
		para(10, "", t("law.letter.agency", "Collector", c.Name, "Creditor", v.Creditor.Name))
	} else {
		para(10, "", t("law.letter.in_house", "Creditor", v.Creditor.Name))
	}
	heading(t("law.letter.creditor"))
	para(10, "B", v.Creditor.Name)
	legal := ""
	if v.Creditor.LegalName != "" && v.Creditor.LegalName != v.Creditor.Name {
		legal = v.Creditor.LegalName
	}
	block(legal, v.Creditor.LegalID, v.Creditor.Address)
	pdf.Ln(3)
	para(10, "B", t("law.letter.to", "Name", v.DebtorName))
	pdf.Ln(2)
	para(10, "", t("law.letter.hello"))
	para(10, "", t("law.letter.intro", "Creditor", v.Creditor.Name))

	// The basis of the debt, invoice by invoice, each line with its basis.
	heading(t("law.letter.basis_heading"))
	para(10, "", t("law.letter.basis"))
	for _, inv := range v.Invoices {
		pdf.Ln(1)
		para(10, "B", t("law.letter.invoice", "Number", inv.Number, "Issued", date(inv.IssuedOn), "Due", date(inv.DueOn)))
		if inv.Details != "" {
			para(10, "", inv.Details)
		}
		for _, g := range inv.Groups {
			for _, l := range g.Lines {
				label := t("case.kind."+g.Kind) + " · " + l.Label
				if l.Basis != "" {
					label += " (" + t("law.basis."+g.Kind+"."+l.Basis) + ")"
				}
				row(label, money(l.Amount), false)
			}
		}
		row(t("case.invoice.total"), money(inv.Total), true)
	}

	// The breakdown: principal, interest and other sums, and what is not due.
	heading(t("law.letter.breakdown_heading"))
	row(t("law.letter.principal"), money(v.Principal), false)
	for _, c := range v.Charges {
		label := t("case.kind." + c.Kind)
		if c.Basis != "" {
			label = t("law.charge." + c.Kind + "." + c.Basis)
		}
		row(label, money(c.Amount), false)
	}
	row(t("law.letter.total"), money(v.Total), true)
	row(t("law.letter.paid"), money(v.Paid), false)
	row(t("law.letter.balance"), money(v.Balance), true)
	pdf.Ln(2)
	if v.Business {
		para(10, "", t("law.letter.not_due_business"))
	} else {
		para(10, "", t("law.letter.not_due_consumer"))
	}

	// The request to pay and the ways to.
	heading(t("law.letter.request_heading"))
	para(10, "", t("law.letter.request", "Balance", money(v.Balance)))
	heading(t("law.letter.ways_heading"))
	para(10, "", "- "+t("law.letter.way_online", "Site", v.Site))
	if v.Collector != nil && v.Collector.FundsAccount != "" {
		para(10, "", "- "+t("law.letter.way_transfer", "Account", v.Collector.FundsAccount, "Reference", v.Reference))
	}
	if v.OtherPayment != "" {
		para(10, "", "- "+t("law.letter.way_other"))
		para(10, "", v.OtherPayment)
	}

	// CPCE L111-8, paragraphs 2 and 3, in full (in French too when the
	// letter is in another language: the French text has legal force).
	heading(t("law.letter.law_heading"))
	para(10, "", t("law.letter.l111_8_p2"))
	pdf.Ln(1)
	para(10, "", t("law.letter.l111_8_p3"))
	if lang != "fr" {
		pdf.Ln(1)
		para(9, "B", t("law.letter.original_heading"))
		para(9, "I", t("law.letter.l111_8_original_p2"))
		pdf.Ln(1)
		para(9, "I", t("law.letter.l111_8_original_p3"))
	}

	heading(t("law.letter.help_heading"))
	para(10, "", t("law.letter.help"))
	heading(t("law.letter.contact_heading"))
	if c := v.Collector; c != nil {
		block(c.Name, c.Phone, c.Email)
	}
	block(v.Creditor.Name, v.Creditor.Phone, v.Creditor.Email, v.Creditor.Hours)
	pdf.Ln(2)
	para(9, "", t("law.letter.reference", "Reference", v.Reference)+" · "+t("law.letter.sent_on", "Date", date(v.SentOn)))

	if firstErr != nil {
		return nil, fmt.Errorf("letter pdf: %w", firstErr)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func siren(t func(string, ...any) string, s string) string {
	if s == "" {
		return ""
	}
	return t("law.collector.siren") + " " + s
}

func nonBlank(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}
