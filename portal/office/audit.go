package office

import (
	"context"
	"encoding/json"
	"time"

	"github.com/reglo/reglo/portal"
	"gorm.io/gorm"
)

// AuditEvent is one change an admin made outside any case (plan limits,
// creditor profile, API keys, imports). Like the case timeline it is
// append-only: the proof trail of who changed the rules and when.
type AuditEvent struct {
	ID             int64
	OrganisationID int64
	CreditorID     *int64
	UserID         *int64
	Kind           string
	Data           string
	CreatedAt      time.Time
}

// audit appends an event to the audit trail inside tx, so the change and
// its record commit together.
func audit(tx *gorm.DB, now time.Time, u portal.User, creditorID int64, kind string, data map[string]any) error {
	raw := []byte("{}")
	if data != nil {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return err
		}
	}
	uid := u.ID
	ev := AuditEvent{OrganisationID: u.OrganisationID, UserID: &uid, Kind: kind, Data: string(raw), CreatedAt: now}
	if creditorID != 0 {
		ev.CreditorID = &creditorID
	}
	if u.ID == 0 {
		ev.UserID = nil
	}
	return tx.Create(&ev).Error
}

// AuditTrail lists a creditor's audit events, newest first (at most limit).
func (s *Service) AuditTrail(ctx context.Context, u portal.User, creditorID int64, limit int) ([]AuditEvent, error) {
	if _, err := s.CreditorForAdmin(ctx, u, creditorID); err != nil {
		return nil, err
	}
	var out []AuditEvent
	err := s.db(ctx).Where("creditor_id = ?", creditorID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}
