package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// ErrBadLogin means the email or the password is wrong. It does not say
// which, so a login form never tells whether an address has an account.
var ErrBadLogin = errors.New("wrong email or password")

// UserLogin is the result of a right email and password: a new
// back-office session.
type UserLogin struct {
	User    User
	Cookie  string
	Expires time.Time
}

// dummyHash is compared against when the email is unknown, so a wrong
// address costs the same bcrypt time as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte("reglo-no-such-user-password"), bcrypt.DefaultCost)
	if err != nil {
		panic(err)
	}
	return h
})

// UserByEmailPassword checks a back-office login. A wrong password counts
// in the users table (so the limit holds across processes); the
// MaxLoginFailures-th locks the account for LoginLockout, during which even
// the right password is ErrLocked. The password is never logged or stored.
func (s *Service) UserByEmailPassword(ctx context.Context, email, password string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := s.now()
	var u User
	err := s.db(ctx).Where("email = ?", email).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		s.logLogin(ctx, email, "unknown_email")
		return User{}, ErrBadLogin
	}
	if err != nil {
		return User{}, err
	}
	match := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		s.logLogin(ctx, email, "locked")
		return User{}, ErrLocked
	}
	if !match {
		locked, err := s.countLoginFailure(ctx, u.ID, now)
		if err != nil {
			return User{}, err
		}
		if locked {
			s.logLogin(ctx, email, "locked_now")
			return User{}, ErrLocked
		}
		s.logLogin(ctx, email, "wrong_password")
		return User{}, ErrBadLogin
	}
	if u.FailedLogins != 0 || u.LockedUntil != nil {
		err := s.db(ctx).Model(&User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"failed_logins": 0, "locked_until": nil}).Error
		if err != nil {
			return User{}, err
		}
		u.FailedLogins, u.LockedUntil = 0, nil
	}
	return u, nil
}

// countLoginFailure adds one wrong password and locks the account when it
// reaches the limit; the counter starts again once the lock ends.
func (s *Service) countLoginFailure(ctx context.Context, userID int64, now time.Time) (bool, error) {
	var locked bool
	err := s.Store.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", userID).
			Update("failed_logins", gorm.Expr("failed_logins + 1")).Error; err != nil {
			return err
		}
		var cur User
		if err := tx.Select("id", "failed_logins").Take(&cur, userID).Error; err != nil {
			return err
		}
		if cur.FailedLogins < MaxLoginFailures {
			return nil
		}
		locked = true
		return tx.Model(&User{}).Where("id = ?", userID).
			Updates(map[string]any{"failed_logins": 0, "locked_until": now.Add(LoginLockout)}).Error
	})
	return locked, err
}

// logLogin notes a refused login for the operators: the outcome and a
// hash of the address (enough to correlate attempts), never the password.
func (s *Service) logLogin(ctx context.Context, email, outcome string) {
	if s.Log == nil {
		return
	}
	sum := sha256.Sum256([]byte(email))
	s.Log.LogAttrs(ctx, slog.LevelWarn, "back-office login refused",
		slog.String("outcome", outcome), slog.String("email_sha256", hex.EncodeToString(sum[:8])))
}

// Login checks an email and password and opens a back-office session.
func (s *Service) Login(ctx context.Context, email, password string) (UserLogin, error) {
	u, err := s.UserByEmailPassword(ctx, email, password)
	if err != nil {
		return UserLogin{}, err
	}
	var login UserLogin
	err = s.Store.Tx(ctx, func(tx *gorm.DB) error {
		cookie, expires, err := s.newSession(tx, "user", nil, &u.ID, nil, s.now())
		login = UserLogin{User: u, Cookie: cookie, Expires: expires}
		return err
	})
	return login, err
}

// UserFromCookie returns the signed-in user a back-office session cookie
// names; anything else is ErrUnauthenticated.
func (s *Service) UserFromCookie(ctx context.Context, cookie string) (User, error) {
	sess, err := s.SessionFromCookie(ctx, cookie, "user")
	if err != nil {
		return User{}, err
	}
	if sess.UserID == nil {
		return User{}, ErrUnauthenticated
	}
	var u User
	if err := s.db(ctx).Take(&u, *sess.UserID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return User{}, ErrUnauthenticated
		}
		return User{}, err
	}
	return u, nil
}

// CaseScope limits a query on cases to those a user may see: cases of the
// creditors of the user's organisation, and only of their creditor when
// the user is limited to one. Use it as db.Scopes(CaseScope(u)) on a query
// whose table is cases.
func CaseScope(u User) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		if u.CreditorID != nil {
			db = db.Where("cases.creditor_id = ?", *u.CreditorID)
		}
		return db.Where("cases.creditor_id IN (SELECT id FROM creditors WHERE organisation_id = ?)", u.OrganisationID)
	}
}

// CaseForUser loads a case the user may see; any other case is
// ErrNotFound, so a user limited to one creditor never learns another
// creditor's case exists.
func (s *Service) CaseForUser(ctx context.Context, u User, caseID int64) (CaseDetail, error) {
	if err := s.UserMaySee(ctx, u, caseID); err != nil {
		return CaseDetail{}, err
	}
	return s.CaseDetail(ctx, caseID)
}

// userMaySee is ErrNotFound unless the case is in the user's scope.
func (s *Service) UserMaySee(ctx context.Context, u User, caseID int64) error {
	var n int64
	if err := s.db(ctx).Model(&Case{}).Scopes(CaseScope(u)).Where("cases.id = ?", caseID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// CreditorsForUser lists the creditors a user works for.
func (s *Service) CreditorsForUser(ctx context.Context, u User) ([]Creditor, error) {
	var out []Creditor
	q := s.db(ctx).Where("organisation_id = ?", u.OrganisationID)
	if u.CreditorID != nil {
		q = q.Where("id = ?", *u.CreditorID)
	}
	err := q.Order("name, id").Find(&out).Error
	return out, err
}
