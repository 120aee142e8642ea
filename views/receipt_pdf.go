package views

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"
)

var (
	pdfCatalogues     map[string]*catalogue
	pdfCataloguesErr  error
	pdfCataloguesOnce sync.Once
)

// ReceiptPDF renders a payment receipt as a one-page A4 PDF in lang, with
// the same wording as the receipt page.
func ReceiptPDF(r ReceiptView, lang string) ([]byte, error) {
	pdfCataloguesOnce.Do(func() { pdfCatalogues, pdfCataloguesErr = loadCatalogues() })
	if pdfCataloguesErr != nil {
		return nil, pdfCataloguesErr
	}
	cat, ok := pdfCatalogues[lang]
	if !ok {
		cat = pdfCatalogues[DefaultLanguage]
		lang = DefaultLanguage
	}
	var firstErr error
	t := func(id string, kv ...any) string {
		m, err := pairs(kv)
		if err == nil {
			var s string
			if s, err = cat.translate(id, nil, m); err == nil {
				return s
			}
		}
		if firstErr == nil {
			firstErr = err
		}
		return id
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	// The core fonts are cp1252; the translator maps accents and the euro
	// sign. Narrow no-break spaces (French digit groups) become spaces.
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	enc := func(s string) string {
		return tr(strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s))
	}
	pdf.SetTitle(t("pay.receipt.title", "Number", r.Number), true)
	pdf.SetAuthor(r.Creditor.LegalName, true)
	pdf.AddPage()
	pdf.SetMargins(20, 20, 20)
	pdf.SetFont("Helvetica", "B", 18)
	pdf.CellFormat(0, 10, enc(t("pay.receipt.heading_pdf")), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(0, 7, enc(t("pay.receipt.title", "Number", r.Number)), "", 1, "L", false, 0, "")
	pdf.Ln(4)
	creditor := r.Creditor.LegalName
	if creditor == "" {
		creditor = r.Creditor.Name
	}
	pdf.SetFont("Helvetica", "B", 11)
	pdf.MultiCell(0, 6, enc(creditor), "", "L", false)
	pdf.SetFont("Helvetica", "", 10)
	if r.Creditor.LegalID != "" {
		pdf.MultiCell(0, 5, enc(r.Creditor.LegalID), "", "L", false)
	}
	if r.Creditor.Address != "" {
		pdf.MultiCell(0, 5, enc(r.Creditor.Address), "", "L", false)
	}
	if c := r.Collector; c != nil {
		pdf.Ln(2)
		pdf.MultiCell(0, 5, enc(t("law.collector.footer", "Collector", c.Name, "LegalForm", c.LegalForm, "SIREN", c.SIREN)), "", "L", false)
	}
	pdf.Ln(6)
	purpose := t("pay.receipt.purpose." + r.Purpose)
	if r.Purpose == "instalment" {
		purpose = t("pay.receipt.purpose.instalment", "Seq", r.InstalmentSeq, "Count", r.InstalmentCount)
	}
	rows := [][2]string{
		{t("pay.receipt.creditor"), creditor},
		{t("pay.receipt.debtor"), r.Debtor},
		{t("pay.receipt.reference"), r.Reference},
		{t("pay.receipt.date"), FormatDate(r.PaidAt, lang)},
		{t("pay.receipt.for"), purpose},
		{t("pay.receipt.amount"), Money(r.Amount.Cents, r.Amount.Currency, lang)},
		{t("pay.receipt.remaining"), Money(r.Remaining.Cents, r.Remaining.Currency, lang)},
	}
	for i, row := range rows {
		style := ""
		if i == 5 {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 11)
		pdf.CellFormat(70, 8, enc(row[0]), "B", 0, "L", false, 0, "")
		pdf.CellFormat(0, 8, enc(row[1]), "B", 1, "R", false, 0, "")
	}
	pdf.Ln(8)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5, enc(t("pay.receipt.keep")), "", "L", false)
	if firstErr != nil {
		return nil, fmt.Errorf("receipt pdf: %w", firstErr)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
