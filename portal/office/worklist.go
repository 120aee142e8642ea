package office

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"gorm.io/gorm"
)

// Reasons a case is on the worklist, as WorkReason.Kind.
const (
	// WorkPlanRequested: a plan request outside the limits waits for an
	// agent (approve, counter-offer or decline).
	WorkPlanRequested = "plan_requested"
	// WorkLinkLocked: the debtor's latest link is locked after wrong
	// identity answers; they need a new one.
	WorkLinkLocked = "link_locked"
	// WorkInstalmentFailed: an instalment was declined or needs the
	// debtor's authentication.
	WorkInstalmentFailed = "instalment_failed"
	// WorkPlanLapsed: too many missed instalments ended the plan.
	WorkPlanLapsed = "plan_lapsed"
	// WorkDispute: the debtor contests the debt; collection is paused.
	WorkDispute = "dispute"
	// WorkHelpRequest: the debtor cannot pay now, may want a callback.
	WorkHelpRequest = "help_request"
	// WorkChargeback: the debtor's bank disputes a card payment.
	WorkChargeback = "chargeback"
	// WorkOverpaid: more was paid than owed; a refund is due.
	WorkOverpaid = "overpaid"
	// WorkPromiseMissed: the debtor's latest promise to pay was missed and
	// nobody has paid, promised again or set up a plan since.
	WorkPromiseMissed = "promise_missed"
)

// WorkReasons lists every WorkReason.Kind, in the order an item shows them.
var WorkReasons = []string{WorkPlanRequested, WorkInstalmentFailed, WorkPlanLapsed, WorkLinkLocked,
	WorkHelpRequest, WorkDispute, WorkPromiseMissed, WorkChargeback, WorkUnmatched, WorkOverpaid}

// WorkReason is one reason a case needs a person.
type WorkReason struct {
	Kind string
	// Since is when it started (the oldest, when several rows give it).
	Since time.Time
	// Count is how many rows give this reason (failed instalments...).
	Count int
	// AmountCents is the money concerned: the failed instalment, the
	// chargeback, the overpayment; 0 otherwise.
	AmountCents int64
	// Plan is the requested plan of a WorkPlanRequested reason.
	Plan *portal.Plan
	// CallbackOn and CallbackSlot say when a WorkHelpRequest debtor would
	// like a call (nil and "" when they did not ask).
	CallbackOn   *portal.Date
	CallbackSlot string
	// What the debtor said, from the newest row giving the reason:
	// DisputeID, Said (the ContestReasons or HardshipReasons code) and Text
	// of a WorkDispute (DisputeID 0 when the case was marked disputed
	// another way); Said, Budget (nil when none was given), DisposableCents
	// and Pause of a WorkHelpRequest; PromisedOn and PromisedCents (0: the
	// balance) of a WorkPromiseMissed.
	DisputeID       int64
	Said            string
	Text            string
	Budget          *choices.Budget
	DisposableCents *int64
	Pause           bool
	PromisedOn      *portal.Date
	PromisedCents   int64
}

// WorkItem is one case on the worklist with every reason it is there.
type WorkItem struct {
	CaseID       int64
	Reference    string
	DebtorName   string
	Status       string
	Currency     string
	CreditorName string
	BalanceCents int64
	// Since is the oldest of the reasons.
	Since   time.Time
	Reasons []WorkReason
}

// workRow is what each reason's query answers.
type workRow struct {
	CaseID        int64
	Since         workTime
	AmountCents   int64
	PlanID        int64
	CallbackOn    *portal.Date
	CallbackSlot  string
	DisputeID     int64
	Said          string
	Text          string
	Budget        string
	Disposable    *int64
	Pause         bool
	PromisedOn    *portal.Date
	PromisedCents int64
}

// closedStatuses are cases no reminder of a link or instalment concerns.
var closedStatuses = []portal.Status{portal.StatusPaid, portal.StatusClosed}

// Worklist lists the cases in the user's scope that need a person, the
// largest balance first (then the longest waiting), each with its reasons.
// Each reason is one indexed query (see migration 00005); balances are
// summed in SQL, grouped by case, for the listed cases only.
func (s *Service) Worklist(ctx context.Context, u portal.User) ([]WorkItem, error) {
	db := s.db(ctx)
	scoped := func(table string) *gorm.DB {
		return db.Table(table).Joins("JOIN cases ON cases.id = " + table + ".case_id").Scopes(portal.CaseScope(u))
	}
	queries := []struct {
		kind string
		q    *gorm.DB
	}{
		{WorkPlanRequested, scoped("plans").Select("plans.case_id, plans.created_at AS since, plans.id AS plan_id").
			Where("plans.status = ?", portal.PlanStatusRequested)},
		{WorkLinkLocked, scoped("links").Select("links.case_id, links.locked_at AS since").
			Where("links.locked_at IS NOT NULL AND links.revoked_at IS NULL AND cases.status NOT IN ?", closedStatuses).
			Where("NOT EXISTS (SELECT 1 FROM links n WHERE n.case_id = links.case_id AND n.id > links.id)")},
		{WorkInstalmentFailed, scoped("instalments").Select("instalments.case_id, instalments.updated_at AS since, instalments.amount_cents").
			Where("instalments.status IN ? AND cases.status NOT IN ?", []string{portal.InstalmentFailed, portal.InstalmentRequiresAction}, closedStatuses)},
		{WorkPlanLapsed, scoped("plans").Select("plans.case_id, plans.updated_at AS since").
			Where("plans.status = ? AND cases.status NOT IN ?", portal.PlanStatusLapsed, closedStatuses).
			Where("NOT EXISTS (SELECT 1 FROM plans n WHERE n.case_id = plans.case_id AND n.id > plans.id)")},
		{WorkDispute, scoped("disputes").Select("disputes.case_id, disputes.created_at AS since, disputes.id AS dispute_id, disputes.reason AS said, disputes.text").
			Where("disputes.status = ?", choices.DisputeOpen)},
		// A case marked disputed another way (by the API or an agent).
		{WorkDispute, db.Table("cases").Scopes(portal.CaseScope(u)).Select("cases.id AS case_id, cases.updated_at AS since").
			Where("cases.status = ?", portal.StatusDisputed).
			Where("NOT EXISTS (SELECT 1 FROM disputes d WHERE d.case_id = cases.id AND d.status = ?)", choices.DisputeOpen)},
		{WorkHelpRequest, scoped("help_requests").Select("help_requests.case_id, help_requests.created_at AS since, help_requests.callback_on, help_requests.callback_slot, "+
			"help_requests.reason AS said, help_requests.budget, help_requests.disposable_cents AS disposable, help_requests.pause_requested AS pause").
			Where("help_requests.status = ?", choices.HelpOpen)},
		{WorkPromiseMissed, scoped("promises").Select("promises.case_id, promises.resolved_at AS since, promises.due_on AS promised_on, promises.amount_cents AS promised_cents").
			Where("promises.status = ? AND cases.status = ?", choices.PromiseMissed, portal.StatusOpen).
			Where("NOT EXISTS (SELECT 1 FROM promises n WHERE n.case_id = promises.case_id AND n.id > promises.id)")},
		{WorkChargeback, scoped("payments").Select("payments.case_id, payments.created_at AS since, -payments.amount_cents AS amount_cents").
			Where("payments.kind = ? AND payments.state = ?", portal.PaymentDispute, "open")},
		{WorkUnmatched, unmatchedQuery(scoped)},
		{WorkOverpaid, s.overpaidQuery(db, u)},
	}
	items := map[int64]*WorkItem{}
	var planIDs []int64
	for _, q := range queries {
		var rows []workRow
		if err := q.q.Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			it := items[r.CaseID]
			if it == nil {
				it = &WorkItem{CaseID: r.CaseID}
				items[r.CaseID] = it
			}
			addReason(it, q.kind, r)
			if r.PlanID != 0 {
				planIDs = append(planIDs, r.PlanID)
			}
		}
	}
	if len(items) == 0 {
		return []WorkItem{}, nil
	}
	ids := make([]int64, 0, len(items))
	for id := range items {
		ids = append(ids, id)
	}
	if err := s.fillWorkItems(db, items, ids, planIDs); err != nil {
		return nil, err
	}
	out := make([]WorkItem, 0, len(items))
	for _, it := range items {
		slices.SortStableFunc(it.Reasons, func(a, b WorkReason) int {
			return slices.Index(WorkReasons, a.Kind) - slices.Index(WorkReasons, b.Kind)
		})
		out = append(out, *it)
	}
	slices.SortFunc(out, func(a, b WorkItem) int {
		switch {
		case a.BalanceCents != b.BalanceCents:
			if a.BalanceCents > b.BalanceCents {
				return -1
			}
			return 1
		case !a.Since.Equal(b.Since):
			return a.Since.Compare(b.Since)
		}
		return int(a.CaseID - b.CaseID)
	})
	return out, nil
}

// overpaidQuery finds the cases whose payments exceed their invoice lines.
// Only cases with payments can be overpaid, so the sum starts from them.
func (s *Service) overpaidQuery(db *gorm.DB, u portal.User) *gorm.DB {
	paid := db.Table("payments").Select("case_id, SUM(amount_cents) AS paid, MAX(created_at) AS last_at").Group("case_id")
	total := "COALESCE((SELECT SUM(l.amount_cents) FROM invoice_lines l WHERE l.case_id = p.case_id), 0)"
	return db.Table("(?) AS p", paid).Joins("JOIN cases ON cases.id = p.case_id").Scopes(portal.CaseScope(u)).
		Select("p.case_id, p.last_at AS since, p.paid - " + total + " AS amount_cents").
		Where(total + " < p.paid")
}

// addReason adds one row's reason to an item: one reason per kind, with
// the oldest start and the sum of the amounts.
func addReason(it *WorkItem, kind string, r workRow) {
	since := r.Since.Time
	if it.Since.IsZero() || since.Before(it.Since) {
		it.Since = since
	}
	for i := range it.Reasons {
		if x := &it.Reasons[i]; x.Kind == kind {
			x.Count++
			x.AmountCents += r.AmountCents
			if since.Before(x.Since) {
				x.Since = since
			} else {
				addWords(x, r)
			}
			return
		}
	}
	it.Reasons = append(it.Reasons, WorkReason{Kind: kind, Since: since, Count: 1, AmountCents: r.AmountCents})
	addWords(&it.Reasons[len(it.Reasons)-1], r)
}

// addWords sets what the debtor said in a reason from a row (the newer
// row's words replace the older's).
func addWords(x *WorkReason, r workRow) {
	x.CallbackOn, x.CallbackSlot = r.CallbackOn, r.CallbackSlot
	x.DisputeID, x.Said, x.Text, x.Pause = r.DisputeID, r.Said, r.Text, r.Pause
	x.DisposableCents, x.PromisedOn, x.PromisedCents = r.Disposable, r.PromisedOn, r.PromisedCents
	x.Budget = nil
	if b, ok := (choices.HelpRequest{Budget: r.Budget}).BudgetFigures(); ok {
		x.Budget = &b
	}
}

// workChunk bounds the ids in one IN list (SQLite and PostgreSQL both
// limit the parameters of a statement).
const workChunk = 1000

// fillWorkItems loads the cases, their creditors' names, their balances
// and the requested plans of the items.
func (s *Service) fillWorkItems(db *gorm.DB, items map[int64]*WorkItem, ids, planIDs []int64) error {
	type caseRow struct {
		ID           int64
		Reference    string
		DebtorName   string
		Status       string
		Currency     string
		CreditorName string
	}
	for chunk := range slices.Chunk(ids, workChunk) {
		var cs []caseRow
		if err := db.Table("cases").Joins("JOIN creditors ON creditors.id = cases.creditor_id").
			Select("cases.id, cases.reference, cases.debtor_name, cases.status, cases.currency, creditors.name AS creditor_name").
			Where("cases.id IN ?", chunk).Scan(&cs).Error; err != nil {
			return err
		}
		for _, c := range cs {
			it := items[c.ID]
			it.Reference, it.DebtorName, it.Status, it.Currency, it.CreditorName = c.Reference, c.DebtorName, c.Status, c.Currency, c.CreditorName
		}
		balances, err := portal.CaseBalances(db, chunk)
		if err != nil {
			return err
		}
		for id, b := range balances {
			items[id].BalanceCents = b
		}
	}
	for chunk := range slices.Chunk(planIDs, workChunk) {
		var ps []portal.Plan
		if err := db.Where("id IN ?", chunk).Find(&ps).Error; err != nil {
			return err
		}
		for i := range ps {
			it := items[ps[i].CaseID]
			for j := range it.Reasons {
				if it.Reasons[j].Kind == WorkPlanRequested {
					it.Reasons[j].Plan = &ps[i]
				}
			}
		}
	}
	return nil
}

// workTime scans a time that SQLite may give as text (MAX(created_at)
// loses the column's type there).
type workTime struct{ time.Time }

// Scan implements sql.Scanner.
func (w *workTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		w.Time = time.Time{}
		return nil
	case time.Time:
		w.Time = x
		return nil
	case []byte:
		v = string(x)
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("worklist: cannot read %T as a time", v)
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			w.Time = t
			return nil
		}
	}
	return fmt.Errorf("worklist: cannot read %q as a time", s)
}

// Value implements driver.Valuer, so GORM sees a column, not a relation.
func (w workTime) Value() (driver.Value, error) { return w.Time, nil }
