package office_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/portal/storetest"
)

// TestCSVImportRefusesNULBytes imports cells holding a NUL byte, which
// PostgreSQL cannot store (and SQLite would keep, unreadable): each is a
// problem naming its row and column, and nothing is created, on both
// databases. A file that is not UTF-8 at all is refused as a whole
// ("encoding", TestCSVImportRejectsBadRowsAndCreatesNothing).
func TestCSVImportRefusesNULBytes(t *testing.T) {
	good := "R-1;Anne;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Loyer;principal;100,00\n"
	file := csvHeader + good +
		"R-2;Bob\x00;;;75002;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Loyer;principal;5\n" +
		"R-3;Carl;;;75003;fr;consumer;EUR;F1;2026-01-01;2026-01-31;Objet\x00;Loyer\x00;principal;5\n"
	type problem struct {
		row       int
		col, code string
	}
	want := []problem{{3, "debtor_name", "unstorable"}, {4, "invoice_description", "unstorable"}, {4, "line_label", "unstorable"}}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newWlEnv(t, store)
		rep, err := e.Office.ImportCSV(context.Background(), e.admin, e.credA.ID, strings.NewReader(file))
		if !errors.Is(err, office.ErrImportRejected) {
			t.Fatalf("err %v, want ErrImportRejected", err)
		}
		var got []problem
		for _, p := range rep.Problems {
			got = append(got, problem{p.Row, p.Column, p.Code})
		}
		if !slices.Equal(got, want) {
			t.Errorf("problems\n got %v\nwant %v", got, want)
		}
		var n int64
		store.DB.Model(&portal.Case{}).Count(&n)
		if n != 0 {
			t.Errorf("%d cases created from a rejected file", n)
		}
	})
}
