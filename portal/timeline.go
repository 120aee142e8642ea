package portal

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

type gormDB = gorm.DB

// Actor says who did something, for the timeline.
type Actor struct {
	Kind string
	ID   *int64
}

// Actors that have no id.
var (
	DebtorActor = Actor{Kind: ActorDebtor}
	StripeActor = Actor{Kind: ActorStripe}
	SystemActor = Actor{Kind: ActorSystem}
)

// UserActor is a back-office user.
func UserActor(id int64) Actor { return Actor{Kind: ActorUser, ID: &id} }

// CreditorActor is a creditor acting through the API.
func CreditorActor(id int64) Actor { return Actor{Kind: ActorCreditor, ID: &id} }

// Record appends one timeline event inside tx. data must not hold tokens or
// secrets; it is shown to agents.
func Record(tx *gorm.DB, now time.Time, caseID int64, kind EventKind, actor Actor, data map[string]any) error {
	raw := "{}"
	if len(data) > 0 {
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		raw = string(b)
	}
	return tx.Create(&TimelineEvent{CaseID: caseID, Kind: kind, ActorKind: actor.Kind, ActorID: actor.ID, Data: raw, CreatedAt: now}).Error
}

// Timeline returns a case's events, oldest first.
func (s *Service) Timeline(ctx context.Context, caseID int64) ([]TimelineEvent, error) {
	var evs []TimelineEvent
	err := s.db(ctx).Where("case_id = ?", caseID).Order("id").Find(&evs).Error
	return evs, err
}
