package office_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// BenchmarkWorklist100k asks for the worklist of an admin over 100,000
// cases, 1% of them with a plan request, 1% with a locked link, 0.5%
// with a failed instalment and 0.2% overpaid.
// Run: go test ./portal/office -run '^$' -bench Worklist100k -benchtime 10x
// (with TEST_DATABASE_URL for PostgreSQL).
func BenchmarkWorklist100k(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			store := storetest.Open(b, d)
			e := newWlEnv(b, store)
			ctx := context.Background()
			var f strings.Builder
			f.WriteString(csvHeader)
			for i := range 100_000 {
				fmt.Fprintf(&f, "W-%06d;Débiteur %d;;;75011;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Ligne;principal;%d,00\n", i, i, 10+i%5000)
			}
			if _, err := e.Office.ImportCSV(ctx, e.admin, e.credA.ID, strings.NewReader(f.String())); err != nil {
				b.Fatal(err)
			}
			var ids []int64
			store.DB.Model(&portal.Case{}).Order("id").Pluck("id", &ids)
			now := time.Now().UTC()
			var ps []portal.Plan
			var ls []portal.Link
			var pays []portal.Payment
			for i, id := range ids {
				if i%100 == 0 {
					ps = append(ps, portal.Plan{CaseID: id, Status: portal.PlanStatusRequested, Frequency: "monthly", InstalmentCount: 30, TotalCents: 1, CreatedAt: now, UpdatedAt: now})
				}
				if i%100 == 1 {
					ls = append(ls, portal.Link{CaseID: id, TokenHash: fmt.Sprintf("h%d", id), Channel: "copy", Purpose: "case", ExpiresAt: now.Add(time.Hour), LockedAt: &now, CreatedAt: now})
				}
				if i%500 == 2 {
					pays = append(pays, portal.Payment{CaseID: id, Kind: portal.PaymentCard, AmountCents: 10_000_000, Currency: "EUR", StripeObjectID: fmt.Sprintf("o%d", id), CreatedAt: now, UpdatedAt: now})
				}
			}
			for _, v := range []any{&ps, &ls, &pays} {
				if err := store.DB.CreateInBatches(v, 500).Error; err != nil {
					b.Fatal(err)
				}
			}
			var active []portal.Plan
			var ins []portal.Instalment
			for i, id := range ids {
				if i%200 == 3 {
					active = append(active, portal.Plan{CaseID: id, Status: portal.PlanStatusActive, Frequency: "monthly", InstalmentCount: 1, TotalCents: 1, CreatedAt: now, UpdatedAt: now})
				}
			}
			if err := store.DB.CreateInBatches(&active, 500).Error; err != nil {
				b.Fatal(err)
			}
			for _, p := range active {
				ins = append(ins, portal.Instalment{PlanID: p.ID, CaseID: p.CaseID, Seq: 1, DueOn: portal.DateOf(now), AmountCents: 1, Status: portal.InstalmentFailed, UpdatedAt: now})
			}
			if err := store.DB.CreateInBatches(&ins, 500).Error; err != nil {
				b.Fatal(err)
			}
			if d == "postgres" {
				store.DB.Exec("ANALYZE")
			}
			b.ResetTimer()
			var n int
			for range b.N {
				items, err := e.Office.Worklist(ctx, e.adminA)
				if err != nil {
					b.Fatal(err)
				}
				n = len(items)
			}
			b.ReportMetric(float64(n), "items")
		})
	}
}
