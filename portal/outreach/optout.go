package outreach

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/portal"
)

// Where an opt-out came from.
const (
	OptOutLink    = "unsubscribe_link"
	OptOutSMSStop = "sms_stop"
	OptOutAgent   = "agent"
)

// OptOut is one address that asked for no more messages on one channel.
type OptOut struct {
	ID          int64
	Channel     string
	AddressHash string
	CaseID      *int64
	Source      string
	CreatedAt   time.Time
}

// TableName maps OptOut to opt_outs.
func (OptOut) TableName() string { return "opt_outs" }

// Unsubscribe is what a /u/{token} page needs: the channel it stops and
// who wrote, never the address.
type Unsubscribe struct {
	Channel  string
	Creditor string
	Language string
	// Done is true when the address has already opted out.
	Done bool
}

// findUnsubscribe reads the message a /u/{token} names.
func findUnsubscribe(db *gorm.DB, token string) (Message, portal.Case, error) {
	var m Message
	if token == "" {
		return m, portal.Case{}, portal.ErrNotFound
	}
	if err := db.Where("unsubscribe_hash = ?", portal.HashToken(token)).Take(&m).Error; err != nil {
		return m, portal.Case{}, portal.NotFound(err)
	}
	var c portal.Case
	if err := db.Take(&c, m.CaseID).Error; err != nil {
		return m, c, portal.NotFound(err)
	}
	return m, c, nil
}

// UnsubscribeFor describes the stop link token; an unknown token is
// portal.ErrNotFound.
func (s *Service) UnsubscribeFor(ctx context.Context, token string) (Unsubscribe, error) {
	db := s.db(ctx)
	m, c, err := findUnsubscribe(db, token)
	if err != nil {
		return Unsubscribe{}, err
	}
	var cr portal.Creditor
	if err := db.Take(&cr, c.CreditorID).Error; err != nil {
		return Unsubscribe{}, err
	}
	var n int64
	if err := db.Model(&OptOut{}).Where("channel = ? AND address_hash = ?", m.Channel, m.RecipientHash).Count(&n).Error; err != nil {
		return Unsubscribe{}, err
	}
	return Unsubscribe{Channel: m.Channel, Creditor: cr.Name, Language: c.DebtorLanguage, Done: n > 0}, nil
}

// UnsubscribeByToken opts the address a message went to out of that
// message's channel (the RFC 8058 one-click POST and the confirm form).
// Doing it twice is harmless.
func (s *Service) UnsubscribeByToken(ctx context.Context, token string) (Unsubscribe, error) {
	u, err := s.UnsubscribeFor(ctx, token)
	if err != nil {
		return Unsubscribe{}, err
	}
	m, _, err := findUnsubscribe(s.db(ctx), token)
	if err != nil {
		return Unsubscribe{}, err
	}
	if err := s.optOut(ctx, m.Channel, m.RecipientHash, []int64{m.CaseID}, OptOutLink, portal.DebtorActor); err != nil {
		return Unsubscribe{}, err
	}
	u.Done = true
	return u, nil
}

// StopWords are the inbound SMS bodies that stop SMS for their number,
// compared without case and surrounding spaces.
var StopWords = []string{"STOP", "ARRET", "ARRÊT", "STOP SMS"}

// IsStop reports whether an inbound SMS body asks to stop.
func IsStop(body string) bool {
	b := strings.ToUpper(strings.Join(strings.Fields(body), " "))
	for _, w := range StopWords {
		if b == w {
			return true
		}
	}
	return false
}

// StopSMS records an inbound STOP from a number: no SMS goes to it again,
// and every case with that number gets opted_out on its timeline. It
// returns how many cases were messaged at that number.
func (s *Service) StopSMS(ctx context.Context, from string) (int, error) {
	h := AddressHash(ChannelSMS, from)
	if h == "" {
		return 0, portal.Invalid("From", "phone", "not a phone number")
	}
	var ids []int64
	if err := s.db(ctx).Model(&Message{}).Distinct("case_id").Where("recipient_hash = ?", h).Pluck("case_id", &ids).Error; err != nil {
		return 0, err
	}
	return len(ids), s.optOut(ctx, ChannelSMS, h, ids, OptOutSMSStop, portal.DebtorActor)
}

// OptOutByAgent is the agent's toggle: the case's debtor gets no more
// messages on channel.
func (s *Service) OptOutByAgent(ctx context.Context, caseID int64, channel string, actor portal.Actor) error {
	var c portal.Case
	if err := s.db(ctx).Take(&c, caseID).Error; err != nil {
		return portal.NotFound(err)
	}
	addr := c.DebtorEmail
	if channel == ChannelSMS {
		addr = c.DebtorPhone
	} else if channel != ChannelEmail {
		return portal.Invalid("channel", "channel", `channel must be "email" or "sms"`)
	}
	h := AddressHash(channel, addr)
	if h == "" {
		return portal.Invalid("channel", "no_address", "the debtor has no address on this channel")
	}
	return s.optOut(ctx, channel, h, []int64{caseID}, OptOutAgent, actor)
}

// OptedOut lists the channels the case's debtor opted out of.
func (s *Service) OptedOut(ctx context.Context, caseID int64) ([]string, error) {
	var c portal.Case
	if err := s.db(ctx).Take(&c, caseID).Error; err != nil {
		return nil, portal.NotFound(err)
	}
	var out []string
	for _, ch := range []struct{ channel, addr string }{{ChannelEmail, c.DebtorEmail}, {ChannelSMS, c.DebtorPhone}} {
		o, err := optedOut(s.db(ctx), ch.channel, ch.addr)
		if err != nil {
			return nil, err
		}
		if o {
			out = append(out, ch.channel)
		}
	}
	return out, nil
}

// optOut stores the opt-out (once) and writes opted_out on the timeline
// of the cases named.
func (s *Service) optOut(ctx context.Context, channel, hash string, caseIDs []int64, source string, actor portal.Actor) error {
	now := s.now()
	return s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		o := OptOut{Channel: channel, AddressHash: hash, Source: source, CreatedAt: now}
		if len(caseIDs) > 0 {
			o.CaseID = &caseIDs[0]
		}
		r := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&o)
		if r.Error != nil {
			return r.Error
		}
		if r.RowsAffected == 0 {
			return nil // already opted out: the timeline has it
		}
		for _, id := range caseIDs {
			if err := portal.Record(tx, now, id, portal.EventOptedOut, actor, map[string]any{"channel": channel, "source": source}); err != nil {
				return err
			}
		}
		return nil
	})
}
