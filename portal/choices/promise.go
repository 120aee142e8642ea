package choices

import (
	"context"
	"errors"
	"time"

	"github.com/reglo/reglo/portal"
	"gorm.io/gorm"
)

// Promise statuses: open until its day has passed; then kept (a payment
// came in since it was made) or missed. A newer promise replaces an open one.
const (
	PromiseOpen     = "open"
	PromiseKept     = "kept"
	PromiseMissed   = "missed"
	PromiseReplaced = "replaced"
)

// Promise is a debtor's promise to pay on a date. AmountCents is 0 when the
// debtor did not name an amount (they mean the balance).
type Promise struct {
	ID          int64
	CaseID      int64
	DueOn       portal.Date
	AmountCents int64
	Status      string
	RemindedAt  *time.Time
	CreatedAt   time.Time
	ResolvedAt  *time.Time
}

// PromiseWindow is the range of days a debtor may promise to pay on, in the
// creditor's time zone: from today to the policy's promise_max_days ahead.
type PromiseWindow struct {
	First portal.Date
	Last  portal.Date
}

// Contains reports whether d is in the window.
func (w PromiseWindow) Contains(d portal.Date) bool {
	return !d.Before(w.First.Time) && !d.After(w.Last.Time)
}

// PromiseWindow returns the days a debtor of this case may promise to pay on.
func (s *Service) PromiseWindow(ctx context.Context, caseID int64) (PromiseWindow, error) {
	pc, err := s.core.LoadPlanCase(s.db(ctx), caseID, false)
	if err != nil {
		return PromiseWindow{}, err
	}
	return promiseWindow(pc), nil
}

func promiseWindow(pc portal.PlanCase) PromiseWindow {
	days := pc.Policy.PromiseMaxDays
	if days < 1 {
		days = 30
	}
	return PromiseWindow{First: portal.Date{Time: pc.Today}, Last: portal.Date{Time: pc.Today.AddDate(0, 0, days)}}
}

// Promise records a promise to pay a case on date, for amountCents (0: the
// balance). The case becomes promised; an earlier open promise is replaced.
// A contested case is ErrPaymentsPaused; a paid or closed one
// ErrNothingToPay; a case with a plan is a conflict (the plan already says
// when the debtor pays).
func (s *Service) Promise(ctx context.Context, caseID int64, date portal.Date, amountCents int64) (Promise, error) {
	var p Promise
	err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		pc, err := s.core.LoadPlanCase(tx, caseID, true)
		if err != nil {
			return err
		}
		if err := portal.May(pc.Case.Status, pc.Balance, portal.ActionPromise); err != nil {
			return err
		}
		if w := promiseWindow(pc); !w.Contains(date) {
			return portal.Invalid("date", "promise_date_range", "the date must be between "+w.First.String()+" and "+w.Last.String())
		}
		if amountCents < 0 || amountCents > pc.Balance {
			return portal.Invalid("amount", "promise_amount_range", "the amount must be positive and at most the balance")
		}
		now := s.now()
		if err := tx.Model(&Promise{}).Where("case_id = ? AND status = ?", caseID, PromiseOpen).
			Updates(map[string]any{"status": PromiseReplaced, "resolved_at": now}).Error; err != nil {
			return err
		}
		p = Promise{CaseID: caseID, DueOn: date, AmountCents: amountCents, Status: PromiseOpen, CreatedAt: now}
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		data := map[string]any{"promise_id": p.ID, "date": date.String()}
		if amountCents > 0 {
			data["amount_cents"] = amountCents
		}
		if err := portal.Record(tx, now, caseID, portal.EventPromiseMade, portal.DebtorActor, data); err != nil {
			return err
		}
		if pc.Case.Status != portal.StatusPromised {
			return portal.Move(tx, s.now(), pc.Case, portal.StatusPromised, portal.DebtorActor)
		}
		return nil
	})
	return p, err
}

// OpenPromise returns the case's open promise, or nil.
func (s *Service) OpenPromise(ctx context.Context, caseID int64) (*Promise, error) {
	var p Promise
	err := s.db(ctx).Where("case_id = ? AND status = ?", caseID, PromiseOpen).Order("id DESC").Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// PromiseReminder is a reminder to send the day before a promised date:
// whom to write to, in which language, and what was promised.
type PromiseReminder struct {
	PromiseID   int64
	CaseID      int64
	Reference   string
	Creditor    string
	DebtorName  string
	Email       string
	Phone       string
	Language    string
	DueOn       portal.Date
	AmountCents int64
	Currency    string
}

// DuePromiseReminders claims the open promises due tomorrow (today is the
// creditor's calendar day) whose reminder has not gone out, writes
// promise_reminder_due on each case's timeline and returns them for the
// notify package to send (with a fresh link). Each promise is claimed once,
// even when several processes run this at the same time.
func (s *Service) DuePromiseReminders(ctx context.Context, today portal.Date) ([]PromiseReminder, error) {
	tomorrow := portal.Date{Time: today.AddDate(0, 0, 1)}
	var due []Promise
	if err := s.db(ctx).Where("status = ? AND due_on = ? AND reminded_at IS NULL", PromiseOpen, tomorrow).Order("id").Find(&due).Error; err != nil {
		return nil, err
	}
	var out []PromiseReminder
	for _, p := range due {
		var r *PromiseReminder
		err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
			now := s.now()
			res := tx.Model(&Promise{}).Where("id = ? AND status = ? AND reminded_at IS NULL", p.ID, PromiseOpen).Update("reminded_at", now)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error // another process claimed it
			}
			var c portal.Case
			if err := tx.Take(&c, p.CaseID).Error; err != nil {
				return err
			}
			var cr portal.Creditor
			if err := tx.Take(&cr, c.CreditorID).Error; err != nil {
				return err
			}
			if err := portal.Record(tx, now, p.CaseID, portal.EventPromiseReminderDue, portal.SystemActor, map[string]any{"promise_id": p.ID, "date": p.DueOn.String()}); err != nil {
				return err
			}
			r = &PromiseReminder{PromiseID: p.ID, CaseID: c.ID, Reference: c.Reference, Creditor: cr.Name, DebtorName: c.DebtorName,
				Email: c.DebtorEmail, Phone: c.DebtorPhone, Language: c.DebtorLanguage, DueOn: p.DueOn, AmountCents: p.AmountCents, Currency: c.Currency}
			return nil
		})
		if err != nil {
			return out, err
		}
		if r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}

// MissedPromises closes the open promises whose day is before today: kept
// when a payment came in since the promise was made, missed otherwise. A
// missed promise writes promise_missed and puts a still-promised case back
// to open, where the agent worklist finds it (MissedPromiseCases).
func (s *Service) MissedPromises(ctx context.Context, today portal.Date) ([]Promise, error) {
	var past []Promise
	if err := s.db(ctx).Where("status = ? AND due_on < ?", PromiseOpen, today).Order("id").Find(&past).Error; err != nil {
		return nil, err
	}
	var missed []Promise
	for _, p := range past {
		var isMissed bool
		err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
			pc, err := s.core.LoadPlanCase(tx, p.CaseID, true)
			if err != nil {
				return err
			}
			var paid int64
			if err := tx.Model(&portal.Payment{}).Where("case_id = ? AND amount_cents > 0 AND kind IN ? AND created_at >= ?",
				p.CaseID, []string{portal.PaymentCard, portal.PaymentInstalment}, p.CreatedAt).Count(&paid).Error; err != nil {
				return err
			}
			status := PromiseMissed
			if paid > 0 {
				status = PromiseKept
			}
			now := s.now()
			res := tx.Model(&Promise{}).Where("id = ? AND status = ?", p.ID, PromiseOpen).Updates(map[string]any{"status": status, "resolved_at": now})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			if status == PromiseKept {
				if pc.Case.Status == portal.StatusPromised {
					return portal.Move(tx, s.now(), pc.Case, portal.StatusOpen, portal.SystemActor)
				}
				return nil
			}
			isMissed = true
			if err := portal.Record(tx, now, p.CaseID, portal.EventPromiseMissed, portal.SystemActor, map[string]any{"promise_id": p.ID, "date": p.DueOn.String()}); err != nil {
				return err
			}
			if pc.Case.Status == portal.StatusPromised {
				return portal.Move(tx, s.now(), pc.Case, portal.StatusOpen, portal.SystemActor)
			}
			return nil
		})
		if err != nil {
			return missed, err
		}
		if isMissed {
			p.Status = PromiseMissed
			missed = append(missed, p)
		}
	}
	return missed, nil
}

// MissedPromiseCases lists, for the agent worklist, the missed promises of
// the cases a user may see that are still open (nobody has since paid,
// promised again or set up a plan), oldest first.
func (s *Service) MissedPromiseCases(ctx context.Context, u portal.User) ([]Promise, error) {
	var out []Promise
	err := s.db(ctx).Model(&Promise{}).
		Joins("JOIN cases ON cases.id = promises.case_id").Scopes(portal.CaseScope(u)).
		Where("promises.status = ? AND cases.status = ?", PromiseMissed, portal.StatusOpen).
		Where("promises.id = (SELECT MAX(p2.id) FROM promises p2 WHERE p2.case_id = promises.case_id)").
		Order("promises.due_on, promises.id").Find(&out).Error
	return out, err
}
