package portal

import (
	"context"
	"time"

	"github.com/reglo/reglo/plans"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// planCase is a case with what plan decisions need, read in one place.
type PlanCase struct {
	Case     Case
	Creditor Creditor
	Policy   plans.Policy
	Balance  int64
	// Today is the creditor's calendar day as plans wants it (midnight UTC).
	Today time.Time
}

// loadPlanCase reads the case, its creditor, policy and balance through db
// (a transaction or not); lock takes the case row lock that webhooks take,
// so plan changes on one case apply one after the other.
func (s *Service) LoadPlanCase(db *gorm.DB, caseID int64, lock bool) (PlanCase, error) {
	var pc PlanCase
	q := db
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Take(&pc.Case, caseID).Error; err != nil {
		return pc, NotFound(err)
	}
	if err := db.Take(&pc.Creditor, pc.Case.CreditorID).Error; err != nil {
		return pc, err
	}
	b, err := BalanceTx(db, caseID)
	if err != nil {
		return pc, err
	}
	pc.Balance = b.Cents()
	pc.Policy = s.PolicyFor(CaseDetail{Case: pc.Case, Creditor: pc.Creditor})
	pc.Today = s.CreditorToday(pc.Creditor)
	return pc, nil
}

// creditorToday is today's date in the creditor's time zone, so the debtor
// and the schedule agree on what "today" is.
func (s *Service) CreditorToday(cr Creditor) time.Time {
	return creditorDay(s.now(), cr.TimeZone)
}

// creditorDay is the calendar day of t in a creditor's time zone.
func creditorDay(t time.Time, timeZone string) time.Time {
	return plans.DateOf(t.In(Zone(timeZone)))
}

// policyFor is the case's policy: an agent's override, or the creditor's.
func (s *Service) PolicyFor(d CaseDetail) plans.Policy {
	if d.Case.PolicyOverride != nil && *d.Case.PolicyOverride != "" {
		return Creditor{PolicyJSON: *d.Case.PolicyOverride}.Policy()
	}
	return d.Creditor.Policy()
}

// CaseDetail is a case with everything a page or API answer shows of it.
type CaseDetail struct {
	Case      Case
	Creditor  Creditor
	Invoices  []Invoice
	Documents []Document
	Payments  []Payment
	Plan      *Plan
	Balance   Balance
	// Unmatched is the money Stripe reported that could not be matched to
	// what this case paid, resolved or not, newest first; never in the
	// balance.
	Unmatched []UnmatchedMoney
}

// UnmatchedCents is the unresolved part of the case's unmatched money.
func (d CaseDetail) UnmatchedCents() int64 {
	var n int64
	for _, u := range d.Unmatched {
		if u.ResolvedAt == nil {
			n += u.AmountCents
		}
	}
	return n
}

// CaseDetail loads a case and all that belongs to it.
func (s *Service) CaseDetail(ctx context.Context, caseID int64) (CaseDetail, error) {
	var d CaseDetail
	db := s.db(ctx)
	if err := db.Take(&d.Case, caseID).Error; err != nil {
		return d, NotFound(err)
	}
	if err := db.Take(&d.Creditor, d.Case.CreditorID).Error; err != nil {
		return d, err
	}
	if err := db.Where("case_id = ?", caseID).Order("due_on, id").
		Preload("Lines", func(q *gorm.DB) *gorm.DB { return q.Order("position, id") }).
		Find(&d.Invoices).Error; err != nil {
		return d, err
	}
	if err := db.Where("case_id = ?", caseID).Order("id").Find(&d.Documents).Error; err != nil {
		return d, err
	}
	if err := db.Where("case_id = ?", caseID).Order("created_at, id").Find(&d.Payments).Error; err != nil {
		return d, err
	}
	if err := db.Where("case_id = ? AND amount_cents <> 0", caseID).Order("id DESC").Find(&d.Unmatched).Error; err != nil {
		return d, err
	}
	var plan Plan
	err := db.Where("case_id = ? AND status IN ?", caseID, []string{"requested", "pending", "active"}).
		Preload("Instalments", func(q *gorm.DB) *gorm.DB { return q.Order("seq") }).
		Order("id DESC").Take(&plan).Error
	switch {
	case err == nil:
		d.Plan = &plan
	case err != gorm.ErrRecordNotFound:
		return d, err
	}
	for _, inv := range d.Invoices {
		for _, l := range inv.Lines {
			d.Balance.TotalCents += l.AmountCents
		}
	}
	d.Balance = SumPayments(d.Balance.TotalCents, d.Payments)
	return d, nil
}

// Totals by line kind, for the case page's breakdown.
func (d CaseDetail) TotalsByKind() map[string]int64 {
	t := map[string]int64{}
	for _, inv := range d.Invoices {
		for _, l := range inv.Lines {
			t[l.Kind] += l.AmountCents
		}
	}
	return t
}

// CanPlan asks the rulebook whether a plan may start on the case.
func (pc PlanCase) CanPlan() error {
	return May(pc.Case.Status, pc.Balance, ActionPlan)
}
