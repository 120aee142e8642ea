package portal_test

import (
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

// The timeline and the audit trail are append-only in the database itself:
// UPDATE and DELETE of their rows fail on both databases, whatever the code
// asks, and the rows stay as they were.
func TestTimelineAndAuditAreAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		k := testkit.New(t, store, testkit.Options{})
		cr, _ := k.Creditor("Atelier", nil)
		c := k.Case(cr, "R-1", 10000)
		if err := store.DB.Exec("INSERT INTO audit_events (organisation_id, creditor_id, kind, data, created_at) VALUES (?, ?, 'settings_saved', '{}', ?)",
			cr.OrganisationID, cr.ID, time.Now().UTC()).Error; err != nil {
			t.Fatal(err)
		}
		var before int64
		store.DB.Model(&portal.TimelineEvent{}).Where("case_id = ?", c.ID).Count(&before)
		if before == 0 {
			t.Fatal("the case has no timeline")
		}
		for _, stmt := range []string{
			"UPDATE timeline_events SET kind = 'forged' WHERE case_id = ?",
			"DELETE FROM timeline_events WHERE case_id = ?",
			"UPDATE audit_events SET kind = 'forged' WHERE creditor_id = ?",
			"DELETE FROM audit_events WHERE creditor_id = ?",
			"DELETE FROM cases WHERE id = ?", // the cascade would delete the timeline
		} {
			id := c.ID
			if stmt[len(stmt)-len("creditor_id = ?"):] == "creditor_id = ?" {
				id = cr.ID
			}
			if err := store.DB.Exec(stmt, id).Error; err == nil {
				t.Errorf("%s: accepted", stmt)
			}
		}
		var after, forged, audits int64
		store.DB.Model(&portal.TimelineEvent{}).Where("case_id = ?", c.ID).Count(&after)
		store.DB.Model(&portal.TimelineEvent{}).Where("kind = 'forged'").Count(&forged)
		store.DB.Table("audit_events").Where("creditor_id = ? AND kind = 'settings_saved'", cr.ID).Count(&audits)
		if after != before || forged != 0 || audits != 1 {
			t.Errorf("rows changed: timeline %d → %d, forged %d, audit %d", before, after, forged, audits)
		}
		if store.Dialect == "postgres" {
			if err := store.DB.Exec("TRUNCATE timeline_events CASCADE").Error; err == nil {
				t.Error("TRUNCATE timeline_events accepted")
			}
		}
	})
}
