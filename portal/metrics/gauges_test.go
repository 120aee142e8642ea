package metrics_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/metrics"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

// gauge is the value of a gauge (with the label value, if any).
func gauge(t *testing.T, m *metrics.Metrics, name, label string) (float64, bool) {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, mt := range f.GetMetric() {
			if label == "" || (len(mt.GetLabel()) > 0 && mt.GetLabel()[0].GetValue() == label) {
				return mt.GetGauge().GetValue(), true
			}
		}
	}
	return 0, false
}

// The scrape-time gauges read what waits in the database, on both
// dialects: due and claimed instalments, the oldest due one's lag, and
// unresolved unmatched money by currency.
func TestGaugesReadTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		k := testkit.New(t, store, testkit.Options{})
		cr, _ := k.Creditor("Énergie Claire", nil)
		cs := k.Case(cr, "R-1", 40000)
		db := store.DB
		plan := portal.Plan{CaseID: cs.ID, Status: portal.PlanStatusActive, Frequency: "monthly", InstalmentCount: 4, TotalCents: 40000}
		if err := db.Create(&plan).Error; err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		day := func(d int) portal.Date {
			return portal.Date{Time: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)}
		}
		past := now.Add(-time.Hour)
		ins := []portal.Instalment{
			{PlanID: plan.ID, CaseID: cs.ID, Seq: 1, DueOn: day(-3), AmountCents: 10000, Status: portal.InstalmentScheduled},
			{PlanID: plan.ID, CaseID: cs.ID, Seq: 2, DueOn: day(-1), AmountCents: 10000, Status: portal.InstalmentFailed, NextAttemptAt: &past},
			{PlanID: plan.ID, CaseID: cs.ID, Seq: 3, DueOn: day(-1), AmountCents: 10000, Status: portal.InstalmentProcessing},
			{PlanID: plan.ID, CaseID: cs.ID, Seq: 4, DueOn: day(20), AmountCents: 10000, Status: portal.InstalmentScheduled},
		}
		if err := db.Create(&ins).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Model(&portal.Instalment{}).Where("id = ?", ins[2].ID).Update("claimed_until", now.Add(5*time.Minute)).Error; err != nil {
			t.Fatal(err)
		}
		resolved := now
		for _, u := range []portal.UnmatchedMoney{
			{MoneyKey: "a", CaseID: &cs.ID, Reason: portal.UnmatchedUnknownPayment, AmountCents: 5000, Currency: "EUR"},
			{MoneyKey: "b", Reason: "no_case", AmountCents: 700, Currency: "EUR"},
			{MoneyKey: "c", Reason: "currency", AmountCents: 900, Currency: "USD", ResolvedAt: &resolved},
		} {
			if err := db.Create(&u).Error; err != nil {
				t.Fatal(err)
			}
		}
		sqlDB, err := db.DB()
		if err != nil {
			t.Fatal(err)
		}
		m := metrics.New(sqlDB, store.Dialect == migrations.Postgres, slog.New(slog.NewTextHandler(io.Discard, nil)))
		for _, c := range []struct {
			name, label string
			want        float64
		}{
			{"reglo_instalments_due", "", 2},
			{"reglo_instalments_claimed", "", 1},
			{"reglo_unmatched_money_open", "EUR", 2},
			{"reglo_unmatched_money_open_cents", "EUR", 5700},
		} {
			if got, ok := gauge(t, m, c.name, c.label); !ok || got != c.want {
				t.Errorf("%s{%s} = %v (found %v), want %v", c.name, c.label, got, ok, c.want)
			}
		}
		if _, ok := gauge(t, m, "reglo_unmatched_money_open", "USD"); ok {
			t.Error("resolved money is counted as open")
		}
		lag, ok := gauge(t, m, "reglo_instalments_due_lag_seconds", "")
		if !ok || lag < 2.9*86400 || lag > 4*86400 {
			t.Errorf("lag = %v s, want about three days", lag)
		}
	})
}
