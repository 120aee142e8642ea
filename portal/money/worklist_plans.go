package money

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
)

// MaxDecisionReason bounds the reason an agent gives the debtor.
const MaxDecisionReason = 1000

// planCaseForUser is ErrNotFound unless the plan's case is in the user's
// scope, so an agent can only decide plans they may see.
func (s *Service) planCaseForUser(ctx context.Context, u portal.User, planID int64) error {
	var p portal.Plan
	if err := s.db(ctx).Select("id", "case_id").Take(&p, planID).Error; err != nil {
		return portal.NotFound(err)
	}
	return s.core.UserMaySee(ctx, u, p.CaseID)
}

// decisionReason trims the reason a debtor will read; required says a
// decline or counter-offer must explain itself.
func decisionReason(reason string, required bool) (string, error) {
	reason = strings.TrimSpace(strings.ReplaceAll(reason, "\r\n", "\n"))
	if required && reason == "" {
		return "", portal.Invalid("reason", "required", "tell the debtor why")
	}
	if utf8.RuneCountInString(reason) > MaxDecisionReason {
		return "", portal.Invalid("reason", "too_long", "at most 1000 characters")
	}
	return reason, nil
}

// ApprovePlanForUser approves a requested plan of a case the user may see
// (see ApprovePlan), with the user as actor.
func (s *Service) ApprovePlanForUser(ctx context.Context, u portal.User, planID int64, reason string) (portal.Plan, error) {
	if err := s.planCaseForUser(ctx, u, planID); err != nil {
		return portal.Plan{}, err
	}
	reason, err := decisionReason(reason, false)
	if err != nil {
		return portal.Plan{}, err
	}
	return s.ApprovePlan(ctx, planID, reason, portal.UserActor(u.ID))
}

// DeclinePlanForUser declines a requested plan of a case the user may see
// with a reason the debtor reads (see DeclinePlan).
func (s *Service) DeclinePlanForUser(ctx context.Context, u portal.User, planID int64, reason string) error {
	if err := s.planCaseForUser(ctx, u, planID); err != nil {
		return err
	}
	reason, err := decisionReason(reason, true)
	if err != nil {
		return err
	}
	return s.DeclinePlan(ctx, planID, reason, portal.UserActor(u.ID))
}

// CounterOffer is the plan an agent offers instead of the one requested.
type CounterOffer struct {
	Frequency plans.Frequency
	Count     int
	// Reason is shown to the debtor with the new plan.
	Reason string
}

// CounterOfferPlan answers a plan request with another plan: the request
// is declined (its decision reason says why) and a new plan of the given
// frequency and number of payments, built from today's balance and
// within the case's limits, is created as pending, with the same reason.
// The debtor sees it on their plan page and starts it by paying the first
// instalment (ConfirmPlan), exactly like an approved request; choosing
// something else cancels it. A counter-offer outside the limits is an
// *InvalidError (fields "frequency" or "count") and changes nothing.
func (s *Service) CounterOfferPlan(ctx context.Context, u portal.User, planID int64, in CounterOffer) (portal.Plan, error) {
	if err := s.planCaseForUser(ctx, u, planID); err != nil {
		return portal.Plan{}, err
	}
	reason, err := decisionReason(in.Reason, true)
	if err != nil {
		return portal.Plan{}, err
	}
	if !in.Frequency.Valid() {
		return portal.Plan{}, portal.Invalid("frequency", "frequency", "choose a frequency")
	}
	if in.Count < 1 || in.Count > plans.MaxInstalments {
		return portal.Plan{}, portal.Invalid("count", "count", "the number of payments is out of range")
	}
	actor := portal.UserActor(u.ID)
	now := s.now()
	var out portal.Plan
	err = s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		old, pc, err := s.requestedPlan(tx, planID)
		if err != nil {
			return err
		}
		if err := pc.CanPlan(); err != nil {
			return &portal.ConflictError{Message: "the case cannot start a plan: " + portal.RefusalText(err)}
		}
		o, err := plans.Build(pc.Balance, in.Frequency, in.Count, pc.Policy, pc.Today)
		if err != nil {
			return portal.Invalid("count", "count", "no schedule can be made with this number of payments")
		}
		if err := pc.Policy.Check(o); err != nil {
			var lim *plans.LimitError
			if errors.As(err, &lim) {
				field := "count"
				if lim.Reason == plans.ReasonFrequencyNotAllowed {
					field = "frequency"
				}
				return portal.Invalid(field, "limit_"+string(lim.Reason), lim.Error())
			}
			return err
		}
		if err := tx.Model(&portal.Plan{}).Where("id = ?", old.ID).Updates(map[string]any{"status": portal.PlanStatusDeclined, "decision_reason": reason, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := cancelUnpaid(tx, old.ID, now); err != nil {
			return err
		}
		p, err := s.createPlan(tx, pc, o, portal.PlanRequest{Frequency: in.Frequency, Count: in.Count}, portal.PlanStatusPending, nil, now)
		if err != nil {
			return err
		}
		if err := tx.Model(&portal.Plan{}).Where("id = ?", p.ID).Update("decision_reason", reason).Error; err != nil {
			return err
		}
		if err := portal.Record(tx, now, pc.Case.ID, portal.EventPlanCountered, actor, map[string]any{"plan_id": old.ID, "new_plan_id": p.ID,
			"reason": reason, "frequency": string(o.Frequency), "count": o.Count, "total_cents": o.TotalCents}); err != nil {
			return err
		}
		if pc.Case.Status == portal.StatusPlanRequested {
			if err := portal.Move(tx, s.now(), pc.Case, portal.StatusOpen, actor); err != nil {
				return err
			}
		}
		return tx.Preload("Instalments", func(q *gorm.DB) *gorm.DB { return q.Order("seq") }).Take(&out, p.ID).Error
	})
	return out, err
}
