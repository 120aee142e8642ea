package choices

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
)

// HardshipReasons are what may have changed for a debtor who cannot pay
// now, in the order the page shows them.
var HardshipReasons = []string{"lost_income", "illness", "unexpected_costs", "other"}

// CallbackSlots are the parts of the day a debtor may ask to be called in.
var CallbackSlots = []string{"morning", "afternoon", "evening"}

// PauseDays is how long a debtor may ask collection to pause.
const PauseDays = 30

// CallbackMaxDays is how far ahead a callback may be asked for.
const CallbackMaxDays = 30

// Budget is a debtor's simple monthly budget, in minor units.
type Budget struct {
	IncomeCents     int64 `json:"income_cents"`
	HousingCents    int64 `json:"housing_cents"`
	EnergyCents     int64 `json:"energy_cents"`
	FoodCents       int64 `json:"food_cents"`
	TransportCents  int64 `json:"transport_cents"`
	OtherDebtsCents int64 `json:"other_debts_cents"`
}

// OutgoingsCents is the sum of the main monthly outgoings.
func (b Budget) OutgoingsCents() int64 {
	return b.HousingCents + b.EnergyCents + b.FoodCents + b.TransportCents + b.OtherDebtsCents
}

// DisposableCents is what is left each month: income less outgoings (may be
// negative).
func (b Budget) DisposableCents() int64 { return b.IncomeCents - b.OutgoingsCents() }

// Callback is when a debtor would like to be called.
type Callback struct {
	On   portal.Date
	Slot string
}

// Hardship is what a debtor who cannot pay now tells us. Budget, Callback
// and Pause are optional.
type Hardship struct {
	Reason   string
	Budget   *Budget
	Callback *Callback
	Pause    bool
}

// Help request statuses.
const (
	HelpOpen     = "open"
	HelpResolved = "resolved"
)

// HelpRequest is a debtor's "I can't pay now". Budget is the Budget as JSON
// ("" when none was given); ProposalCount and ProposalInstalmentCents are
// the monthly plan Reglo offered from it (0 when none fitted).
type HelpRequest struct {
	ID                      int64
	CaseID                  int64
	Reason                  string
	Budget                  string
	DisposableCents         *int64
	ProposalCount           int
	ProposalInstalmentCents int64
	CallbackOn              *portal.Date
	CallbackSlot            string
	PauseRequested          bool
	Status                  string
	CreatedAt               time.Time
	ResolvedAt              *time.Time
}

// BudgetFigures decodes Budget; ok is false when none was given.
func (h HelpRequest) BudgetFigures() (b Budget, ok bool) {
	if h.Budget == "" {
		return Budget{}, false
	}
	return b, json.Unmarshal([]byte(h.Budget), &b) == nil
}

// ProposePlan returns the smallest monthly plan within the case's limits
// that a budget leaves room for: instalments of half the money left each
// month, or the policy's minimum when that is more and still affordable.
// ok is false when nothing fits (no money left, monthly payments not
// allowed, or the plan would break a limit).
func ProposePlan(balance int64, b Budget, p plans.Policy, today time.Time) (plans.Option, bool) {
	left := b.DisposableCents()
	if balance <= 0 || left <= 0 {
		return plans.Option{}, false
	}
	per := left / 2
	if per < p.MinInstalmentCents {
		per = p.MinInstalmentCents
	}
	if per <= 0 || per > left {
		return plans.Option{}, false
	}
	o, err := plans.FromAffordable(balance, per, plans.Monthly, p, today)
	if err != nil {
		return plans.Option{}, false
	}
	return o, true
}

// callbackWindow is the days a callback may be asked for: tomorrow to
// CallbackMaxDays ahead.
func callbackWindow(today time.Time) (portal.Date, portal.Date) {
	return portal.Date{Time: today.AddDate(0, 0, 1)}, portal.Date{Time: today.AddDate(0, 0, CallbackMaxDays)}
}

// CallbackWindow returns the first and last days a debtor of this case may
// ask to be called on, in the creditor's time zone.
func (s *Service) CallbackWindow(ctx context.Context, caseID int64) (first, last portal.Date, err error) {
	pc, err := s.core.LoadPlanCase(s.db(ctx), caseID, false)
	if err != nil {
		return portal.Date{}, portal.Date{}, err
	}
	first, last = callbackWindow(pc.Today)
	return first, last, nil
}

func (s *Service) checkHardship(pc portal.PlanCase, in Hardship) error {
	if !slices.Contains(HardshipReasons, in.Reason) {
		return portal.Invalid("reason", "required", "choose what changed")
	}
	if b := in.Budget; b != nil {
		for field, v := range map[string]int64{"income": b.IncomeCents, "housing": b.HousingCents, "energy": b.EnergyCents,
			"food": b.FoodCents, "transport": b.TransportCents, "other_debts": b.OtherDebtsCents} {
			if v < 0 || v > portal.MaxAmountCents {
				return portal.Invalid(field, "amount", "an amount of money")
			}
		}
	}
	return checkFollowUp(pc, in.Callback, in.Pause)
}

func checkFollowUp(pc portal.PlanCase, cb *Callback, pause bool) error {
	if cb != nil {
		first, last := callbackWindow(pc.Today)
		if cb.On.Before(first.Time) || cb.On.After(last.Time) {
			return portal.Invalid("callback_on", "callback_date_range", "the day must be between "+first.String()+" and "+last.String())
		}
		if !slices.Contains(CallbackSlots, cb.Slot) {
			return portal.Invalid("callback_slot", "required", "choose a time of day")
		}
	}
	if cb != nil && pause {
		return portal.Invalid("follow_up", "one", "choose a callback or a pause")
	}
	return nil
}

// RequestHelp records a debtor's "I can't pay now": what changed, their
// budget when given (and the plan it leaves room for), a callback or a
// pause when asked for. It adds no amount and changes no status: an agent
// reads it in the worklist. The timeline gets help_requested with the budget.
func (s *Service) RequestHelp(ctx context.Context, caseID int64, in Hardship) (HelpRequest, error) {
	var h HelpRequest
	err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		pc, err := s.core.LoadPlanCase(tx, caseID, true)
		if err != nil {
			return err
		}
		if err := portal.May(pc.Case.Status, pc.Balance, portal.ActionCannotPay); err != nil {
			return err
		}
		if err := s.checkHardship(pc, in); err != nil {
			return err
		}
		now := s.now()
		h = HelpRequest{CaseID: caseID, Reason: in.Reason, Status: HelpOpen, CreatedAt: now, PauseRequested: in.Pause}
		data := map[string]any{"reason": in.Reason}
		if b := in.Budget; b != nil {
			raw, _ := json.Marshal(b)
			h.Budget = string(raw)
			left := b.DisposableCents()
			h.DisposableCents = &left
			data["budget"] = b
			data["disposable_cents"] = left
			if o, ok := ProposePlan(pc.Balance, *b, pc.Policy, pc.Today); ok {
				h.ProposalCount, h.ProposalInstalmentCents = o.Count, o.InstalmentCents
				data["proposal"] = map[string]any{"count": o.Count, "instalment_cents": o.InstalmentCents, "frequency": string(o.Frequency)}
			}
		}
		if cb := in.Callback; cb != nil {
			h.CallbackOn, h.CallbackSlot = &cb.On, cb.Slot
			data["callback_on"], data["callback_slot"] = cb.On.String(), cb.Slot
		}
		if in.Pause {
			data["pause_days"] = PauseDays
		}
		if err := tx.Create(&h).Error; err != nil {
			return err
		}
		data["help_request_id"] = h.ID
		return portal.Record(tx, now, caseID, portal.EventHelpRequested, portal.DebtorActor, data)
	})
	return h, err
}

// LatestHelpRequest returns the case's most recent open help request, or nil.
func (s *Service) LatestHelpRequest(ctx context.Context, caseID int64) (*HelpRequest, error) {
	var h HelpRequest
	err := s.db(ctx).Where("case_id = ? AND status = ?", caseID, HelpOpen).Order("id DESC").Take(&h).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// AskFollowUp adds a callback or a pause request to the case's latest open
// help request, after the budget left no plan that fits. The timeline gets
// help_callback_requested or help_pause_requested.
func (s *Service) AskFollowUp(ctx context.Context, caseID int64, cb *Callback, pause bool) (HelpRequest, error) {
	var h HelpRequest
	err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		pc, err := s.core.LoadPlanCase(tx, caseID, true)
		if err != nil {
			return err
		}
		if err := tx.Where("case_id = ? AND status = ?", caseID, HelpOpen).Order("id DESC").Take(&h).Error; err != nil {
			return portal.NotFound(err)
		}
		if cb == nil && !pause {
			return portal.Invalid("follow_up", "required", "choose a callback or a pause")
		}
		if err := checkFollowUp(pc, cb, pause); err != nil {
			return err
		}
		now := s.now()
		if cb != nil {
			h.CallbackOn, h.CallbackSlot, h.PauseRequested = &cb.On, cb.Slot, false
			if err := tx.Model(&HelpRequest{}).Where("id = ?", h.ID).Updates(map[string]any{"callback_on": cb.On, "callback_slot": cb.Slot, "pause_requested": false}).Error; err != nil {
				return err
			}
			return portal.Record(tx, now, caseID, portal.EventHelpCallbackRequested, portal.DebtorActor, map[string]any{"help_request_id": h.ID, "callback_on": cb.On.String(), "callback_slot": cb.Slot})
		}
		h.PauseRequested = true
		if err := tx.Model(&HelpRequest{}).Where("id = ?", h.ID).Updates(map[string]any{"pause_requested": true, "callback_on": nil, "callback_slot": ""}).Error; err != nil {
			return err
		}
		h.CallbackOn, h.CallbackSlot = nil, ""
		return portal.Record(tx, now, caseID, portal.EventHelpPauseRequested, portal.DebtorActor, map[string]any{"help_request_id": h.ID, "pause_days": PauseDays})
	})
	return h, err
}

// OpenHelpRequests lists the open help requests of the cases a user may
// see, oldest first, for the agent worklist.
func (s *Service) OpenHelpRequests(ctx context.Context, u portal.User) ([]HelpRequest, error) {
	var out []HelpRequest
	err := s.db(ctx).Model(&HelpRequest{}).Joins("JOIN cases ON cases.id = help_requests.case_id").Scopes(portal.CaseScope(u)).
		Where("help_requests.status = ?", HelpOpen).Order("help_requests.created_at, help_requests.id").Find(&out).Error
	return out, err
}

// HelpProposal recomputes, for the page after a help request, the plan the
// request's budget leaves room for today. ok is false without a budget or
// when nothing fits.
func (s *Service) HelpProposal(ctx context.Context, h HelpRequest) (o plans.Option, ok bool, err error) {
	b, has := h.BudgetFigures()
	if !has {
		return plans.Option{}, false, nil
	}
	pc, err := s.core.LoadPlanCase(s.db(ctx), h.CaseID, false)
	if err != nil {
		return plans.Option{}, false, err
	}
	if pc.CanPlan() != nil {
		return plans.Option{}, false, nil
	}
	o, ok = ProposePlan(pc.Balance, b, pc.Policy, pc.Today)
	return o, ok, nil
}
