package office

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
)

// LetterForUser is the first letter (CPCE R124-4) of a case in the user's
// scope, for an agent to download and print.
func (s *Service) LetterForUser(ctx context.Context, u portal.User, caseID int64) (portal.FirstLetter, error) {
	if err := s.core.UserMaySee(ctx, u, caseID); err != nil {
		return portal.FirstLetter{}, err
	}
	return s.core.FirstLetter(ctx, caseID)
}

// SendLetterForUser sends a case's first letter and records it on the
// timeline, the proof R124-4 asks for. Channel "email" emails the debtor a
// fresh link to the case page, where the letter is read and downloaded
// (the message names the letter's reference and date); "post" records
// that the agent printed and posted it. The letter keeps the date it was
// first sent.
func (s *Service) SendLetterForUser(ctx context.Context, u portal.User, caseID int64, channel string, senders notify.Senders) error {
	d, err := s.core.CaseForUser(ctx, u, caseID)
	if err != nil {
		return err
	}
	actor := portal.UserActor(u.ID)
	switch channel {
	case "post":
		return s.core.RecordLetterSent(ctx, caseID, "post", actor)
	case "email":
		if d.Case.DebtorEmail == "" {
			return portal.Invalid("channel", "no_email", "the debtor has no email address")
		}
		if senders.Mail == nil {
			return portal.Invalid("channel", "email_off", "email is not configured (SMTP_URL)")
		}
	default:
		return portal.Invalid("channel", "channel", `channel must be "email" or "post"`)
	}
	l, err := s.core.FirstLetter(ctx, caseID)
	if err != nil {
		return err
	}
	nl, err := s.core.CreateLink(ctx, caseID, "email", 0, actor)
	if err != nil {
		return err
	}
	msg, err := s.core.WriteMessage(d.Case.DebtorLanguage, "letter", map[string]any{
		"Creditor": d.Creditor.Name, "URL": nl.URL, "Reference": d.Case.Reference, "Day": l.Date,
	})
	if err != nil {
		return err
	}
	if err := senders.Mail.SendEmail(ctx, notify.Email{To: d.Case.DebtorEmail, Subject: msg.Subject, Text: msg.Text}); err != nil {
		s.core.Log.ErrorContext(ctx, "send letter", "case_id", caseID, "error", err.Error())
		now := s.now()
		rerr := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
			return tx.Model(&portal.Link{}).Where("id = ?", nl.Link.ID).Update("revoked_at", now).Error
		})
		if rerr != nil {
			return rerr
		}
		return fmt.Errorf("%w: letter by email", ErrSendFailed)
	}
	return s.core.RecordLetterSent(ctx, caseID, "email", actor)
}
