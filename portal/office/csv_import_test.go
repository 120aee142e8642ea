package office_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/portal/storetest"
)

const csvHeader = "reference;debtor_name;debtor_email;debtor_phone;debtor_postcode;debtor_language;debtor_kind;currency;invoice_number;issued_on;due_on;invoice_description;line_label;line_kind;amount\n"

func TestCSVImportGoodFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newWlEnv(t, store)
		ctx := context.Background()
		file := "\xef\xbb\xbf" + csvHeader +
			"A-1;Hélène Côté;h@example.org;06 12 34 56 78;75011;fr;consumer;EUR;F1;2026-01-05;05/02/2026;Travaux;Main d'œuvre;principal;1234,56\n" +
			"A-1;Hélène Côté;h@example.org;06 12 34 56 78;75011;fr;consumer;EUR;F1;2026-01-05;05/02/2026;Travaux;Intérêts;interest;0,44\n" +
			"A-1;Hélène Côté;h@example.org;06 12 34 56 78;75011;fr;consumer;EUR;F2;2026-03-01;2026-03-31;;Loyer;principal;10\n" +
			"\n" +
			"B-2;Bob Smith;;;SW1A 1AA;en;business;;G7;1/4/2026;30/04/2026;;Goods;;\"1 000,5\"\n"
		rep, err := e.Office.ImportCSV(ctx, e.admin, e.credA.ID, strings.NewReader(file))
		if err != nil {
			t.Fatalf("import: %v, problems %+v", err, rep.Problems)
		}
		if rep.Rows != 4 || rep.Cases != 2 || rep.Invoices != 3 || rep.Lines != 4 || rep.Delimiter != ";" {
			t.Errorf("report %+v", rep)
		}
		want := map[string]int64{"A-1": 124500, "B-2": 100050}
		hits, err := e.Office.SearchCases(ctx, e.admin, "hélène")
		if err != nil || len(hits) != 1 {
			t.Fatalf("the imported case is not searchable: %v %d", err, len(hits))
		}
		for ref, cents := range want {
			var c portal.Case
			if err := store.DB.Where("creditor_id = ? AND reference = ?", e.credA.ID, ref).Take(&c).Error; err != nil {
				t.Fatalf("%s: %v", ref, err)
			}
			d, err := e.Core.CaseDetail(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d.Balance.Cents() != cents {
				t.Errorf("%s: balance %d, want %d", ref, d.Balance.Cents(), cents)
			}
			if ref == "B-2" && (d.Case.DebtorLanguage != "en" || d.Case.DebtorKind != "business" || d.Invoices[0].DueOn.String() != "2026-04-30" || d.Invoices[0].Lines[0].Kind != portal.LinePrincipal) {
				t.Errorf("B-2 read as %+v %+v", d.Case, d.Invoices)
			}
		}
		var n int64
		store.DB.Model(&office.AuditEvent{}).Where("creditor_id = ? AND kind = ?", e.credA.ID, "cases_imported").Count(&n)
		if n != 1 {
			t.Errorf("%d audit events for the import", n)
		}
		// The same file again: every reference exists already.
		rep, err = e.Office.ImportCSV(ctx, e.admin, e.credA.ID, strings.NewReader(file))
		if !errors.Is(err, office.ErrImportRejected) || len(rep.Problems) != 2 || rep.Problems[0].Code != "reference_exists" {
			t.Errorf("second import: %v %+v", err, rep.Problems)
		}
	})
}

func TestCSVImportCommaSeparated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newWlEnv(t, store)
		file := "Reference,Debtor_Name,debtor_postcode,invoice_number,issued_on,due_on,line_label,amount\r\n" +
			"C-1,Anne,75001,F1,2026-01-01,2026-01-31,Loyer,\"1 234,56\"\r\nC-1,Anne,75001,F1,2026-01-01,2026-01-31,Charges,12.5\r\n"
		rep, err := e.Office.ImportCSV(context.Background(), e.admin, e.credA.ID, strings.NewReader(file))
		if err != nil || rep.Cases != 1 || rep.Lines != 2 || rep.Delimiter != "," {
			t.Fatalf("%v %+v", err, rep)
		}
	})
}

func TestCSVImportRejectsBadRowsAndCreatesNothing(t *testing.T) {
	good := "R-1;Anne;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Loyer;principal;100,00\n"
	type problem struct {
		row       int
		col, code string
	}
	tests := []struct {
		name string
		file string
		want []problem
	}{
		{"bad amount, date, email and kind are each reported",
			csvHeader + good + "R-2;Bob;bob@;;75002;fr;consumer;EUR;F1;31/02/2026;2026-01-31;;Loyer;rent;12,345\n",
			[]problem{{3, "debtor_email", "email"}, {3, "issued_on", "date"}, {3, "line_kind", "line_kind"}, {3, "amount", "amount"}}},
		{"every bad row is listed",
			csvHeader + good + "R-2;;;;75002;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Loyer;principal;-5\nR-3;Carl;;;;de;person;XYZ;F1;2026-01-01;2025-12-31;;;principal;5\n",
			[]problem{{3, "debtor_name", "required"}, {3, "amount", "amount"}, {4, "debtor_postcode", "required"}, {4, "debtor_language", "language"},
				{4, "debtor_kind", "kind"}, {4, "currency", "currency"}, {4, "due_on", "date_order"}, {4, "line_label", "required"}}},
		{"a reference that comes back after another case is a duplicate",
			csvHeader + good + strings.Replace(good, "R-1", "R-2", 1) + good,
			[]problem{{4, "reference", "duplicate_reference"}}},
		{"rows of one case must agree on the debtor",
			csvHeader + good + strings.Replace(good, "75001", "75009", 1),
			[]problem{{3, "debtor_postcode", "mismatch"}}},
		{"lines of one invoice must agree on its dates",
			csvHeader + good + strings.Replace(good, "2026-01-31", "2026-02-28", 1),
			[]problem{{3, "invoice_number", "invoice_mismatch"}}},
		{"a row with too few fields",
			csvHeader + good + "R-2;Bob;;\n",
			[]problem{{3, "", "field_count"}}},
		{"a missing column",
			"reference;debtor_name;amount\nR-1;Anne;1\n",
			[]problem{{1, "debtor_postcode", "header_missing"}, {1, "invoice_number", "header_missing"}, {1, "issued_on", "header_missing"}, {1, "due_on", "header_missing"}, {1, "line_label", "header_missing"}}},
		{"an unknown column", strings.Replace(csvHeader, "amount", "amount;colour", 1) + strings.TrimSuffix(good, "\n") + ";red\n",
			[]problem{{1, "colour", "header_unknown"}}},
		{"not UTF-8", csvHeader + "R-1;H\xe9l\xe8ne;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Loyer;principal;1\n",
			[]problem{{0, "", "encoding"}}},
		{"a header and nothing else", csvHeader, []problem{{0, "", "empty"}}},
		{"a broken quote", csvHeader + good + "R-2;\"Bob;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Loyer;principal;1\n",
			[]problem{{3, "", "syntax"}}},
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newWlEnv(t, store)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rep, err := e.Office.ImportCSV(context.Background(), e.admin, e.credA.ID, strings.NewReader(tc.file))
				if !errors.Is(err, office.ErrImportRejected) {
					t.Fatalf("err %v, want ErrImportRejected", err)
				}
				var got []problem
				for _, p := range rep.Problems {
					got = append(got, problem{p.Row, p.Column, p.Code})
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("problems\n got %v\nwant %v", got, tc.want)
				}
				var n int64
				store.DB.Model(&portal.Case{}).Count(&n)
				if n != 0 {
					t.Errorf("%d cases created from a rejected file", n)
				}
			})
		}
	})
}

func TestCSVImportRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newWlEnv(t, store)
		file := csvHeader + "R-1;Anne;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Loyer;principal;100,00\n"
		if _, err := e.Office.ImportCSV(context.Background(), e.agent, e.credA.ID, strings.NewReader(file)); !errors.Is(err, portal.ErrForbidden) {
			t.Errorf("agent: %v", err)
		}
		if _, err := e.Office.ImportCSV(context.Background(), e.adminA, e.credB.ID, strings.NewReader(file)); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("admin of another creditor: %v", err)
		}
	})
}

// csvFile100k is an import file of n lines: cases of two invoices of two
// lines each.
func csvFile100k(n int) string {
	var b strings.Builder
	b.WriteString(csvHeader)
	for i := range n {
		c, inv := i/4, (i/2)%2
		fmt.Fprintf(&b, "BENCH-%07d;Débiteur %d;d%d@example.org;06 12 34 56 78;75011;fr;consumer;EUR;F%d;2026-01-01;31/01/2026;Facture;Ligne %d;principal;%d,%02d\n",
			c, c, c, inv, i, 100+i%900, i%100)
	}
	return b.String()
}

// BenchmarkCSVImport100k imports 100,000 lines (25,000 cases) in one file.
// Run: go test ./portal/office -run '^$' -bench CSVImport100k -benchtime 1x
// (with TEST_DATABASE_URL for PostgreSQL).
func BenchmarkCSVImport100k(b *testing.B) {
	file := csvFile100k(100_000)
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				e := newWlEnv(b, storetest.Open(b, d))
				b.StartTimer()
				start := time.Now()
				rep, err := e.Office.ImportCSV(context.Background(), e.admin, e.credA.ID, strings.NewReader(file))
				if err != nil {
					b.Fatalf("%v %+v", err, rep.Problems[:min(5, len(rep.Problems))])
				}
				b.ReportMetric(time.Since(start).Seconds(), "s/import")
				if rep.Lines != 100_000 {
					b.Fatalf("%d lines", rep.Lines)
				}
				if os.Getenv("REGLO_BENCH_VERBOSE") != "" {
					b.Logf("%s: %d rows, %d cases in %s", d, rep.Rows, rep.Cases, rep.Elapsed)
				}
			}
		})
	}
}
