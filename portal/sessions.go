package portal

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// newSession writes a session row and returns its signed cookie value. The
// row is keyed by the SHA-256 of the session id, so a database leak yields
// no usable cookie.
func (s *Service) newSession(tx *gorm.DB, kind string, caseID, userID, linkID *int64, now time.Time) (string, time.Time, error) {
	sid := RandomToken()
	expires := now.Add(SessionAbsolute)
	row := Session{IDHash: HashToken(sid), Kind: kind, CaseID: caseID, UserID: userID, LinkID: linkID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: expires}
	if err := tx.Create(&row).Error; err != nil {
		return "", time.Time{}, err
	}
	cookie, err := s.Secrets.SignSession(sid, kind, expires)
	return cookie, expires, err
}

// SessionFromCookie returns the live session a cookie names. Expired, idle,
// revoked or forged cookies are ErrUnauthenticated.
func (s *Service) SessionFromCookie(ctx context.Context, cookie, kind string) (Session, error) {
	if cookie == "" {
		return Session{}, ErrUnauthenticated
	}
	now := s.now()
	sid, k, err := s.Secrets.VerifySession(cookie, now)
	if err != nil || k != kind {
		return Session{}, ErrUnauthenticated
	}
	var row Session
	if err := s.db(ctx).Where("id_hash = ?", HashToken(sid)).Take(&row).Error; err != nil {
		if err == gorm.ErrRecordNotFound {
			return Session{}, ErrUnauthenticated
		}
		return Session{}, err
	}
	if row.Kind != kind || row.RevokedAt != nil || !now.Before(row.ExpiresAt) || now.Sub(row.LastSeenAt) > SessionIdle {
		return Session{}, ErrUnauthenticated
	}
	if now.Sub(row.LastSeenAt) >= lastSeenGranularity {
		if err := s.db(ctx).Model(&Session{}).Where("id_hash = ?", row.IDHash).Update("last_seen_at", now).Error; err != nil {
			return Session{}, err
		}
		row.LastSeenAt = now
	}
	return row, nil
}

// EndSession revokes the session a cookie names (logout).
func (s *Service) EndSession(ctx context.Context, cookie string) error {
	sid, _, err := s.Secrets.VerifySession(cookie, s.now())
	if err != nil {
		return nil
	}
	return s.db(ctx).Model(&Session{}).Where("id_hash = ?", HashToken(sid)).Update("revoked_at", s.now()).Error
}
