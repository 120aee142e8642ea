package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// reglo privacy export prints everything held about the debtor, the
// timeline included, and nothing of another case or any secret.
func TestPrivacyExport(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			env := testEnv(t)
			env["DATABASE_URL"] = emptyDatabase(t, dialect)
			if r := reglo(t, env, "", "migrate"); r.code != exitOK {
				t.Fatalf("migrate: %s", r.stderr)
			}
			svc := testService(t, env["DATABASE_URL"])
			ctx := context.Background()
			cr, _, err := svc.CreateCreditor(ctx, portal.NewCreditor{Name: "Atelier Dupont", Currency: "EUR"})
			if err != nil {
				t.Fatal(err)
			}
			mk := func(ref, name string) int64 {
				d, err := svc.CreateCase(ctx, cr, portal.NewCase{Reference: ref, Currency: "EUR",
					Debtor: portal.NewDebtor{Name: name, Email: "camille@example.org", Postcode: "75011"},
					Invoices: []portal.NewInvoice{{Number: "F1", IssuedOn: "2026-01-01", DueOn: "2026-01-31",
						Lines: []portal.NewLine{{Label: "Travaux", AmountCents: 10000, Kind: portal.LinePrincipal}}}}}, portal.CreditorActor(cr.ID))
				if err != nil {
					t.Fatal(err)
				}
				return d.Case.ID
			}
			id := mk("R-1", "Camille Durand")
			mk("R-2", "Autre Personne")
			if _, err := svc.CreateLink(ctx, id, "email", 24*time.Hour, portal.SystemActor); err != nil {
				t.Fatal(err)
			}
			r := reglo(t, env, "", "privacy", "export", "--reference", "R-1")
			if r.code != exitOK {
				t.Fatalf("export: %d %s", r.code, r.stderr)
			}
			var out portal.SubjectAccess
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, r.stdout)
			}
			if out.Case["debtor_name"] != "Camille Durand" || out.Creditor.Name != "Atelier Dupont" {
				t.Errorf("case %v creditor %v", out.Case, out.Creditor)
			}
			for _, table := range []string{"invoices", "invoice_lines", "links", "timeline_events"} {
				if len(out.Tables[table]) == 0 {
					t.Errorf("table %s missing from the export", table)
				}
			}
			kinds := ""
			for _, ev := range out.Tables["timeline_events"] {
				kinds += ev["kind"].(string) + " "
			}
			if !strings.Contains(kinds, "case_created") || !strings.Contains(kinds, "link_created") {
				t.Errorf("timeline kinds %q", kinds)
			}
			for _, bad := range []string{"Autre Personne", "R-2", "token_hash"} {
				if strings.Contains(r.stdout, bad) {
					t.Errorf("the export holds %q", bad)
				}
			}
			if r := reglo(t, env, "", "privacy", "export", "--reference", "NOPE"); r.code != exitUsage {
				t.Errorf("unknown reference: exit %d", r.code)
			}
		})
	}
}

// reglo retention run prints its JSON summary; --dry-run changes nothing.
func TestRetentionRunCommand(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			env := testEnv(t)
			env["DATABASE_URL"] = emptyDatabase(t, dialect)
			if r := reglo(t, env, "", "migrate"); r.code != exitOK {
				t.Fatalf("migrate: %s", r.stderr)
			}
			for _, args := range [][]string{{"retention", "run", "--dry-run"}, {"retention", "run"}} {
				r := reglo(t, env, "", args...)
				var rep portal.RetentionReport
				if r.code != exitOK || json.Unmarshal([]byte(r.stdout), &rep) != nil || rep.DryRun != (len(args) == 3) {
					t.Errorf("%v: exit %d, %q %s", args, r.code, r.stdout, r.stderr)
				}
			}
			if r := reglo(t, env, "", "retention"); r.code != exitUsage {
				t.Errorf("no subcommand: exit %d", r.code)
			}
		})
	}
}
