package outreach

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
)

// Why a message was sent: a reminder step, or one of the older notices
// that count toward the same cap.
const (
	ReasonReminder         = "reminder"
	ReasonPromiseReminder  = "promise_reminder"
	ReasonInstalmentMissed = "instalment_missed"
	// ReasonInstalmentNotice is the notice some days before an instalment
	// of an active plan; its step is the instalment's id.
	ReasonInstalmentNotice = "instalment_notice"
)

// Message states. planned waits for its time; sending is claimed by one
// process (with a lease); sent, failed, suppressed (a rule skipped it),
// uncertain (the process died while the provider had it, so it is never
// sent again) and cancelled (the case needs no more reminders) are final.
const (
	StatePlanned    = "planned"
	StateSending    = "sending"
	StateSent       = "sent"
	StateFailed     = "failed"
	StateSuppressed = "suppressed"
	StateUncertain  = "uncertain"
	StateCancelled  = "cancelled"
)

// Message is one row of outreach_messages: a message planned or sent.
type Message struct {
	ID              int64
	CaseID          int64
	Reason          string
	Step            int
	Channel         string
	Template        string
	State           string
	DueAt           time.Time
	ClaimedUntil    *time.Time
	Attempts        int
	RecipientHash   string
	LinkID          *int64
	UnsubscribeHash *string
	Outcome         string
	SentAt          *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName maps Message to outreach_messages.
func (Message) TableName() string { return "outreach_messages" }

// AddressHash is how an address is kept for opt-outs and the cap: the
// SHA-256 of the channel and the normalised address, never the address.
func AddressHash(channel, address string) string {
	switch channel {
	case ChannelEmail:
		address = strings.ToLower(strings.TrimSpace(address))
	case ChannelSMS:
		address = portal.SmsNumber(address)
	}
	if address == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(channel + ":" + address))
	return hex.EncodeToString(sum[:])
}

// debtorHashes are the hashes of every address of a case's debtor, sorted.
func debtorHashes(c portal.Case) []string {
	var out []string
	for _, h := range []string{AddressHash(ChannelEmail, c.DebtorEmail), AddressHash(ChannelSMS, c.DebtorPhone)} {
		if h != "" {
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

// countedStates are the states of a message that reached (or may have
// reached) the debtor, for the cap.
var countedStates = []string{StateSending, StateSent, StateUncertain}

// sentSince lists when messages reached the debtor (this case, or any case
// with one of the debtor's addresses) at or after since, oldest first.
func sentSince(tx *gorm.DB, c portal.Case, since time.Time) ([]time.Time, error) {
	q := tx.Model(&Message{}).Where("state IN ? AND sent_at >= ?", countedStates, since)
	if hs := debtorHashes(c); len(hs) > 0 {
		q = q.Where("(case_id = ? OR recipient_hash IN ?)", c.ID, hs)
	} else {
		q = q.Where("case_id = ?", c.ID)
	}
	var at []time.Time
	err := q.Order("sent_at").Pluck("sent_at", &at).Error
	return at, err
}

// capFreeAt is when the cap next lets a message through: now when fewer
// than max messages went in the last 7 days, else when the oldest of the
// last max leaves the window.
func capFreeAt(sent []time.Time, now time.Time, max int) time.Time {
	if len(sent) < max {
		return now
	}
	return sent[len(sent)-max].Add(7 * 24 * time.Hour)
}

// optedOut reports whether the address has opted out of the channel.
func optedOut(tx *gorm.DB, channel, address string) (bool, error) {
	h := AddressHash(channel, address)
	if h == "" {
		return false, nil
	}
	var n int64
	err := tx.Model(&OptOut{}).Where("channel = ? AND address_hash = ?", channel, h).Count(&n).Error
	return n > 0, err
}

// stopReason says why reminders wait for the case now ("" when they may
// go): the debtor acted (promise, plan, contest, cannot pay) or the case
// is not open. final is true when the case will never need one again.
func stopReason(tx *gorm.DB, c portal.Case, balance int64) (reason string, final bool, err error) {
	switch {
	case c.Status == portal.StatusPaid || c.Status == portal.StatusClosed:
		return "case_" + string(c.Status), true, nil
	case balance <= 0:
		return "nothing_owed", false, nil
	case c.Status != portal.StatusOpen:
		return "case_" + string(c.Status), false, nil
	}
	var help int64
	if err := tx.Table("help_requests").Where("case_id = ? AND status = ?", c.ID, choices.HelpOpen).Count(&help).Error; err != nil {
		return "", false, err
	}
	if help > 0 {
		return "help_requested", false, nil
	}
	return "", false, nil
}

// oldestUnpaidDue is the due date of the oldest invoice that payments have
// not covered, paying invoices oldest due first; ok is false when nothing
// is owed.
func oldestUnpaidDue(tx *gorm.DB, caseID int64, balance int64) (portal.Date, bool, error) {
	type inv struct {
		DueOn portal.Date
		Cents int64
	}
	var invs []inv
	err := tx.Table("invoices").Select("invoices.due_on, COALESCE(SUM(invoice_lines.amount_cents), 0) AS cents").
		Joins("LEFT JOIN invoice_lines ON invoice_lines.invoice_id = invoices.id").
		Where("invoices.case_id = ?", caseID).Group("invoices.id, invoices.due_on").
		Order("invoices.due_on, invoices.id").Scan(&invs).Error
	if err != nil || balance <= 0 || len(invs) == 0 {
		return portal.Date{}, false, err
	}
	var total int64
	for _, i := range invs {
		total += i.Cents
	}
	covered := total - balance
	for _, i := range invs {
		if covered < i.Cents {
			return i.DueOn, true, nil
		}
		covered -= i.Cents
	}
	return invs[len(invs)-1].DueOn, true, nil
}

// stepTime is the earliest moment a step may go: its day counted from the
// oldest unpaid due date, at midnight in the scenario's zone (the window
// then moves it to the first allowed minute).
func stepTime(sc Scenario, due portal.Date, st Step) time.Time {
	y, m, d := due.Time.Date()
	return time.Date(y, m, d+st.Day, 0, 0, 0, 0, portal.Zone(sc.TimeZone)).UTC()
}

// minStepGap keeps two reminder steps of a case apart when they come due
// together (a scenario resumed after a broken promise goes on where it
// left off, one step at a time).
const minStepGap = 20 * time.Hour

// lockDebtor serialises, on PostgreSQL, the cap check of every process
// about one debtor's addresses until tx ends (SQLite serialises writers).
func lockDebtor(tx *gorm.DB, dialect migrations.Dialect, c portal.Case) error {
	if dialect != migrations.Postgres {
		return nil
	}
	keys := append([]string{fmt.Sprintf("case:%d", c.ID)}, debtorHashes(c)...)
	sort.Strings(keys)
	for _, k := range keys {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 12))", k).Error; err != nil {
			return err
		}
	}
	return nil
}

// recordNotice writes a promise reminder or instalment notice that was
// just sent, so it counts toward the cap like a reminder.
func (s *Service) recordNotice(ctx context.Context, caseID int64, reason, channel, address string, linkID *int64) error {
	now := s.now()
	m := Message{CaseID: caseID, Reason: reason, Channel: channel, State: StateSent, DueAt: now, SentAt: &now,
		RecipientHash: AddressHash(channel, address), LinkID: linkID, CreatedAt: now, UpdatedAt: now}
	return s.db(ctx).Create(&m).Error
}

// noticeBlocked says why a promise reminder or instalment notice may not
// go on channel now: "opted_out", "quiet_hours" or "cap" ("" when it may).
func (s *Service) noticeBlocked(ctx context.Context, caseID int64, channel, address string) (string, error) {
	var reason string
	err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		var c portal.Case
		if err := tx.Take(&c, caseID).Error; err != nil {
			return err
		}
		out, err := optedOut(tx, channel, address)
		if err != nil || out {
			reason = "opted_out"
			return err
		}
		sc, err := s.scenarioTx(tx, c.CreditorID, kindOf(c.DebtorKind))
		if err != nil {
			return err
		}
		now := s.now()
		if !sc.Allowed(now) {
			reason = "quiet_hours"
			return nil
		}
		sent, err := sentSince(tx, c, now.Add(-7*24*time.Hour))
		if err != nil {
			return err
		}
		if capFreeAt(sent, now, sc.MaxPer7Days).After(now) {
			reason = "cap"
		}
		return nil
	})
	return reason, err
}

// holdNotice plans a promise reminder (id: the promise) or a missed
// instalment's link (id: the instalment) that quiet hours or the cap held
// back: the scheduler sends it, with a fresh link, at the first moment
// allowed while it still makes sense, or drops it.
func (s *Service) holdNotice(ctx context.Context, caseID int64, reason string, id int64, why string) error {
	now := s.now()
	m := Message{CaseID: caseID, Reason: reason, Step: int(id), State: StatePlanned, DueAt: now, Outcome: why, CreatedAt: now, UpdatedAt: now}
	return s.db(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&m).Error
}

// Messages lists the messages of a case, newest first, for the agent.
func (s *Service) Messages(ctx context.Context, caseID int64) ([]Message, error) {
	var ms []Message
	err := s.db(ctx).Where("case_id = ?", caseID).Order("id DESC").Find(&ms).Error
	return ms, err
}

// OpenedLinks reports which of the case's links the debtor opened, by link
// id: what came of each message after it was sent.
func (s *Service) OpenedLinks(ctx context.Context, caseID int64) (map[int64]bool, error) {
	var ids []int64
	err := s.db(ctx).Model(&portal.Link{}).Where("case_id = ? AND last_opened_at IS NOT NULL", caseID).Pluck("id", &ids).Error
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// planFirstSteps gives every open case without a reminder row its first
// step's row; the step's real time is worked out when it is claimed.
func (s *Service) planFirstSteps(ctx context.Context) (int64, error) {
	now := s.now()
	r := s.db(ctx).Exec(`INSERT INTO outreach_messages (case_id, reason, step, state, due_at, created_at, updated_at)
		SELECT cases.id, ?, 0, ?, ?, ?, ? FROM cases
		WHERE cases.status = ? AND NOT EXISTS (SELECT 1 FROM outreach_messages m WHERE m.case_id = cases.id AND m.reason = ?)
		ON CONFLICT DO NOTHING`, ReasonReminder, StatePlanned, now, now, now, portal.StatusOpen, ReasonReminder)
	return r.RowsAffected, r.Error
}

// planInstalmentNotices gives every scheduled instalment of an active plan
// due within the notice window (at most 14 days ahead, the longest notice)
// its notice row; the claim checks the creditor's own notice days.
func (s *Service) planInstalmentNotices(ctx context.Context) (int64, error) {
	now := s.now()
	today := portal.DateOf(now.In(portal.Zone(portal.DefaultTimeZone)))
	until := portal.Date{Time: today.AddDate(0, 0, 14)}
	r := s.db(ctx).Exec(`INSERT INTO outreach_messages (case_id, reason, step, state, due_at, created_at, updated_at)
		SELECT instalments.case_id, ?, instalments.id, ?, ?, ?, ? FROM instalments
		JOIN plans ON plans.id = instalments.plan_id
		JOIN cases ON cases.id = instalments.case_id
		WHERE instalments.status = ? AND plans.status = ? AND cases.status = ? AND instalments.due_on > ? AND instalments.due_on <= ?
		AND NOT EXISTS (SELECT 1 FROM outreach_messages m WHERE m.case_id = instalments.case_id AND m.reason = ? AND m.step = instalments.id)
		ON CONFLICT DO NOTHING`, ReasonInstalmentNotice, StatePlanned, now, now, now,
		portal.InstalmentScheduled, portal.PlanStatusActive, portal.StatusPlanActive, today, until, ReasonInstalmentNotice)
	return r.RowsAffected, r.Error
}

// planNext writes the row of the step after m, due at once (its claim
// works out its time).
func planNext(tx *gorm.DB, m Message, now time.Time) error {
	next := Message{CaseID: m.CaseID, Reason: ReasonReminder, Step: m.Step + 1, State: StatePlanned, DueAt: now, CreatedAt: now, UpdatedAt: now}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&next).Error
}

// errNoRow ends a claim round: nothing is due.
var errNoRow = errors.New("no due message")
