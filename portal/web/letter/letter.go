// Package letter writes a case's first letter (French CPCE R124-4) as a
// PDF from the case core's portal.FirstLetter, for every way it is read:
// the debtor's case page, the back office and the creditor API.
package letter

import (
	"net/url"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/views"
)

// PDF writes the letter in lang (the debtor's language unless asked
// otherwise). baseURL is the portal's public address, named as the place
// to pay online.
func PDF(l portal.FirstLetter, baseURL, lang string) ([]byte, error) {
	if lang == "" {
		lang = l.Detail.Case.DebtorLanguage
	}
	return views.LetterPDF(View(l, baseURL), lang)
}

// View is the letter's typed view.
func View(l portal.FirstLetter, baseURL string) views.LetterView {
	d := l.Detail
	cur := d.Case.Currency
	amount := func(c int64) views.Amount { return views.Amount{Cents: c, Currency: cur} }
	kinds := d.TotalsByKind()
	balance := d.Balance.Cents()
	if balance < 0 {
		balance = 0
	}
	site := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		site = u.Host
	}
	cr := d.Creditor
	v := views.LetterView{
		Creditor:   views.Contact{Name: cr.Name, LegalName: cr.LegalName, LegalID: cr.LegalID, Address: cr.Address, Phone: cr.ContactPhone, Email: cr.ContactEmail, Hours: cr.ContactHours},
		DebtorName: d.Case.DebtorName, Reference: d.Case.Reference, SentOn: l.Date,
		Principal: amount(kinds[portal.LinePrincipal]), Total: amount(d.Balance.TotalCents),
		Paid: amount(d.Balance.PaidCents - d.Balance.ReturnedCents), Balance: amount(balance),
		Business: d.Case.DebtorKind == "business", Site: site, OtherPayment: cr.OtherPayment,
	}
	if co := l.Collector; co.Agency() {
		v.Collector = &views.CollectorView{Name: co.Name, LegalForm: co.LegalForm, Address: co.Address, SIREN: co.SIREN,
			Registration: co.Registration, Insurance: co.Insurance, FundsAccount: co.FundsAccount, Email: co.Email, Phone: co.Phone}
	}
	v.Charges = Charges(d)
	v.Invoices = Invoices(d)
	return v
}

// Charges totals a case's interest and fee lines by basis, in the order of
// views.LineBases, so a breakdown names what each sum rests on. The case
// page and the letter both use it, so they always agree.
func Charges(d portal.CaseDetail) []views.ChargeView {
	var out []views.ChargeView
	for _, kind := range []string{portal.LineInterest, portal.LineFee} {
		for _, basis := range append(append([]string{}, views.LineBases[kind]...), "") {
			var sum int64
			for _, inv := range d.Invoices {
				for _, ln := range inv.Lines {
					if ln.Kind == kind && ln.Basis == basis {
						sum += ln.AmountCents
					}
				}
			}
			if sum != 0 {
				out = append(out, views.ChargeView{Kind: kind, Basis: basis, Amount: views.Amount{Cents: sum, Currency: d.Case.Currency}})
			}
		}
	}
	return out
}

// Invoices is the case's invoices with their lines grouped by kind, as the
// case page and the letter both show them.
func Invoices(d portal.CaseDetail) []views.InvoiceView {
	cur := d.Case.Currency
	amount := func(c int64) views.Amount { return views.Amount{Cents: c, Currency: cur} }
	var out []views.InvoiceView
	for _, inv := range d.Invoices {
		iv := views.InvoiceView{Number: inv.Number, IssuedOn: inv.IssuedOn.Time, DueOn: inv.DueOn.Time, Details: inv.Description}
		var total int64
		for _, kind := range views.LineKinds {
			g := views.LineGroup{Kind: kind}
			var sum int64
			for _, ln := range inv.Lines {
				if ln.Kind == kind {
					g.Lines = append(g.Lines, views.LineView{Label: ln.Label, Amount: amount(ln.AmountCents), Basis: ln.Basis})
					sum += ln.AmountCents
				}
			}
			if len(g.Lines) > 0 {
				g.Total = amount(sum)
				iv.Groups = append(iv.Groups, g)
			}
			total += sum
		}
		iv.Total = amount(total)
		out = append(out, iv)
	}
	return out
}
