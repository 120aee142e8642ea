package money

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
)

// openPlanStatuses are the plans that stop a case from starting another.
var openPlanStatuses = []string{portal.PlanStatusRequested, portal.PlanStatusPending, portal.PlanStatusActive}

// ErrPlanExists means the case already has an active plan.
var ErrPlanExists = &portal.ConflictError{Message: "the case already has an active plan"}

// PlanChoice is what the "set up a plan" page shows: the balance, the
// limits that apply to this case and the options within them.
type PlanChoice struct {
	CaseID       int64
	Currency     string
	BalanceCents int64
	Policy       plans.Policy
	// Today is the creditor's calendar day, from which the options start.
	Today   portal.Date
	Options []plans.Option
	// Current is the case's requested, pending or active plan, if any.
	Current *portal.Plan
}

// PlanOutcome is the answer to a plan request.
type PlanOutcome struct {
	PlanID int64
	// Status is PlanStatusPending (send the debtor to CheckoutURL) or
	// PlanStatusRequested (an agent decides by AnswerBy).
	Status      string
	CheckoutURL string
	Option      plans.Option
	// Reason is the limit the request breaks; nil within limits (a request
	// waits for an agent then only because auto_approve is off).
	Reason *plans.LimitError
	// AnswerBy is the last working day by which the debtor hears back.
	AnswerBy portal.Date
}

// PlanOptions returns the plans a debtor may choose on a case.
func (s *Service) PlanOptions(ctx context.Context, caseID int64) (PlanChoice, error) {
	db := s.db(ctx)
	pc, err := s.core.LoadPlanCase(db, caseID, false)
	if err != nil {
		return PlanChoice{}, err
	}
	ch := PlanChoice{CaseID: caseID, Currency: pc.Case.Currency, BalanceCents: pc.Balance, Policy: pc.Policy, Today: portal.Date{Time: pc.Today}}
	if err := pc.CanPlan(); err != nil {
		return ch, err
	}
	ch.Options = plans.Options(pc.Balance, pc.Policy, pc.Today)
	var cur portal.Plan
	err = db.Where("case_id = ? AND status IN ?", caseID, openPlanStatuses).Order("id DESC").
		Preload("Instalments", func(q *gorm.DB) *gorm.DB { return q.Order("seq") }).Take(&cur).Error
	switch {
	case err == nil:
		ch.Current = &cur
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return ch, err
	}
	return ch, nil
}

// PreviewPlan computes the schedule for a request and says whether it is
// within the case's limits; when it is not, reason says which limit it
// breaks. Input no schedule can be made from is an *InvalidError.
func (s *Service) PreviewPlan(ctx context.Context, caseID int64, req portal.PlanRequest) (plans.Option, bool, *plans.LimitError, error) {
	pc, err := s.core.LoadPlanCase(s.db(ctx), caseID, false)
	if err != nil {
		return plans.Option{}, false, nil, err
	}
	if err := pc.CanPlan(); err != nil {
		return plans.Option{}, false, nil, err
	}
	o, lim, err := buildOption(pc, req)
	return o, err == nil && lim == nil, lim, err
}

// buildOption makes the schedule of a request and checks it against the
// policy. A *LimitError is not a failure: the request goes to an agent.
func buildOption(pc portal.PlanCase, req portal.PlanRequest) (plans.Option, *plans.LimitError, error) {
	if !req.Frequency.Valid() {
		return plans.Option{}, nil, portal.Invalid("frequency", "frequency", "frequency must be weekly, fortnightly or monthly")
	}
	start := pc.Today
	if !req.StartOn.IsZero() {
		start = plans.DateOf(req.StartOn.Time)
		if start.Before(pc.Today) {
			return plans.Option{}, nil, portal.Invalid("start_on", "past", "the first payment cannot be in the past")
		}
	}
	var o plans.Option
	var err error
	switch {
	case req.Count > 0 && req.AffordableCents > 0:
		return o, nil, portal.Invalid("count", "one_of", "give a number of instalments or an amount per period, not both")
	case req.Count > 0:
		o, err = plans.Build(pc.Balance, req.Frequency, req.Count, pc.Policy, start)
		if errors.Is(err, plans.ErrInvalidCount) {
			return o, nil, portal.Invalid("count", "count", err.Error())
		}
	case req.AffordableCents > 0:
		o, err = plans.FromAffordable(pc.Balance, req.AffordableCents, req.Frequency, pc.Policy, pc.Today)
		var lim *plans.LimitError
		if errors.As(err, &lim) && len(o.Instalments) == 0 {
			return o, lim, nil // too many instalments to list; an agent decides
		}
		if err == nil || errors.As(err, &lim) {
			err = nil
			if !start.Equal(pc.Today) {
				o, err = plans.Build(pc.Balance, req.Frequency, o.Count, pc.Policy, start)
			}
		} else {
			return o, nil, portal.Invalid("affordable_cents", "amount", err.Error())
		}
	default:
		return o, nil, portal.Invalid("count", "required", "choose a number of instalments or an amount per period")
	}
	if err != nil {
		return o, nil, fmt.Errorf("plan for case %d: %w", pc.Case.ID, err)
	}
	o.OfferedOn = pc.Today
	var lim *plans.LimitError
	if cerr := pc.Policy.Check(o); cerr != nil && !errors.As(cerr, &lim) {
		return o, nil, cerr
	}
	return o, lim, nil
}

// sameChoice reports whether an existing plan is the schedule o, so that a
// double submit reuses it.
func sameChoice(p portal.Plan, o plans.Option, req portal.PlanRequest) bool {
	if p.Frequency != string(o.Frequency) || p.InstalmentCount != o.Count || p.TotalCents != o.TotalCents ||
		p.RequestedInstalmentCents != req.AffordableCents || len(p.Instalments) != len(o.Instalments) {
		return false
	}
	for i, in := range o.Instalments {
		if p.Instalments[i].AmountCents != in.AmountCents || !p.Instalments[i].DueOn.Equal(in.DueOn) {
			return false
		}
	}
	return true
}

// RequestPlan saves the debtor's plan. Within limits and with auto_approve,
// the plan is pending and the outcome carries the Checkout URL for the first
// instalment (or a setup session when nothing is due today); the plan turns
// active when Stripe's webhook confirms. Otherwise the plan waits for an
// agent and the case becomes plan_requested.
//
// A second submit of the same choice reuses the pending plan and its
// session; another choice replaces a plan that is not active yet.
func (s *Service) RequestPlan(ctx context.Context, caseID int64, req portal.PlanRequest, lang string) (PlanOutcome, error) {
	pc, err := s.core.LoadPlanCase(s.db(ctx), caseID, false)
	if err != nil {
		return PlanOutcome{}, err
	}
	if err := pc.CanPlan(); err != nil {
		return PlanOutcome{}, err
	}
	_, lim, err := buildOption(pc, req)
	if err != nil {
		return PlanOutcome{}, err
	}
	if lim == nil && pc.Policy.AutoApprove {
		// The customer is created before the plan so that the plan row
		// names it; a race between two submits sends the same key.
		if !s.CardEnabled() {
			return PlanOutcome{}, portal.ErrCardNotConfigured
		}
		if _, err := s.ensureCustomer(ctx, pc.Case); err != nil {
			return PlanOutcome{}, err
		}
	}

	var out PlanOutcome
	now := s.now()
	err = s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		pc, err := s.core.LoadPlanCase(tx, caseID, true)
		if err != nil {
			return err
		}
		if err := pc.CanPlan(); err != nil {
			return err
		}
		o, lim, err := buildOption(pc, req)
		if err != nil {
			return err
		}
		direct := lim == nil && pc.Policy.AutoApprove
		out = PlanOutcome{Option: o, Reason: lim, Status: portal.PlanStatusRequested}
		if direct {
			out.Status = portal.PlanStatusPending
		} else {
			out.AnswerBy = portal.PlanAnswerBy(s.now(), pc.Creditor.TimeZone)
		}
		var open []portal.Plan
		if err := tx.Where("case_id = ? AND status IN ?", caseID, openPlanStatuses).
			Preload("Instalments", func(q *gorm.DB) *gorm.DB { return q.Order("seq") }).Find(&open).Error; err != nil {
			return err
		}
		for _, p := range open {
			if p.Status == portal.PlanStatusActive {
				return ErrPlanExists
			}
			if p.Status == out.Status && sameChoice(p, o, req) {
				out.PlanID = p.ID
				return nil
			}
			if err := s.cancelPlan(tx, pc.Case, p, "replaced", portal.DebtorActor); err != nil {
				return err
			}
			if p.Status == portal.PlanStatusRequested && !direct {
				continue // the case stays plan_requested for the new request
			}
			if p.Status == portal.PlanStatusRequested {
				if err := portal.Move(tx, s.now(), pc.Case, portal.StatusOpen, portal.DebtorActor); err != nil {
					return err
				}
				pc.Case.Status = portal.StatusOpen
			}
		}
		plan, err := s.createPlan(tx, pc, o, req, out.Status, lim, now)
		if err != nil {
			return err
		}
		out.PlanID = plan.ID
		if direct {
			return portal.Record(tx, now, caseID, portal.EventPlanChosen, portal.DebtorActor, map[string]any{
				"plan_id": plan.ID, "frequency": o.Frequency, "count": o.Count, "total_cents": o.TotalCents})
		}
		data := map[string]any{"plan_id": plan.ID, "frequency": o.Frequency, "count": o.Count, "total_cents": o.TotalCents,
			"instalment_cents": o.InstalmentCents, "answer_by": out.AnswerBy.String(), "auto_approve": pc.Policy.AutoApprove}
		if lim != nil {
			data["reason"], data["limit"] = lim.Reason, lim.Limit
		}
		if err := portal.Record(tx, now, caseID, portal.EventPlanRequested, portal.DebtorActor, data); err != nil {
			return err
		}
		if pc.Case.Status != portal.StatusPlanRequested {
			return portal.Move(tx, s.now(), pc.Case, portal.StatusPlanRequested, portal.DebtorActor)
		}
		return nil
	})
	if err != nil {
		return PlanOutcome{}, err
	}
	if out.Status == portal.PlanStatusPending {
		out.CheckoutURL, err = s.startPlanSession(ctx, out.PlanID, lang)
		if err != nil {
			return PlanOutcome{}, err
		}
	}
	return out, nil
}

// createPlan inserts a plan and its instalments.
func (s *Service) createPlan(tx *gorm.DB, pc portal.PlanCase, o plans.Option, req portal.PlanRequest, status string, lim *plans.LimitError, now time.Time) (portal.Plan, error) {
	p := portal.Plan{CaseID: pc.Case.ID, Status: status, Frequency: string(o.Frequency), InstalmentCount: o.Count,
		DownPaymentCents: o.DownPaymentCents, TotalCents: o.TotalCents, RequestedInstalmentCents: req.AffordableCents,
		StripeCustomerID: pc.Case.StripeCustomerID, CreatedAt: now, UpdatedAt: now}
	if lim != nil {
		p.OutsideReason = string(lim.Reason)
	}
	if err := tx.Omit("Instalments").Create(&p).Error; err != nil {
		return p, err
	}
	return p, s.insertInstalments(tx, p, o, now)
}

func (s *Service) insertInstalments(tx *gorm.DB, p portal.Plan, o plans.Option, now time.Time) error {
	if len(o.Instalments) == 0 {
		return nil
	}
	rows := make([]portal.Instalment, len(o.Instalments))
	for i, in := range o.Instalments {
		rows[i] = portal.Instalment{PlanID: p.ID, CaseID: p.CaseID, Seq: in.Seq, DueOn: portal.Date{Time: in.DueOn}, AmountCents: in.AmountCents,
			Status: portal.InstalmentScheduled, UpdatedAt: now}
	}
	return tx.Create(&rows).Error
}

// cancelPlan stops a plan that has not started or is replaced; its unpaid
// instalments are cancelled so the scheduler never charges them.
func (s *Service) cancelPlan(tx *gorm.DB, c portal.Case, p portal.Plan, why string, actor portal.Actor) error {
	now := s.now()
	if err := tx.Model(&portal.Plan{}).Where("id = ?", p.ID).Updates(map[string]any{"status": portal.PlanStatusCancelled, "decision_reason": why, "updated_at": now}).Error; err != nil {
		return err
	}
	if err := cancelUnpaid(tx, p.ID, now); err != nil {
		return err
	}
	return portal.Record(tx, now, c.ID, portal.EventPlanCancelled, actor, map[string]any{"plan_id": p.ID, "reason": why})
}

// cancelUnpaid cancels the instalments of a plan that no charge is under way for.
func cancelUnpaid(tx *gorm.DB, planID int64, now time.Time) error {
	return tx.Model(&portal.Instalment{}).Where("plan_id = ? AND status IN ?", planID, []string{portal.InstalmentScheduled, portal.InstalmentFailed, portal.InstalmentRequiresAction}).
		Updates(map[string]any{"status": portal.InstalmentCancelled, "next_attempt_at": nil, "updated_at": now}).Error
}

// ConfirmPlan returns the Checkout URL that starts a case's pending plan: a
// plan an agent approved, or one whose Checkout the debtor left. The session
// is reused while it is valid.
func (s *Service) ConfirmPlan(ctx context.Context, caseID int64, lang string) (PlanOutcome, error) {
	var p portal.Plan
	if err := s.db(ctx).Where("case_id = ? AND status = ?", caseID, portal.PlanStatusPending).Order("id DESC").Take(&p).Error; err != nil {
		return PlanOutcome{}, portal.NotFound(err)
	}
	url, err := s.startPlanSession(ctx, p.ID, lang)
	if err != nil {
		return PlanOutcome{}, err
	}
	return PlanOutcome{PlanID: p.ID, Status: p.Status, CheckoutURL: url}, nil
}

// ApprovePlan lets an agent accept a requested plan. The schedule is built
// again from today and the current balance (the same frequency and number
// of instalments, or the same amount per period), the plan becomes pending
// and the case open: the debtor starts it with ConfirmPlan.
func (s *Service) ApprovePlan(ctx context.Context, planID int64, reason string, actor portal.Actor) (portal.Plan, error) {
	var out portal.Plan
	now := s.now()
	err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		p, pc, err := s.requestedPlan(tx, planID)
		if err != nil {
			return err
		}
		if err := pc.CanPlan(); err != nil {
			return &portal.ConflictError{Message: "the case cannot start a plan: " + portal.RefusalText(err)}
		}
		freq := plans.Frequency(p.Frequency)
		var o plans.Option
		if p.RequestedInstalmentCents > 0 {
			o, err = plans.FromAffordable(pc.Balance, p.RequestedInstalmentCents, freq, pc.Policy, pc.Today)
			var lim *plans.LimitError
			if errors.As(err, &lim) {
				err = nil
			}
		} else {
			o, err = plans.Build(pc.Balance, freq, p.InstalmentCount, pc.Policy, pc.Today)
		}
		if err == nil && len(o.Instalments) == 0 {
			err = fmt.Errorf("more than %d instalments", plans.MaxInstalments)
		}
		if err != nil {
			return &portal.ConflictError{Message: "no schedule can be made for this request"}
		}
		if err := tx.Where("plan_id = ?", p.ID).Delete(&portal.Instalment{}).Error; err != nil {
			return err
		}
		if err := s.insertInstalments(tx, p, o, now); err != nil {
			return err
		}
		if err := tx.Model(&portal.Plan{}).Where("id = ?", p.ID).Updates(map[string]any{"status": portal.PlanStatusPending, "instalment_count": o.Count,
			"down_payment_cents": o.DownPaymentCents, "total_cents": o.TotalCents, "decision_reason": reason,
			"stripe_customer_id": pc.Case.StripeCustomerID, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := portal.Record(tx, now, pc.Case.ID, portal.EventPlanApproved, actor, map[string]any{"plan_id": p.ID, "reason": reason, "count": o.Count, "total_cents": o.TotalCents}); err != nil {
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

// DeclinePlan lets an agent refuse a requested plan; the case is open again
// and reason is kept on the plan and the timeline.
func (s *Service) DeclinePlan(ctx context.Context, planID int64, reason string, actor portal.Actor) error {
	now := s.now()
	return s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		p, pc, err := s.requestedPlan(tx, planID)
		if err != nil {
			return err
		}
		if err := tx.Model(&portal.Plan{}).Where("id = ?", p.ID).Updates(map[string]any{"status": portal.PlanStatusDeclined, "decision_reason": reason, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := cancelUnpaid(tx, p.ID, now); err != nil {
			return err
		}
		if err := portal.Record(tx, now, pc.Case.ID, portal.EventPlanDeclined, actor, map[string]any{"plan_id": p.ID, "reason": reason}); err != nil {
			return err
		}
		if pc.Case.Status == portal.StatusPlanRequested {
			return portal.Move(tx, s.now(), pc.Case, portal.StatusOpen, actor)
		}
		return nil
	})
}

// requestedPlan loads a plan waiting for an agent and its case, locked.
func (s *Service) requestedPlan(tx *gorm.DB, planID int64) (portal.Plan, portal.PlanCase, error) {
	var p portal.Plan
	if err := tx.Take(&p, planID).Error; err != nil {
		return p, portal.PlanCase{}, portal.NotFound(err)
	}
	pc, err := s.core.LoadPlanCase(tx, p.CaseID, true)
	if err != nil {
		return p, pc, err
	}
	// Read again under the case lock: a concurrent decision wins once.
	if err := tx.Take(&p, planID).Error; err != nil {
		return p, pc, err
	}
	if p.Status != portal.PlanStatusRequested {
		return p, pc, &portal.ConflictError{Message: "the plan is " + p.Status + ", not waiting for a decision"}
	}
	return p, pc, nil
}

// PlanView is a plan as the debtor's self-service page shows it.
type PlanView struct {
	Plan     portal.Plan
	Currency string
	// PaidCents and RemainingCents split the plan's total.
	PaidCents      int64
	RemainingCents int64
	PaidCount      int
	// Next is the first instalment not yet paid, nil when none is left.
	Next *portal.Instalment
	// MaxMissed is how many missed instalments the plan survives.
	MaxMissed int
	// CanPayNow: the debtor may pay Next now (PayNextInstalmentNow).
	CanPayNow bool
	// CanChangeCard: the debtor may replace the saved card (ChangeCard).
	CanChangeCard bool
}

// PlanSchedule returns the case's latest plan with its instalments, for the
// self-service page; ErrNotFound when the case never had one.
func (s *Service) PlanSchedule(ctx context.Context, caseID int64) (PlanView, error) {
	db := s.db(ctx)
	var v PlanView
	err := db.Where("case_id = ?", caseID).Order("id DESC").
		Preload("Instalments", func(q *gorm.DB) *gorm.DB { return q.Order("seq") }).Take(&v.Plan).Error
	if err != nil {
		return v, portal.NotFound(err)
	}
	pc, err := s.core.LoadPlanCase(db, caseID, false)
	if err != nil {
		return v, err
	}
	v.Currency = pc.Case.Currency
	v.MaxMissed = pc.Policy.MaxMissedInstalments
	for i, in := range v.Plan.Instalments {
		switch in.Status {
		case portal.InstalmentPaid:
			v.PaidCents += in.AmountCents
			v.PaidCount++
		case portal.InstalmentCancelled:
		default:
			v.RemainingCents += in.AmountCents
			if v.Next == nil {
				v.Next = &v.Plan.Instalments[i]
			}
		}
	}
	active := v.Plan.Status == portal.PlanStatusActive && pc.Case.Status == portal.StatusPlanActive
	v.CanPayNow = active && v.Next != nil && v.Next.Status != portal.InstalmentProcessing
	v.CanChangeCard = active
	return v, nil
}
