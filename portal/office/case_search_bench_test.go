package office_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

// benchCases is how many cases BenchmarkSearch searches, the issue's
// "100,000 cases in PostgreSQL".
const benchCases = 100_000

// BenchmarkSearch seeds 100,000 cases into a fresh PostgreSQL database
// and measures the agent's search box on the queries typed during a call,
// after logging the query plan of a typical one and checking it uses the
// trigram index. Run it with
//
//	TEST_DATABASE_URL=postgres://... go test -run '^$' -bench BenchmarkSearch -benchtime 20x ./portal/office/
func BenchmarkSearch(b *testing.B) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		b.Skip("TEST_DATABASE_URL is not set: the search benchmark needs PostgreSQL")
	}
	ctx := context.Background()
	store := storetest.Open(b, "postgres")
	k := testkit.New(b, store, testkit.Options{})
	cr, _ := k.Creditor("Énergie Claire", nil)
	u := k.User("agent@reglo.example", portal.RoleAgent, nil)
	start := time.Now()
	seedSearchCases(b, store.DB, cr.ID)
	if err := store.DB.Exec("ANALYZE cases").Error; err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d cases in %s", benchCases, time.Since(start).Round(time.Millisecond))

	// The plan of a typical query: part of a name, typed without accents,
	// written as SearchCases writes it.
	const typical = "heloise marc"
	sql := store.DB.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var cs []portal.Case
		return tx.Model(&portal.Case{}).Scopes(portal.CaseScope(u)).
			Where(`cases.search_text LIKE ? ESCAPE '\'`, "%"+portal.FoldText(typical)+"%").
			Order(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN lower(cases.reference) = lower(?) THEN 0 ELSE 1 END, cases.created_at DESC, cases.id DESC", Vars: []any{typical}, WithoutParentheses: true}}).
			Limit(office.SearchLimit).Find(&cs)
	})
	var plan []string
	if err := store.DB.Raw("EXPLAIN (ANALYZE, BUFFERS) " + sql).Scan(&plan).Error; err != nil {
		b.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	b.Logf("EXPLAIN ANALYZE of the search for %q:\n%s\n%s", typical, sql, text)
	if !strings.Contains(text, "cases_search_trgm_idx") {
		b.Errorf("the search does not use the trigram index:\n%s", text)
	}
	if m := regexp.MustCompile(`Execution Time: ([0-9.]+) ms`).FindStringSubmatch(text); m != nil {
		b.Logf("plan execution time: %s ms", m[1])
	}

	queries := []struct{ name, q string }{
		{"reference", "NRG-2026-042137"},
		{"partial reference", "2026-04213"},
		{"name", typical},
		{"accented name", "Hélène Lefèv"},
		{"email", "4213@example"},
		{"phone", "06 12 04"},
		{"postcode", "69003"},
	}
	for _, q := range queries {
		hits, err := k.Office.SearchCases(ctx, u, q.q)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%-17s %q: %d hits", q.name, q.q, len(hits))
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := k.Office.SearchCases(ctx, u, q.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// seedSearchCases inserts benchCases cases with varied French names,
// emails, phones and postcodes, in batches (BeforeCreate fills
// search_text for each).
func seedSearchCases(b *testing.B, db *gorm.DB, creditorID int64) {
	b.Helper()
	first := []string{"Hélène", "Héloïse", "François", "Zoé", "Noël", "Jérôme", "Camille", "Léa", "Gaël", "Inès", "Martin", "Chloé", "Théo", "Maëlle", "Loïc", "Anaïs"}
	last := []string{"Lefèvre", "Dubois", "Marchand", "Côté", "Moreau", "Girard", "Bérénger", "Fontaine", "Rousseau", "Mercier", "Lemaître", "Faure", "André", "Müller", "Nguyen", "Da Silva"}
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Now().UTC()
	const batch = 2000
	cs := make([]portal.Case, 0, batch)
	for i := range benchCases {
		f, l := first[rng.IntN(len(first))], last[rng.IntN(len(last))]
		cs = append(cs, portal.Case{
			CreditorID:     creditorID,
			Reference:      fmt.Sprintf("NRG-2026-%06d", i),
			DebtorName:     f + " " + l,
			DebtorEmail:    strings.ToLower(portal.FoldText(f)+"."+strings.ReplaceAll(portal.FoldText(l), " ", "")) + fmt.Sprint(i) + "@example.org",
			DebtorPhone:    fmt.Sprintf("+33 6 %02d %02d %02d %02d", rng.IntN(100), rng.IntN(100), rng.IntN(100), rng.IntN(100)),
			DebtorPostcode: fmt.Sprintf("%02d%03d", 1+rng.IntN(95), rng.IntN(1000)),
			DebtorLanguage: "fr", DebtorKind: "consumer", Currency: "EUR", Status: "open",
			CreatedAt: now.Add(-time.Duration(benchCases-i) * time.Minute), UpdatedAt: now,
		})
		if len(cs) == batch {
			if err := db.CreateInBatches(cs, 500).Error; err != nil {
				b.Fatal(err)
			}
			cs = cs[:0]
		}
	}
	if len(cs) > 0 {
		if err := db.CreateInBatches(cs, 500).Error; err != nil {
			b.Fatal(err)
		}
	}
}
