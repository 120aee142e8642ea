package office

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/portal"
)

// WorkUnmatched: Stripe reported money for the case that no balance could
// take (an unknown charge, another currency, a refund beyond the payment).
const WorkUnmatched = "unmatched"

// maxResolutionNote bounds an agent's note on unmatched money.
const maxResolutionNote = 2000

// unmatchedQuery finds the unresolved unmatched money of the user's cases.
func unmatchedQuery(scoped func(table string) *gorm.DB) *gorm.DB {
	return scoped("unmatched_money").Select("unmatched_money.case_id, unmatched_money.created_at AS since, unmatched_money.amount_cents").
		Where("unmatched_money.resolved_at IS NULL AND unmatched_money.amount_cents <> 0")
}

// UnmatchedWithoutCase lists the unresolved money Stripe reported that
// names no case at all, oldest first. Only a user who sees every creditor
// of the organisation sees it: nothing tells whose it is.
func (s *Service) UnmatchedWithoutCase(ctx context.Context, u portal.User) ([]portal.UnmatchedMoney, error) {
	out := []portal.UnmatchedMoney{}
	if u.CreditorID != nil {
		return out, nil
	}
	err := s.db(ctx).Where("case_id IS NULL AND resolved_at IS NULL AND amount_cents <> 0").Order("id").Find(&out).Error
	return out, err
}

// UnmatchedForUser is one entry of unmatched money the user may see: of a
// case they may see, or naming no case when they see every creditor.
func (s *Service) UnmatchedForUser(ctx context.Context, u portal.User, id int64) (portal.UnmatchedMoney, error) {
	var m portal.UnmatchedMoney
	if err := s.db(ctx).Take(&m, id).Error; err != nil {
		return m, portal.NotFound(err)
	}
	if err := s.mayResolve(ctx, u, m); err != nil {
		return portal.UnmatchedMoney{}, err
	}
	return m, nil
}

// mayResolve says whether the user may see and resolve m.
func (s *Service) mayResolve(ctx context.Context, u portal.User, m portal.UnmatchedMoney) error {
	if m.CaseID == nil {
		if u.CreditorID != nil {
			return portal.ErrNotFound
		}
		return nil
	}
	return s.core.UserMaySee(ctx, u, *m.CaseID)
}

// ResolveUnmatched marks unmatched money as dealt with (refunded by hand,
// matched to a transfer, sent back to the creditor...), with the agent's
// note saying how. The money stays out of every balance; the case's
// timeline says it was resolved, and by whom, without the note's words.
func (s *Service) ResolveUnmatched(ctx context.Context, u portal.User, id int64, note string) error {
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		return portal.Invalid("note", "required", "say how the money was dealt with")
	case utf8.RuneCountInString(note) > maxResolutionNote:
		return portal.Invalid("note", "too_long", "the note is too long")
	}
	// The scope is checked before the transaction: the case an entry
	// names never changes, and SQLite's one connection is the transaction's.
	if _, err := s.UnmatchedForUser(ctx, u, id); err != nil {
		return err
	}
	now := s.core.Now().UTC()
	return s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		var m portal.UnmatchedMoney
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&m, id).Error; err != nil {
			return portal.NotFound(err)
		}
		if m.ResolvedAt != nil || m.AmountCents == 0 {
			return &portal.ConflictError{Message: "this money is already resolved"}
		}
		res := tx.Model(&portal.UnmatchedMoney{}).Where("id = ? AND resolved_at IS NULL", m.ID).
			Updates(map[string]any{"resolved_at": now, "resolved_by": u.ID, "resolution_note": note, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errors.New("unmatched money changed under its lock")
		}
		if m.CaseID == nil {
			return nil
		}
		return portal.Record(tx, now, *m.CaseID, portal.EventUnmatchedResolved, portal.UserActor(u.ID),
			map[string]any{"unmatched_id": m.ID, "amount_cents": m.AmountCents, "currency": m.Currency})
	})
}
