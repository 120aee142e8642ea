package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

// The retention job, with an injected clock, on both databases: a dry run
// changes nothing; a real run anonymises cases paid or closed for five
// years (keeping amounts, references and the timeline), deletes the
// debtor's uploads of those cases and every expired session, link and CSRF
// row, and leaves everything else alone.
func TestRetentionRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		dir := t.TempDir()
		k := testkit.New(t, store, testkit.Options{DocsDir: dir, Start: time.Date(2020, 1, 10, 9, 0, 0, 0, time.UTC)})
		cr, _ := k.Creditor("Atelier", nil)
		old := k.Case(cr, "OLD-PAID", 10000)
		open := k.Case(cr, "OLD-OPEN", 20000)
		pdf := []byte("%PDF-1.4\n% upload\n%%EOF\n")
		up, err := k.Core.AddDocument(ctx, old.ID, portal.NewDocument{Title: "Ma preuve", Data: pdf, Source: "debtor"}, portal.SystemActor)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.Core.AddDocument(ctx, old.ID, portal.NewDocument{Title: "Facture", Data: pdf, Source: "creditor"}, portal.SystemActor); err != nil {
			t.Fatal(err)
		}
		if _, err := k.Core.CreateLink(ctx, open.ID, "email", 24*time.Hour, portal.SystemActor); err != nil {
			t.Fatal(err)
		}
		store.DB.Model(&portal.Case{}).Where("id = ?", old.ID).Updates(map[string]any{"status": portal.StatusPaid, "updated_at": k.Clock.Now()})
		store.DB.Exec("INSERT INTO csrf_tokens (key, value, expires_at) VALUES ('old', ?, ?)", []byte("x"), k.Clock.Now())
		var timelineBefore int64
		store.DB.Model(&portal.TimelineEvent{}).Where("case_id = ?", old.ID).Count(&timelineBefore)

		k.Clock.Set(time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC)) // five years and three weeks later
		fresh, err := k.Core.CreateLink(ctx, open.ID, "sms", 24*time.Hour, portal.SystemActor)
		if err != nil {
			t.Fatal(err)
		}

		dry, err := k.Core.RunRetention(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if !dry.DryRun || len(dry.CaseIDs) != 1 || dry.CaseIDs[0] != old.ID || dry.UploadsDeleted != 1 || dry.LinksDeleted != 1 || dry.CSRFDeleted != 1 {
			t.Fatalf("dry run %+v", dry)
		}
		var c portal.Case
		store.DB.Take(&c, old.ID)
		if c.DebtorName == "" {
			t.Fatal("the dry run changed a case")
		}

		rep, err := k.Core.RunRetention(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.CaseIDs) != 1 || rep.UploadsDeleted != 1 || rep.LinksDeleted != 1 || rep.CSRFDeleted != 1 {
			t.Fatalf("run %+v", rep)
		}
		store.DB.Take(&c, old.ID)
		if c.DebtorName != "" || c.DebtorEmail != "" || c.DebtorPhone != "" || c.DebtorPostcode != "" || c.SearchText != "" || c.Reference != "OLD-PAID" {
			t.Errorf("anonymised case %+v", c)
		}
		d, err := k.Core.CaseDetail(ctx, old.ID)
		if err != nil || d.Balance.TotalCents != 10000 || len(d.Documents) != 1 || d.Documents[0].Title != "Facture" {
			t.Errorf("kept for the accounts: %v %+v %+v", err, d.Balance, d.Documents)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.Base(up.StorageKey))); !os.IsNotExist(err) {
			t.Errorf("the debtor's upload is still stored: %v", err)
		}
		var timelineAfter, links int64
		store.DB.Model(&portal.TimelineEvent{}).Where("case_id = ?", old.ID).Count(&timelineAfter)
		store.DB.Model(&portal.Link{}).Where("id = ?", fresh.Link.ID).Count(&links)
		if timelineAfter != timelineBefore || links != 1 {
			t.Errorf("timeline %d → %d, live link kept %d", timelineBefore, timelineAfter, links)
		}
		var o portal.Case
		store.DB.Take(&o, open.ID)
		if o.DebtorName == "" {
			t.Error("an open case was anonymised")
		}
		again, err := k.Core.RunRetention(ctx, false)
		if err != nil || len(again.CaseIDs) != 0 || again.LinksDeleted != 0 {
			t.Errorf("second run %+v %v", again, err)
		}
	})
}
