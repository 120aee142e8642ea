package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/storetest"
)

// TestFormAmountSpacesOnlyGroupThousands types amounts with spaces into a
// debtor's form: a space (plain, non-breaking or narrow non-breaking) is
// read only between groups of three digits; anywhere else the page comes
// back with the amount's error, status 422, and nothing is recorded.
func TestFormAmountSpacesOnlyGroupThousands(t *testing.T) {
	bad := []string{"1 0 0", "12 34", "1\u00a00\u00a00", "12\u202f34", "1 2,50", "100 0"}
	good := map[string]int64{"1 000": 100000, "1\u00a0000,50": 100050, "1\u202f234,56": 123456, " 1 200 ": 120000}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f, b := choiceSignedIn(t, store)
		day := f.choiceToday().AddDate(0, 0, 5).Format("2006-01-02")
		for _, amount := range bad {
			b.get("/case/promise")
			r := b.post("/case/promise", url.Values{"date": {day}, "amount": {amount}})
			wantPageStatus(t, fmt.Sprintf("amount %q", amount), r, http.StatusUnprocessableEntity)
			pageHas(t, fmt.Sprintf("amount %q", amount), r.body, "Écrivez un montant comme 120 ou 120,50.")
		}
		if n := f.choiceCount(&choices.Promise{}); n != 0 {
			t.Fatalf("%d promises recorded from amounts with spaces inside a number", n)
		}
		for amount, cents := range good {
			b.get("/case/promise")
			r := b.post("/case/promise", url.Values{"date": {day}, "amount": {amount}})
			wantPageStatus(t, fmt.Sprintf("amount %q", amount), r, http.StatusSeeOther)
			var p choices.Promise
			if err := store.DB.Where("case_id = ?", f.caseID).Order("id DESC").Take(&p).Error; err != nil {
				t.Fatal(err)
			}
			if p.AmountCents != cents {
				t.Errorf("amount %q recorded as %d cents, want %d", amount, p.AmountCents, cents)
			}
		}
	})
}

// TestCSVImportAmountSpacesOnlyGroupThousands imports amounts with spaces:
// thousands groups are read ("12 345" is 12345), a space inside a number
// rejects the file with the row and the amount column named, and nothing
// is created.
func TestCSVImportAmountSpacesOnlyGroupThousands(t *testing.T) {
	row := func(ref, amount string) string {
		return ref + ";Anne;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Rent;principal;" + amount + "\r\n"
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAdmEnv(t, store)
		admin := e.signIn("admin@example.org")
		path := fmt.Sprintf("/admin/creditors/%d/import", e.credA.ID)
		for _, amount := range []string{"1 0 0", "12 34", "1\u00a00\u00a00", "12\u202f34,50"} {
			admin.get(path)
			r := admUpload(admin, path, "cases.csv", []byte(admCSVHeader+row("R-1", "10,00")+row("R-2", amount)))
			wantPageStatus(t, fmt.Sprintf("amount %q", amount), r, http.StatusUnprocessableEntity)
			pageHas(t, fmt.Sprintf("amount %q", amount), r.body, "Nothing was imported", "<td>3</td><td><code>amount</code></td>")
			var n int64
			store.DB.Model(&portal.Case{}).Count(&n)
			if n != 0 {
				t.Fatalf("amount %q: %d cases created", amount, n)
			}
		}
		admin.get(path)
		file := admCSVHeader + row("R-1", "12 345") + row("R-2", "1\u00a0234,56") + row("R-3", "1\u202f000\u202f000")
		r := admUpload(admin, path, "cases.csv", []byte(file))
		wantPageStatus(t, "thousands groups", r, http.StatusOK)
		for ref, cents := range map[string]int64{"R-1": 1234500, "R-2": 123456, "R-3": 100000000} {
			var c portal.Case
			if err := store.DB.Where("creditor_id = ? AND reference = ?", e.credA.ID, ref).Take(&c).Error; err != nil {
				t.Fatalf("%s: %v", ref, err)
			}
			d, _ := e.Core.CaseDetail(context.Background(), c.ID)
			if d.Balance.Cents() != cents {
				t.Errorf("%s: balance %d, want %d", ref, d.Balance.Cents(), cents)
			}
		}
	})
}
