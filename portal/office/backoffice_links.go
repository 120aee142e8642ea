package office

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
)

// ErrSendFailed means the email or SMS server refused or did not answer;
// the link made for the message is revoked, so no unsent link lives on.
var ErrSendFailed = errors.New("message not sent")

// SendLinkForUser creates a link to a case in the user's scope, with the
// user as its actor, and sends it by email or SMS (channel "copy" only
// creates it: the agent reads it out or pastes it). The debtor needs an
// email or a phone for those channels, and the channel must be
// configured; otherwise nothing is created.
func (s *Service) SendLinkForUser(ctx context.Context, u portal.User, caseID int64, channel string, senders notify.Senders) (portal.NewLink, error) {
	d, err := s.core.CaseForUser(ctx, u, caseID)
	if err != nil {
		return portal.NewLink{}, err
	}
	switch channel {
	case "copy":
	case "email":
		if d.Case.DebtorEmail == "" {
			return portal.NewLink{}, portal.Invalid("channel", "no_email", "the debtor has no email address")
		}
		if senders.Mail == nil {
			return portal.NewLink{}, portal.Invalid("channel", "email_off", "email is not configured (SMTP_URL)")
		}
	case "sms":
		if d.Case.DebtorPhone == "" {
			return portal.NewLink{}, portal.Invalid("channel", "no_phone", "the debtor has no phone number")
		}
		if senders.SMS == nil {
			return portal.NewLink{}, portal.Invalid("channel", "sms_off", "SMS is not configured (SMS_API_URL)")
		}
	default:
		return portal.NewLink{}, portal.Invalid("channel", "channel", `channel must be "copy", "email" or "sms"`)
	}
	actor := portal.UserActor(u.ID)
	nl, err := s.core.CreateLink(ctx, caseID, channel, 0, actor)
	if err != nil {
		return portal.NewLink{}, err
	}
	if channel == "copy" {
		return nl, nil
	}
	msg, err := s.core.WriteMessage(d.Case.DebtorLanguage, "link", map[string]any{"Creditor": d.Creditor.Name, "URL": nl.URL})
	if err != nil {
		return portal.NewLink{}, err
	}
	if channel == "email" {
		err = senders.Mail.SendEmail(ctx, notify.Email{To: d.Case.DebtorEmail, Subject: msg.Subject, Text: msg.Text})
	} else {
		err = senders.SMS.SendSMS(ctx, portal.SmsNumber(d.Case.DebtorPhone), msg.SMS)
	}
	now := s.now()
	if err != nil {
		s.core.Log.ErrorContext(ctx, "send link", "case_id", caseID, "channel", channel, "error", err.Error())
		rerr := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Model(&portal.Link{}).Where("id = ?", nl.Link.ID).Update("revoked_at", now).Error; err != nil {
				return err
			}
			return portal.Record(tx, now, caseID, portal.EventLinkSendFailed, actor, map[string]any{"link_id": nl.Link.ID, "channel": channel})
		})
		if rerr != nil {
			return portal.NewLink{}, rerr
		}
		return portal.NewLink{}, fmt.Errorf("%w: %s", ErrSendFailed, channel)
	}
	err = s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		return portal.Record(tx, now, caseID, portal.EventLinkSent, actor, map[string]any{"link_id": nl.Link.ID, "channel": channel})
	})
	return nl, err
}

// RevokeLinkForUser revokes a link of a case in the user's scope, with the
// user as actor.
func (s *Service) RevokeLinkForUser(ctx context.Context, u portal.User, caseID, linkID int64) error {
	if err := s.core.UserMaySee(ctx, u, caseID); err != nil {
		return err
	}
	return s.core.RevokeLink(ctx, caseID, linkID, portal.UserActor(u.ID))
}

// LinksForUser lists a case's links, newest first, for a user who may see it.
func (s *Service) LinksForUser(ctx context.Context, u portal.User, caseID int64) ([]portal.Link, error) {
	if err := s.core.UserMaySee(ctx, u, caseID); err != nil {
		return nil, err
	}
	var ls []portal.Link
	err := s.db(ctx).Where("case_id = ?", caseID).Order("id DESC").Find(&ls).Error
	return ls, err
}

// TimelineForUser is a case's timeline, oldest first, for a user who may see it.
func (s *Service) TimelineForUser(ctx context.Context, u portal.User, caseID int64) ([]portal.TimelineEvent, error) {
	if err := s.core.UserMaySee(ctx, u, caseID); err != nil {
		return nil, err
	}
	return s.core.Timeline(ctx, caseID)
}

// UsersByID names the users of the timeline's actors (their email).
func (s *Service) UsersByID(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var us []portal.User
	if err := s.db(ctx).Select("id", "email").Where("id IN ?", ids).Find(&us).Error; err != nil {
		return nil, err
	}
	for _, u := range us {
		out[u.ID] = u.Email
	}
	return out, nil
}
