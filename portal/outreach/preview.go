package outreach

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/portal"
)

// Planned is one message a case's scenario would send (reglo reminders
// preview prints one a line).
type Planned struct {
	At       time.Time `json:"at"`
	Channel  string    `json:"channel"`
	Step     int       `json:"step"`
	Template string    `json:"template"`
	Language string    `json:"language"`
}

// Preview lists the reminders the case's scenario would send over the next
// days, applying the same rules as the scheduler as things stand now (no
// debtor action, every channel configured), and sends nothing. Steps are
// numbered from 1. A case whose reminders are stopped gets an empty list.
func (s *Service) Preview(ctx context.Context, caseID int64, days int) ([]Planned, error) {
	db := s.db(ctx)
	now := s.now()
	var c portal.Case
	if err := db.Take(&c, caseID).Error; err != nil {
		return nil, portal.NotFound(err)
	}
	b, err := portal.BalanceTx(db, c.ID)
	if err != nil {
		return nil, err
	}
	balance := b.Cents()
	if reason, _, err := stopReason(db, c, balance); err != nil || reason != "" {
		return nil, err
	}
	sc, err := s.scenarioTx(db, c.CreditorID, kindOf(c.DebtorKind))
	if err != nil {
		return nil, err
	}
	due, ok, err := oldestUnpaidDue(db, c.ID, balance)
	if err != nil || !ok {
		return nil, err
	}
	next := 0
	var planned Message
	err = db.Where("case_id = ? AND reason = ? AND state IN ?", c.ID, ReasonReminder, []string{StatePlanned, StateSending}).Order("step").Take(&planned).Error
	switch {
	case err == nil:
		next = planned.Step
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	default:
		var n int64
		if err := db.Model(&Message{}).Where("case_id = ? AND reason = ?", c.ID, ReasonReminder).Count(&n).Error; err != nil {
			return nil, err
		}
		next = int(n)
	}
	history, err := sentSince(db, c, now.Add(-7*24*time.Hour))
	if err != nil {
		return nil, err
	}
	var last time.Time
	var lastSent Message
	if err := db.Where("case_id = ? AND reason = ? AND state IN ?", c.ID, ReasonReminder, countedStates).Order("sent_at DESC").Take(&lastSent).Error; err == nil && lastSent.SentAt != nil {
		last = *lastSent.SentAt
	}
	var opened int64
	if err := db.Model(&portal.Link{}).Where("case_id = ? AND last_opened_at IS NOT NULL", c.ID).Count(&opened).Error; err != nil {
		return nil, err
	}
	horizon := now.AddDate(0, 0, days)
	var out []Planned
	for i := next; i < len(sc.Steps); i++ {
		st := sc.Steps[i]
		addr := addressOn(st.Channel, c.DebtorEmail, c.DebtorPhone)
		if st.MinBalanceCents != nil && balance < *st.MinBalanceCents || st.OnlyIfNoContact && opened > 0 || AddressHash(st.Channel, addr) == "" {
			continue
		}
		if o, err := optedOut(db, st.Channel, addr); err != nil || o {
			if err != nil {
				return nil, err
			}
			continue
		}
		at := stepTime(sc, due, st)
		if !last.IsZero() && last.Add(minStepGap).After(at) {
			at = last.Add(minStepGap)
		}
		if at.Before(now) {
			at = now
		}
		at = sc.NextAllowed(at)
		for range 10 {
			free := capFreeAt(history, at, sc.MaxPer7Days)
			if !free.After(at) {
				break
			}
			at = sc.NextAllowed(free)
		}
		if at.After(horizon) {
			break
		}
		out = append(out, Planned{At: at, Channel: st.Channel, Step: i + 1, Template: st.Template, Language: c.DebtorLanguage})
		history, last = append(history, at), at
	}
	return out, nil
}

// SampleData is what a message of the creditor's scenario says for a
// sample case today, for the admin's preview: the same names and dates
// the scheduler writes, an example reference, first name and links.
func (s *Service) SampleData(ctx context.Context, creditorID int64, sc Scenario) (map[string]any, error) {
	db := s.db(ctx)
	var cr portal.Creditor
	if err := db.Take(&cr, creditorID).Error; err != nil {
		return nil, portal.NotFound(err)
	}
	var org portal.Organisation
	if err := db.Take(&org, cr.OrganisationID).Error; err != nil {
		return nil, err
	}
	sender := org.Name
	if s.core.Collector.Agency() {
		sender = s.core.Collector.Name
	}
	today := portal.DateOf(s.now().In(portal.Zone(sc.TimeZone)))
	base := strings.TrimRight(s.core.BaseURL, "/")
	return map[string]any{"Creditor": cr.Name, "Sender": sender, "Reference": "EXEMPLE-001", "FirstName": "Camille",
		"Day": today.Time, "After": today.AddDate(0, 0, lastNoticeDays), "URL": base + "/l/exemple", "StopURL": base + "/u/exemple", "VerifyURL": base + "/verify"}, nil
}
