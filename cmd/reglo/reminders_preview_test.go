package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
)

func TestRemindersPreview(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	if r := reglo(t, env, "", "migrate"); r.code != exitOK {
		t.Fatalf("migrate: %d %s", r.code, r.stderr)
	}
	svc := testService(t, env["DATABASE_URL"])
	ctx := context.Background()
	cr, _, err := svc.CreateCreditor(ctx, portal.NewCreditor{Name: "Énergie Claire", Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateCase(ctx, cr, portal.NewCase{Reference: "PRE-1", Currency: "EUR",
		Debtor: portal.NewDebtor{Name: "Camille Martin", Email: "c@example.org", Phone: "+33612345678", Postcode: "75011", Language: "en", Kind: "consumer"},
		Invoices: []portal.NewInvoice{{Number: "F1", IssuedOn: "2026-01-01", DueOn: "2026-02-01",
			Lines: []portal.NewLine{{Label: "Work", AmountCents: 12000, Kind: portal.LinePrincipal}}}}}, portal.SystemActor); err != nil {
		t.Fatal(err)
	}
	r := reglo(t, env, "", "reminders", "preview", "--reference", "PRE-1")
	if r.code != exitOK {
		t.Fatalf("preview: exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 5 {
		t.Fatalf("preview printed %d lines, want the 5 default steps:\n%s", len(lines), r.stdout)
	}
	for i, l := range lines {
		var p map[string]any
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatalf("line %d is not JSON: %q", i+1, l)
		}
		for _, k := range []string{"at", "channel", "step", "template", "language"} {
			if _, ok := p[k]; !ok {
				t.Errorf("line %d lacks %q: %s", i+1, k, l)
			}
		}
		if p["step"].(float64) != float64(i+1) || p["language"] != "en" {
			t.Errorf("line %d = %s", i+1, l)
		}
	}
	if r := reglo(t, env, "", "reminders", "preview", "--reference", "NOPE"); r.code == exitOK {
		t.Errorf("unknown reference: exit %d", r.code)
	}
	if r := reglo(t, env, "", "reminders"); r.code == exitOK || !strings.Contains(r.stderr, "reminders preview") {
		t.Errorf("no subcommand: exit %d %s", r.code, r.stderr)
	}
}
