package portal

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// FirstLetter is what the first letter of a case (French CPCE R124-4)
// says, before the web layer writes it in the debtor's language: the case
// as it stands, the agency that writes (if any) and the date of sending.
type FirstLetter struct {
	Detail    CaseDetail
	Collector Collector
	// SentAt is when the letter was first recorded as sent; zero if it
	// never was (the letter is then dated today).
	SentAt time.Time
	// Date is the date the letter carries, in the creditor's time zone.
	Date time.Time
}

// FirstLetter loads the first letter of a case. It carries the date it was
// first sent, so the debtor, the agent and the creditor read the same
// letter whenever they download it.
func (s *Service) FirstLetter(ctx context.Context, caseID int64) (FirstLetter, error) {
	d, err := s.CaseDetail(ctx, caseID)
	if err != nil {
		return FirstLetter{}, err
	}
	l := FirstLetter{Detail: d, Collector: s.Collector}
	var ev TimelineEvent
	err = s.db(ctx).Where("case_id = ? AND kind = ?", caseID, EventLetterSent).Order("id").Take(&ev).Error
	switch {
	case err == nil:
		l.SentAt = ev.CreatedAt
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return FirstLetter{}, err
	}
	at := l.SentAt
	if at.IsZero() {
		at = s.now()
	}
	loc := Zone(d.Creditor.TimeZone)
	y, m, day := at.In(loc).Date()
	l.Date = time.Date(y, m, day, 0, 0, 0, 0, loc)
	return l, nil
}

// FirstLetterForCreditor is FirstLetter for the creditor API: another
// creditor's case is ErrNotFound.
func (s *Service) FirstLetterForCreditor(ctx context.Context, creditorID, caseID int64) (FirstLetter, error) {
	var n int64
	if err := s.db(ctx).Model(&Case{}).Where("id = ? AND creditor_id = ?", caseID, creditorID).Count(&n).Error; err != nil {
		return FirstLetter{}, err
	}
	if n == 0 {
		return FirstLetter{}, ErrNotFound
	}
	return s.FirstLetter(ctx, caseID)
}

// RecordLetterSent writes on the timeline that the first letter went out
// (by email, or printed and posted: channel "email" or "post"), as the
// proof trail of R124-4.
func (s *Service) RecordLetterSent(ctx context.Context, caseID int64, channel string, actor Actor) error {
	return s.Store.Tx(ctx, func(tx *gorm.DB) error {
		return Record(tx, s.now(), caseID, EventLetterSent, actor, map[string]any{"channel": channel})
	})
}
