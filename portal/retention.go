package portal

import (
	"context"
	"errors"
	"io/fs"
	"os"

	"gorm.io/gorm"
)

// RetentionCaseYears is how long a paid or closed case is kept before it is
// anonymised (CONTRACT.md "Privacy").
const RetentionCaseYears = 5

// RetentionReport says what a retention run did, or would do with DryRun.
type RetentionReport struct {
	DryRun bool `json:"dry_run"`
	// CaseIDs are the cases anonymised: paid or closed, untouched for
	// RetentionCaseYears.
	CaseIDs         []int64 `json:"case_ids"`
	UploadsDeleted  int64   `json:"uploads_deleted"`
	SessionsDeleted int64   `json:"sessions_deleted"`
	LinksDeleted    int64   `json:"links_deleted"`
	CSRFDeleted     int64   `json:"csrf_deleted"`
}

// DocumentRemover is a DocumentStorage that can delete a document's bytes
// (DiskStorage can); retention deletes debtor uploads through it.
type DocumentRemover interface {
	Remove(ctx context.Context, key string) error
}

// Remove deletes the file under key; a missing file is not an error.
func (d DiskStorage) Remove(_ context.Context, key string) error {
	err := os.Remove(d.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// RunRetention applies the retention rules: cases paid or closed and
// unchanged for RetentionCaseYears lose the debtor's name, contact details,
// postcode, search text and the files the debtor uploaded (amounts, dates
// and references stay for the accounts; the timeline and audit trail hold
// no personal data and stay whole); expired sessions, links and CSRF rows
// are deleted. With dryRun it counts and changes nothing.
func (s *Service) RunRetention(ctx context.Context, dryRun bool) (RetentionReport, error) {
	now := s.now()
	rep := RetentionReport{DryRun: dryRun, CaseIDs: []int64{}}
	cutoff := now.AddDate(-RetentionCaseYears, 0, 0)
	var uploads []Document
	err := s.Store.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Case{}).Where("status IN ? AND updated_at < ? AND debtor_name <> ''", []Status{StatusPaid, StatusClosed}, cutoff).
			Order("id").Pluck("id", &rep.CaseIDs).Error; err != nil {
			return err
		}
		if len(rep.CaseIDs) > 0 {
			if err := tx.Where("case_id IN ? AND source = ?", rep.CaseIDs, "debtor").Find(&uploads).Error; err != nil {
				return err
			}
		}
		rep.UploadsDeleted = int64(len(uploads))
		counts := []struct {
			n     *int64
			model any
			where string
		}{
			{&rep.SessionsDeleted, &Session{}, "expires_at < ?"},
			{&rep.LinksDeleted, &Link{}, "expires_at < ?"},
		}
		for _, c := range counts {
			q := tx.Model(c.model).Where(c.where, now)
			if dryRun {
				if err := q.Count(c.n).Error; err != nil {
					return err
				}
				continue
			}
			res := tx.Where(c.where, now).Delete(c.model)
			if res.Error != nil {
				return res.Error
			}
			*c.n = res.RowsAffected
		}
		csrf := tx.Table("csrf_tokens").Where("expires_at IS NOT NULL AND expires_at < ?", now)
		if dryRun {
			if err := csrf.Count(&rep.CSRFDeleted).Error; err != nil {
				return err
			}
			return nil
		}
		res := tx.Exec("DELETE FROM csrf_tokens WHERE expires_at IS NOT NULL AND expires_at < ?", now)
		if res.Error != nil {
			return res.Error
		}
		rep.CSRFDeleted = res.RowsAffected
		if len(rep.CaseIDs) == 0 {
			return nil
		}
		if err := tx.Model(&Case{}).Where("id IN ?", rep.CaseIDs).Updates(map[string]any{
			"debtor_name": "", "debtor_email": "", "debtor_phone": "", "debtor_postcode": "", "search_text": "",
			"stripe_customer_id": "", "updated_at": now,
		}).Error; err != nil {
			return err
		}
		if len(uploads) > 0 {
			ids := make([]int64, len(uploads))
			for i, d := range uploads {
				ids[i] = d.ID
			}
			if err := tx.Where("id IN ?", ids).Delete(&Document{}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || dryRun {
		return rep, err
	}
	// The files go after the rows are committed: a file left behind by a
	// failure here names no one once its row is gone, and no file a row
	// still names is ever deleted.
	if r, ok := s.Docs.(DocumentRemover); ok {
		for _, d := range uploads {
			if err := r.Remove(ctx, d.StorageKey); err != nil {
				s.Log.ErrorContext(ctx, "retention: remove upload", "document_id", d.ID, "error", err.Error())
			}
		}
	}
	return rep, nil
}
