package views

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func init() {
	areaSamples["case_paid"] = func() []any {
		return []any{
			PayResultView{Confirmed: true, Amount: eur(12345), Remaining: eur(0), ReceiptURL: "/case/receipts/1"},
			PayResultView{Confirmed: true, Amount: eur(5000), Remaining: eur(7345), ReceiptURL: "/case/receipts/1"},
			PayResultView{RefreshURL: "/case/paid?session_id=cs_1"},
		}
	}
	areaSamples["case_pay_problem"] = func() []any {
		var out []any
		for _, r := range PayProblemReasons {
			out = append(out, PayProblemView{Reason: r, Creditor: sampleContact()})
		}
		return out
	}
	areaSamples["case_receipt"] = func() []any {
		var out []any
		for _, p := range ReceiptPurposes {
			out = append(out, sampleReceipt(p))
		}
		return out
	}
}

func sampleReceipt(purpose string) ReceiptView {
	return ReceiptView{Number: "R-7-000012", Creditor: sampleContact(), Debtor: "Hélène Côté", Reference: "R-2026-001",
		PaidAt: time.Date(2026, 6, 4, 10, 0, 0, 0, time.UTC), Amount: eur(123450), Purpose: purpose, InstalmentSeq: 2, InstalmentCount: 6,
		Remaining: eur(50000), PDFURL: "/case/receipts/12/pdf"}
}

func TestReceiptPDF(t *testing.T) {
	for _, lang := range Languages {
		for _, p := range ReceiptPurposes {
			b, err := ReceiptPDF(sampleReceipt(p), lang)
			if err != nil {
				t.Fatalf("%s %s: %v", lang, p, err)
			}
			if !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 800 {
				t.Fatalf("%s %s: not a PDF (%d bytes)", lang, p, len(b))
			}
			if strings.Contains(string(b), "pay.receipt") {
				t.Fatalf("%s %s: untranslated key in the PDF", lang, p)
			}
		}
	}
}
