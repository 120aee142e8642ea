package office_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/portal/storetest"
)

const csvBasisHeader = "reference;debtor_name;debtor_postcode;debtor_kind;invoice_number;issued_on;due_on;line_label;line_kind;line_basis;amount\n"

// The CSV import applies the case core's fee rule (portal.CheckLines) and
// reports the row and column of a refused line.
func TestCSVImportFeeRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newWlEnv(t, store)
		ctx := context.Background()
		tests := []struct {
			name     string
			rows     string
			wantRow  int
			wantCol  string
			wantCode string
		}{
			{"fee on a consumer case", "C-1;Anne;75001;consumer;F1;2026-01-01;2026-01-31;Loyer;principal;;100\nC-1;Anne;75001;consumer;F1;2026-01-01;2026-01-31;Frais;fee;contract;10\n", 3, "line_kind", "consumer_fee"},
			{"business fee without basis", "B-1;SARL;75001;business;F1;2026-01-01;2026-01-31;Travaux;principal;;100\nB-1;SARL;75001;business;F1;2026-01-01;2026-01-31;Frais;fee;;40\n", 3, "line_basis", "fee_basis"},
			{"indemnity not 40 EUR", "B-2;SARL;75001;business;F1;2026-01-01;2026-01-31;Travaux;principal;;100\nB-2;SARL;75001;business;F1;2026-01-01;2026-01-31;Indemnité;fee;recovery_indemnity;45\n", 3, "amount", "indemnity_amount"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rep, err := e.Office.ImportCSV(ctx, e.admin, e.credA.ID, strings.NewReader(csvBasisHeader+tc.rows))
				if !errors.Is(err, office.ErrImportRejected) || len(rep.Problems) != 1 {
					t.Fatalf("%v %+v", err, rep.Problems)
				}
				if p := rep.Problems[0]; p.Row != tc.wantRow || p.Column != tc.wantCol || p.Code != tc.wantCode {
					t.Errorf("problem %+v, want row %d column %s code %s", p, tc.wantRow, tc.wantCol, tc.wantCode)
				}
			})
		}
		ok := csvBasisHeader +
			"B-3;SARL;75001;business;F1;2026-01-01;2026-01-31;Travaux;principal;;100\n" +
			"B-3;SARL;75001;business;F1;2026-01-01;2026-01-31;Indemnité L441-10;fee;recovery_indemnity;40\n" +
			"B-3;SARL;75001;business;F1;2026-01-01;2026-01-31;Pénalités;interest;;3,50\n"
		if rep, err := e.Office.ImportCSV(ctx, e.admin, e.credA.ID, strings.NewReader(ok)); err != nil {
			t.Fatalf("good file refused: %v %+v", err, rep.Problems)
		}
		var lines []portal.InvoiceLine
		store.DB.Order("position").Find(&lines)
		if len(lines) != 3 || lines[1].Basis != portal.BasisRecoveryIndemnity || lines[2].Basis != portal.BasisCommercialRate {
			t.Errorf("stored lines %+v", lines)
		}
	})
}
