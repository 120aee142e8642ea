package portal

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Link and session limits.
const (
	// MaxIdentityFailures locks a link after this many wrong answers.
	MaxIdentityFailures = 5
	// SessionIdle ends a session unused for this long.
	SessionIdle = 30 * time.Minute
	// SessionAbsolute ends any session this long after it began.
	SessionAbsolute = 12 * time.Hour
	// lastSeenGranularity: reading a page refreshes last_seen_at at most
	// this often, so browsing costs no write per request.
	lastSeenGranularity = time.Minute
	// DefaultLinkTTL is how long a link lives unless asked otherwise.
	DefaultLinkTTL = 720 * time.Hour
)

// ErrWrongAnswer means the identity answer did not match.
var ErrWrongAnswer = errors.New("wrong identity answer")

// NewLink is a link that was just created; Token and URL are shown only here.
type NewLink struct {
	Link  Link
	Token string
	URL   string
}

// CreateLink creates a secure link to a case. The token is returned once
// and only its SHA-256 is stored.
func (s *Service) CreateLink(ctx context.Context, caseID int64, channel string, ttl time.Duration, actor Actor) (NewLink, error) {
	if channel == "" {
		channel = "copy"
	}
	if channel != "copy" && channel != "email" && channel != "sms" {
		return NewLink{}, Invalid("channel", "channel", `channel must be "copy", "email" or "sms"`)
	}
	if ttl == 0 {
		ttl = DefaultLinkTTL
	}
	if ttl < time.Hour || ttl > 90*24*time.Hour {
		return NewLink{}, Invalid("ttl_hours", "ttl", "ttl_hours must be between 1 and 2160")
	}
	now := s.now()
	token := RandomToken()
	l := Link{CaseID: caseID, TokenHash: HashToken(token), Channel: channel, Purpose: "case", CreatedBy: actor.ID,
		ExpiresAt: now.Add(ttl), CreatedAt: now}
	if actor.Kind != ActorUser {
		l.CreatedBy = nil
	}
	err := s.Store.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&l).Error; err != nil {
			return err
		}
		return Record(tx, now, caseID, EventLinkCreated, actor, map[string]any{"link_id": l.ID, "channel": channel, "expires_at": l.ExpiresAt})
	})
	if err != nil {
		return NewLink{}, err
	}
	return NewLink{Link: l, Token: token, URL: strings.TrimRight(s.BaseURL, "/") + "/l/" + token}, nil
}

// Landing is what the link page may show before the identity check: the
// creditor's name and the language, never an amount or personal detail.
type Landing struct {
	LinkID       int64
	CreditorName string
	// Creditor is who is asking and how to reach them: public business
	// details, shown on the locked-link page so the debtor can ask for help.
	Creditor Creditor
	Language string
	Locked   bool
}

// usableLink finds a link by token that is neither expired nor revoked.
// Unknown, expired and revoked tokens all give ErrNotFound through the same
// single indexed lookup, so neither the answer nor its timing tells them apart.
func (s *Service) usableLink(db *gorm.DB, token string) (Link, error) {
	var l Link
	err := db.Where("token_hash = ?", HashToken(token)).Take(&l).Error
	if err != nil {
		return Link{}, NotFound(err)
	}
	if l.RevokedAt != nil || !s.now().Before(l.ExpiresAt) {
		return Link{}, ErrNotFound
	}
	return l, nil
}

// OpenLink returns the landing for a token. It consumes nothing: mail and
// SMS scanners that prefetch links change no state but the first-opened time.
func (s *Service) OpenLink(ctx context.Context, token string) (Landing, error) {
	db := s.db(ctx)
	l, err := s.usableLink(db, token)
	if err != nil {
		return Landing{}, err
	}
	var c Case
	if err := db.Take(&c, l.CaseID).Error; err != nil {
		return Landing{}, err
	}
	var cr Creditor
	if err := db.Take(&cr, c.CreditorID).Error; err != nil {
		return Landing{}, err
	}
	now := s.now()
	if l.LastOpenedAt == nil || now.Sub(*l.LastOpenedAt) > 10*time.Minute {
		err := s.Store.Tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Model(&Link{}).Where("id = ?", l.ID).Update("last_opened_at", now).Error; err != nil {
				return err
			}
			return Record(tx, now, c.ID, EventLinkOpened, DebtorActor, map[string]any{"link_id": l.ID})
		})
		if err != nil {
			return Landing{}, err
		}
	}
	return Landing{LinkID: l.ID, CreditorName: cr.Name, Creditor: cr, Language: c.DebtorLanguage, Locked: l.LockedAt != nil}, nil
}

// DebtorLogin is the result of a right identity answer.
type DebtorLogin struct {
	CaseID  int64
	Cookie  string
	Expires time.Time
}

// VerifyIdentity checks the postcode answer for a link. A right answer
// opens a new session bound to the link's case. A wrong one counts in the
// database (so the limit holds across processes) and the fifth locks the link.
func (s *Service) VerifyIdentity(ctx context.Context, token, answer string) (DebtorLogin, int, error) {
	db := s.db(ctx)
	l, err := s.usableLink(db, token)
	if err != nil {
		return DebtorLogin{}, 0, err
	}
	if l.LockedAt != nil {
		return DebtorLogin{}, 0, ErrLocked
	}
	var c Case
	if err := db.Take(&c, l.CaseID).Error; err != nil {
		return DebtorLogin{}, 0, err
	}
	want := NormalisePostcode(c.DebtorPostcode)
	got := NormalisePostcode(answer)
	if subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		left, err := s.countFailure(ctx, l)
		if err != nil {
			return DebtorLogin{}, 0, err
		}
		if left <= 0 {
			return DebtorLogin{}, 0, ErrLocked
		}
		return DebtorLogin{}, left, ErrWrongAnswer
	}
	now := s.now()
	var login DebtorLogin
	err = s.Store.Tx(ctx, func(tx *gorm.DB) error {
		// Re-check under the transaction: a lock that landed meanwhile wins.
		res := tx.Model(&Link{}).Where("id = ? AND locked_at IS NULL", l.ID).Update("failed_attempts", 0)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrLocked
		}
		cookie, expires, err := s.newSession(tx, "debtor", &c.ID, nil, &l.ID, now)
		if err != nil {
			return err
		}
		login = DebtorLogin{CaseID: c.ID, Cookie: cookie, Expires: expires}
		return Record(tx, now, c.ID, EventIdentityConfirmed, DebtorActor, map[string]any{"link_id": l.ID})
	})
	return login, 0, err
}

// countFailure adds one wrong answer to a link and locks it at the limit.
// It returns how many answers are left.
func (s *Service) countFailure(ctx context.Context, l Link) (int, error) {
	now := s.now()
	var left int
	err := s.Store.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Link{}).Where("id = ? AND locked_at IS NULL", l.ID).
			Update("failed_attempts", gorm.Expr("failed_attempts + 1"))
		if res.Error != nil {
			return res.Error
		}
		var cur Link
		if err := tx.Take(&cur, l.ID).Error; err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			left = 0
			return nil
		}
		left = MaxIdentityFailures - cur.FailedAttempts
		if err := Record(tx, now, l.CaseID, EventIdentityFailed, DebtorActor, map[string]any{"link_id": l.ID, "attempt": cur.FailedAttempts}); err != nil {
			return err
		}
		if left <= 0 {
			if err := tx.Model(&Link{}).Where("id = ?", l.ID).Update("locked_at", now).Error; err != nil {
				return err
			}
			return Record(tx, now, l.CaseID, EventLinkLocked, SystemActor, map[string]any{"link_id": l.ID})
		}
		return nil
	})
	return left, err
}

// RevokeLink stops a link from working; sessions it opened end too.
func (s *Service) RevokeLink(ctx context.Context, caseID, linkID int64, actor Actor) error {
	now := s.now()
	return s.Store.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Link{}).Where("id = ? AND case_id = ? AND revoked_at IS NULL", linkID, caseID).Update("revoked_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := tx.Model(&Session{}).Where("link_id = ? AND revoked_at IS NULL", linkID).Update("revoked_at", now).Error; err != nil {
			return err
		}
		return Record(tx, now, caseID, EventLinkRevoked, actor, map[string]any{"link_id": linkID})
	})
}
