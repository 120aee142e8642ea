package demo

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/areas"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

func newService(t *testing.T, store *portal.Store) *areas.Services {
	t.Helper()
	return testkit.New(t, store, testkit.Options{BaseURL: "http://reglo.test"}).Services
}

func TestCreditorPoliciesAreValid(t *testing.T) {
	for _, cr := range creditors {
		if err := cr.Policy.Validate(); err != nil {
			t.Errorf("%s: %v", cr.Name, err)
		}
	}
	if a, b := creditors[0].Policy, creditors[1].Policy; a.MaxInstalments == b.MaxInstalments {
		t.Errorf("the two creditors should have different plan limits")
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		svc := newService(t, store)

		first, err := Load(ctx, svc)
		if err != nil {
			t.Fatalf("first load: %v", err)
		}
		if !first.Created {
			t.Error("first load should report it created data")
		}
		if len(first.Cases) != len(cases) || len(cases) < 10 {
			t.Fatalf("loaded %d cases, want %d", len(first.Cases), len(cases))
		}
		if len(first.Creditors) != 2 || len(first.Logins) != 2 {
			t.Fatalf("creditors %d, logins %d; want 2 and 2", len(first.Creditors), len(first.Logins))
		}

		statuses := map[string]int{}
		for _, cl := range first.Cases {
			statuses[cl.Status]++
			d, err := svc.Core.CaseDetail(ctx, cl.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Invoices) == 0 || len(d.Documents) < len(d.Invoices) {
				t.Errorf("%s: %d invoices, %d documents; want a PDF per invoice", cl.Reference, len(d.Invoices), len(d.Documents))
			}
			for _, doc := range d.Documents {
				r, err := svc.Core.Docs.Open(ctx, doc.StorageKey)
				if err != nil {
					t.Fatalf("%s: open %s: %v", cl.Reference, doc.Title, err)
				}
				b, _ := io.ReadAll(r)
				r.Close()
				if !bytes.HasPrefix(b, []byte("%PDF-")) || doc.ContentType != "application/pdf" || int64(len(b)) != doc.Size {
					t.Errorf("%s: document %q is not a stored PDF (%s, %d bytes)", cl.Reference, doc.Title, doc.ContentType, len(b))
				}
			}
			if d.Case.DebtorKind == "consumer" && d.TotalsByKind()[portal.LineFee] != 0 {
				t.Errorf("%s: a consumer case carries a fee", cl.Reference)
			}
			if d.Case.Status == portal.StatusPaid && d.Balance.Cents() != 0 {
				t.Errorf("%s: paid with a balance of %d", cl.Reference, d.Balance.Cents())
			}
			if d.Case.Status == portal.StatusPlanRequested && (d.Plan == nil || d.Plan.Status != "requested") {
				t.Errorf("%s: plan_requested without a requested plan", cl.Reference)
			}
			if cl.BalanceCents != d.Balance.Cents() {
				t.Errorf("%s: summary balance %d, case balance %d", cl.Reference, cl.BalanceCents, d.Balance.Cents())
			}
		}
		for _, st := range []portal.Status{portal.StatusOpen, portal.StatusPaid, portal.StatusPromised, portal.StatusDisputed, portal.StatusPlanRequested} {
			if statuses[string(st)] == 0 {
				t.Errorf("no demo case is %s (statuses: %v)", st, statuses)
			}
		}

		// Every printed link opens with its printed answer, typed loosely.
		for _, cl := range first.Cases {
			token := cl.URL[strings.LastIndex(cl.URL, "/")+1:]
			if !strings.HasPrefix(cl.URL, "http://reglo.test/l/") {
				t.Fatalf("%s: link %q is not under the base URL", cl.Reference, cl.URL)
			}
			answer := " " + strings.ToLower(cl.IdentityAnswer) + " "
			if _, _, err := svc.Core.VerifyIdentity(ctx, token, answer); err != nil {
				t.Errorf("%s: identity answer %q refused: %v", cl.Reference, answer, err)
			}
		}

		second, err := Load(ctx, svc)
		if err != nil {
			t.Fatalf("second load: %v", err)
		}
		if second.Created {
			t.Error("second load should reuse everything")
		}
		for table, want := range map[string]int64{"cases": int64(len(cases)), "creditors": 2, "users": 2, "organisations": 1} {
			var n int64
			if err := store.DB.Table(table).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("after two loads: %d %s, want %d", n, table, want)
			}
		}
		var docs int64
		store.DB.Model(&portal.Document{}).Count(&docs)
		var firstDocs int
		for _, cl := range first.Cases {
			firstDocs += cl.Documents
		}
		if docs != int64(firstDocs) {
			t.Errorf("after two loads: %d documents, want %d", docs, firstDocs)
		}
		for i := range second.Cases {
			if second.Cases[i].CaseID != first.Cases[i].CaseID {
				t.Errorf("%s: second load gave another case", second.Cases[i].Reference)
			}
			if second.Cases[i].URL == first.Cases[i].URL {
				t.Errorf("%s: second load should make a fresh link", second.Cases[i].Reference)
			}
			if second.Cases[i].Status != first.Cases[i].Status || second.Cases[i].BalanceCents != first.Cases[i].BalanceCents {
				t.Errorf("%s: second load changed the case", second.Cases[i].Reference)
			}
		}
	})
}

func TestLoadJoinsExistingOrganisation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := newService(t, storetest.Open(t, "sqlite"))
	cr, _, err := svc.Core.CreateCreditor(ctx, portal.NewCreditor{Name: "Existing Creditor"})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Load(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sum.Creditors {
		got, err := svc.Core.Creditor(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.OrganisationID != cr.OrganisationID {
			t.Errorf("%s is in organisation %d, want the existing %d", c.Name, got.OrganisationID, cr.OrganisationID)
		}
	}
}

func TestPDFsAreDeterministic(t *testing.T) {
	spec := cases[0]
	today := mustDate(t, "2025-03-10")
	issued, due := invoiceDates(spec.Invoices[0], today)
	a, err := invoicePDF(creditors[spec.Creditor], spec, spec.Invoices[0], issued, due)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := invoicePDF(creditors[spec.Creditor], spec, spec.Invoices[0], issued, due)
	if !bytes.Equal(a, b) {
		t.Error("the same invoice should render to the same bytes")
	}
	for _, kind := range []string{docContract, docQuote, docDeliveryNote} {
		pdf, title, err := supportingPDF(kind, creditors[spec.Creditor], spec, issued)
		if err != nil || title == "" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("%s: title %q, err %v", kind, title, err)
		}
	}
}

func TestEuros(t *testing.T) {
	for cents, want := range map[int64]string{0: "0,00 €", 5: "0,05 €", 123456: "1 234,56 €", 100000000: "1 000 000,00 €", -4000: "-40,00 €"} {
		if got := euros(cents); got != want {
			t.Errorf("euros(%d) = %q, want %q", cents, got, want)
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	p, err := portal.ParseDate(s, false)
	if err != nil {
		t.Fatal(err)
	}
	return p.Time
}

func TestLoadCompletesAnInterruptedRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := newService(t, storetest.Open(t, "sqlite"))
	first, err := Load(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	// As if the first run had stopped after creating this case.
	c := first.Cases[0]
	if err := svc.Core.Store.DB.Where("case_id = ?", c.CaseID).Delete(&portal.Document{}).Error; err != nil {
		t.Fatal(err)
	}
	second, err := Load(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Created || second.Cases[0].Documents != c.Documents {
		t.Errorf("second run: created %v, %d documents; want the %d missing ones added", second.Created, second.Cases[0].Documents, c.Documents)
	}
}

func TestDescribeNamesTheMonthsBeforeTheInvoice(t *testing.T) {
	inv := invoiceSpec{Description: "Gaz naturel, {relevé}"}
	for date, want := range map[string]string{
		"2025-03-10": "Gaz naturel, relevé de janvier et février",
		"2025-01-31": "Gaz naturel, relevé de novembre et décembre",
		"2025-06-01": "Gaz naturel, relevé d'avril et mai",
	} {
		if got := describe(inv, mustDate(t, date)); got != want {
			t.Errorf("%s: %q, want %q", date, got, want)
		}
	}
}
