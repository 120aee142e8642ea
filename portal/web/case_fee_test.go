package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// The case page's breakdown and banner agree with the lines: a consumer
// is told no collection fee is charged and sees none; a business sees the
// L441-10 indemnity and interest named for what they rest on, and the
// statement of what the law allows between professionals.
func TestCasePageBreakdownNamesEachSum(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		b.signIn(f.token)
		r := b.get("/case")
		wantPageStatus(t, "consumer case", r, http.StatusOK)
		pageHas(t, "consumer case", r.body, "Intérêts de retard au taux légal", "(au taux d'intérêt légal)", "Vous ne payez aucuns frais de recouvrement")
		pageLacks(t, "consumer case", r.body, "<dt>Frais</dt>", "Indemnité forfaitaire", "Entre professionnels")

		d, err := f.Core.CreateCase(context.Background(), f.creditor, portal.NewCase{
			Reference: "B2B-1", Currency: "EUR",
			Debtor: portal.NewDebtor{Name: "Bâtiments Roux SAS", Postcode: debtorPostcode, Language: "fr", Kind: "business"},
			Invoices: []portal.NewInvoice{{Number: "F-9", IssuedOn: "2026-01-01", DueOn: "2026-01-31", Lines: []portal.NewLine{
				{Label: "Charpente", AmountCents: 500000, Kind: portal.LinePrincipal},
				{Label: "Pénalités de retard", AmountCents: 2500, Kind: portal.LineInterest},
				{Label: "Indemnité de recouvrement", AmountCents: 4000, Kind: portal.LineFee, Basis: portal.BasisRecoveryIndemnity},
				{Label: "Clause pénale", AmountCents: 10000, Kind: portal.LineFee, Basis: portal.BasisContract},
			}}},
		}, portal.CreditorActor(f.creditor.ID))
		if err != nil {
			t.Fatal(err)
		}
		biz := f.visitor()
		biz.signIn(f.newLink(d.Case.ID, 0))
		r = biz.get("/case")
		wantPageStatus(t, "business case", r, http.StatusOK)
		pageHas(t, "business case", r.body,
			"Intérêts de retard (article L441-10 du code de commerce)", "25,00\u00a0€",
			"Indemnité forfaitaire de recouvrement (40\u00a0€ par facture, article L441-10 du code de commerce)", "40,00\u00a0€",
			"Sommes prévues par le contrat", "100,00\u00a0€", "(somme prévue par le contrat)",
			"Entre professionnels, la loi permet d'ajouter seulement")
		pageLacks(t, "business case", r.body, "Vous ne payez aucuns frais de recouvrement")
	})
}
