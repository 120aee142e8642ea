package portal_test

import (
	"errors"
	"testing"

	"github.com/reglo/reglo/portal"
)

// feeCase is a valid case of one invoice whose second line is extra.
func feeCase(debtorKind, currency string, extra ...portal.NewLine) portal.NewCase {
	lines := append([]portal.NewLine{{Label: "Travaux", AmountCents: 100000, Kind: portal.LinePrincipal}}, extra...)
	return portal.NewCase{
		Reference: "R-1", Currency: currency,
		Debtor:   portal.NewDebtor{Name: "Camille", Postcode: "75011", Kind: debtorKind},
		Invoices: []portal.NewInvoice{{Number: "F1", IssuedOn: "2026-01-01", DueOn: "2026-01-31", Lines: lines}},
	}
}

func TestCheckLinesFeeRule(t *testing.T) {
	indemnity := portal.NewLine{Label: "Indemnité", AmountCents: portal.RecoveryIndemnityCents, Kind: portal.LineFee, Basis: portal.BasisRecoveryIndemnity}
	tests := []struct {
		name      string
		in        portal.NewCase
		wantField string // "" when accepted
		wantCode  string
	}{
		{"consumer fee refused whatever its basis", feeCase("consumer", "EUR", indemnity), "invoices[0].lines[1].kind", "consumer_fee"},
		{"consumer contract fee refused", feeCase("consumer", "EUR", portal.NewLine{Label: "Frais", AmountCents: 500, Kind: portal.LineFee, Basis: portal.BasisContract}), "invoices[0].lines[1].kind", "consumer_fee"},
		{"default kind is consumer, so a fee is refused", feeCase("", "EUR", portal.NewLine{Label: "Frais", AmountCents: 500, Kind: portal.LineFee}), "invoices[0].lines[1].kind", "consumer_fee"},
		{"business indemnity of 40 EUR accepted", feeCase("business", "EUR", indemnity), "", ""},
		{"business contract sum accepted", feeCase("business", "EUR", portal.NewLine{Label: "Clause pénale", AmountCents: 15000, Kind: portal.LineFee, Basis: portal.BasisContract}), "", ""},
		{"business fee without basis refused", feeCase("business", "EUR", portal.NewLine{Label: "Frais", AmountCents: 4000, Kind: portal.LineFee}), "invoices[0].lines[1].basis", "fee_basis"},
		{"business fee of unknown basis refused", feeCase("business", "EUR", portal.NewLine{Label: "Frais", AmountCents: 4000, Kind: portal.LineFee, Basis: "agency"}), "invoices[0].lines[1].basis", "fee_basis"},
		{"indemnity other than 40 EUR refused", feeCase("business", "EUR", portal.NewLine{Label: "Indemnité", AmountCents: 5000, Kind: portal.LineFee, Basis: portal.BasisRecoveryIndemnity}), "invoices[0].lines[1].amount_cents", "indemnity_amount"},
		{"indemnity in another currency refused", feeCase("business", "GBP", indemnity), "invoices[0].lines[1].amount_cents", "indemnity_amount"},
		{"indemnity twice on one invoice refused", feeCase("business", "EUR", indemnity, indemnity), "invoices[0].lines[2].basis", "indemnity_twice"},
		{"consumer interest at the legal rate accepted", feeCase("consumer", "EUR", portal.NewLine{Label: "Intérêts", AmountCents: 300, Kind: portal.LineInterest, Basis: portal.BasisLegalRate}), "", ""},
		{"consumer interest by contract accepted", feeCase("consumer", "EUR", portal.NewLine{Label: "Intérêts", AmountCents: 300, Kind: portal.LineInterest, Basis: portal.BasisContract}), "", ""},
		{"consumer interest at the commercial rate refused", feeCase("consumer", "EUR", portal.NewLine{Label: "Intérêts", AmountCents: 300, Kind: portal.LineInterest, Basis: portal.BasisCommercialRate}), "invoices[0].lines[1].basis", "basis"},
		{"business interest at the commercial rate accepted", feeCase("business", "EUR", portal.NewLine{Label: "Pénalités", AmountCents: 300, Kind: portal.LineInterest, Basis: portal.BasisCommercialRate}), "", ""},
		{"principal with a basis refused", feeCase("consumer", "EUR", portal.NewLine{Label: "Travaux", AmountCents: 300, Kind: portal.LinePrincipal, Basis: portal.BasisContract}), "invoices[0].lines[1].basis", "basis"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate("EUR")
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var inv *portal.InvalidError
			if !errors.As(err, &inv) || inv.Field != tc.wantField || inv.Code != tc.wantCode {
				t.Fatalf("error %v, want field %s code %s", err, tc.wantField, tc.wantCode)
			}
		})
	}
}

func TestInterestBasisDefaultsToTheStatutoryRate(t *testing.T) {
	for kind, want := range map[string]string{"consumer": portal.BasisLegalRate, "business": portal.BasisCommercialRate} {
		in := feeCase(kind, "EUR", portal.NewLine{Label: "Intérêts", AmountCents: 300, Kind: portal.LineInterest})
		if err := in.Validate("EUR"); err != nil {
			t.Fatal(err)
		}
		if got := in.Invoices[0].Lines[1].Basis; got != want {
			t.Errorf("%s: basis %q, want %q", kind, got, want)
		}
	}
}
