package outreach

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/notify"
)

// Notifier sends debtors the messages that scheduled work produces: the
// reminder the day before a promised payment, and the fresh link after an
// instalment could not be charged. Every message is short and plain, in
// the debtor's language, names the creditor and never carries an amount.
type Notifier struct {
	Service *Service
	Senders notify.Senders
	// Zone decides which calendar day "today" is for promises; nil is the
	// creditors' default zone.
	Zone *time.Location
}

// reminderTTL is how long a reminder's link lives: past the promised day.
const reminderTTL = 72 * time.Hour

// RunOnce sends the reminders due today, marks missed promises and retries
// receipts that could not be emailed. It is
// safe to run often and in several processes: DuePromiseReminders claims
// each reminder once.
func (n *Notifier) RunOnce(ctx context.Context) error {
	svc := n.Service
	zone := n.Zone
	if zone == nil {
		zone = portal.Zone(portal.DefaultTimeZone)
	}
	today := portal.DateOf(svc.now().In(zone))
	due, err := svc.choices.DuePromiseReminders(ctx, today)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range due {
		if err := n.sendPromiseReminder(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := svc.choices.MissedPromises(ctx, today); err != nil {
		errs = append(errs, err)
	}
	if err := svc.money.SendPendingReceipts(ctx, n.Senders.Mail); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (n *Notifier) sendPromiseReminder(ctx context.Context, r choices.PromiseReminder) error {
	svc := n.Service
	channel := n.channelFor(ctx, r.Email, r.Phone)
	if channel == "" {
		return svc.noteMessage(ctx, r.CaseID, portal.EventPromiseReminderNotSent, map[string]any{"reason": "no channel"})
	}
	if why, err := svc.noticeBlocked(ctx, r.CaseID, channel, addressOn(channel, r.Email, r.Phone)); err != nil || why != "" {
		if err != nil {
			return err
		}
		if why == "quiet_hours" || why == "cap" {
			// Held, not lost: the reminder scheduler sends it when the
			// rules allow, if that is still before the promised day.
			if err := svc.holdNotice(ctx, r.CaseID, ReasonPromiseReminder, r.PromiseID, why); err != nil {
				return err
			}
		}
		return svc.noteMessage(ctx, r.CaseID, portal.EventPromiseReminderNotSent, map[string]any{"reason": why, "channel": channel})
	}
	link, err := svc.core.CreateLink(ctx, r.CaseID, channel, reminderTTL, portal.SystemActor)
	if err != nil {
		return err
	}
	msg, err := svc.core.WriteMessage(r.Language, "promise_reminder", map[string]any{"Creditor": r.Creditor, "URL": link.URL, "Day": r.DueOn.Time})
	if err != nil {
		return err
	}
	if err := n.send(ctx, channel, r.Email, r.Phone, msg); err != nil {
		svc.core.Log.ErrorContext(ctx, "promise reminder not sent", slog.Int64("case_id", r.CaseID), slog.String("channel", channel), slog.String("error", err.Error()))
		return svc.noteMessage(ctx, r.CaseID, portal.EventPromiseReminderNotSent, map[string]any{"channel": channel})
	}
	if err := svc.recordNotice(ctx, r.CaseID, ReasonPromiseReminder, channel, addressOn(channel, r.Email, r.Phone), &link.Link.ID); err != nil {
		return err
	}
	return svc.noteMessage(ctx, r.CaseID, portal.EventPromiseReminderSent, map[string]any{"channel": channel, "link_id": link.Link.ID})
}

// InstalmentMissed sends the debtor the link the scheduler created after a
// failed charge, so they can pay that instalment themselves. It is the
// scheduler's OnMissed callback.
func (n *Notifier) InstalmentMissed(ctx context.Context, m money.MissedInstalment) {
	svc := n.Service
	d, err := svc.core.CaseDetail(ctx, m.CaseID)
	if err != nil || m.LinkURL == "" {
		return
	}
	channel := n.channelFor(ctx, d.Case.DebtorEmail, d.Case.DebtorPhone)
	if channel == "" {
		_ = svc.noteMessage(ctx, m.CaseID, portal.EventInstalmentLinkNotSent, map[string]any{"reason": "no channel"})
		return
	}
	address := addressOn(channel, d.Case.DebtorEmail, d.Case.DebtorPhone)
	if why, err := svc.noticeBlocked(ctx, m.CaseID, channel, address); err != nil || why != "" {
		if why == "" {
			why = "error"
		}
		if why == "quiet_hours" || why == "cap" {
			_ = svc.holdNotice(ctx, m.CaseID, ReasonInstalmentMissed, m.InstalmentID, why)
			_ = svc.core.Store.DB.WithContext(ctx).Model(&portal.Link{}).Where("id = ?", m.LinkID).Update("revoked_at", svc.now()).Error
		}
		_ = svc.noteMessage(ctx, m.CaseID, portal.EventInstalmentLinkNotSent, map[string]any{"reason": why, "channel": channel})
		return
	}
	msg, err := svc.core.WriteMessage(d.Case.DebtorLanguage, "instalment_missed", map[string]any{"Creditor": d.Creditor.Name, "URL": m.LinkURL})
	if err != nil {
		svc.core.Log.ErrorContext(ctx, "instalment link not written", slog.Int64("case_id", m.CaseID), slog.String("error", err.Error()))
		return
	}
	if err := n.send(ctx, channel, d.Case.DebtorEmail, d.Case.DebtorPhone, msg); err != nil {
		svc.core.Log.ErrorContext(ctx, "instalment link not sent", slog.Int64("case_id", m.CaseID), slog.String("channel", channel), slog.String("error", err.Error()))
		_ = svc.noteMessage(ctx, m.CaseID, portal.EventInstalmentLinkNotSent, map[string]any{"channel": channel})
		return
	}
	linkID := m.LinkID
	_ = svc.recordNotice(ctx, m.CaseID, ReasonInstalmentMissed, channel, address, &linkID)
	_ = svc.noteMessage(ctx, m.CaseID, portal.EventInstalmentLinkSent, map[string]any{"channel": channel, "link_id": m.LinkID})
}

// channelFor prefers email, then SMS, among the configured channels the
// debtor can be reached on and has not opted out of; "" when none.
func (n *Notifier) channelFor(ctx context.Context, email, phone string) string {
	db := n.Service.db(ctx)
	if email != "" && n.Senders.Mail != nil {
		if out, err := optedOut(db, ChannelEmail, email); err == nil && !out {
			return ChannelEmail
		}
	}
	if phone != "" && n.Senders.SMS != nil {
		if out, err := optedOut(db, ChannelSMS, phone); err == nil && !out {
			return ChannelSMS
		}
	}
	return ""
}

// addressOn is the debtor's address on channel.
func addressOn(channel, email, phone string) string {
	if channel == ChannelSMS {
		return phone
	}
	return email
}

func (n *Notifier) send(ctx context.Context, channel, email, phone string, msg notify.Message) error {
	if channel == "email" {
		return n.Senders.Mail.SendEmail(ctx, notify.Email{To: email, Subject: msg.Subject, Text: msg.Text})
	}
	return n.Senders.SMS.SendSMS(ctx, portal.SmsNumber(phone), msg.SMS)
}

// noteMessage writes a message's fate to the case timeline.
func (s *Service) noteMessage(ctx context.Context, caseID int64, kind portal.EventKind, data map[string]any) error {
	return portal.Record(s.db(ctx), s.now(), caseID, kind, portal.SystemActor, data)
}
