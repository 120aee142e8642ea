package portal

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// User roles.
const (
	RoleAdmin = "admin"
	RoleAgent = "agent"
)

// Login lockout: after MaxLoginFailures wrong passwords the account is
// locked for LoginLockout.
const (
	MaxLoginFailures = 5
	LoginLockout     = 15 * time.Minute
)

// NewUser is a back-office login to create.
type NewUser struct {
	Email      string
	Password   string
	Role       string
	CreditorID *int64
}

// CreateUser creates a back-office login with a bcrypt password hash.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (User, error) {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		return User{}, Invalid("email", "email", "email is not a valid address")
	}
	if len(in.Password) < 12 || len(in.Password) > 72 {
		return User{}, Invalid("password", "password", "password must be 12 to 72 characters")
	}
	if in.Role != RoleAdmin && in.Role != RoleAgent {
		return User{}, Invalid("role", "role", `role must be "admin" or "agent"`)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
	if err != nil {
		return User{}, err
	}
	u := User{Email: in.Email, PasswordHash: string(hash), Role: in.Role, CreditorID: in.CreditorID, CreatedAt: s.now()}
	err = s.Store.Tx(ctx, func(tx *gorm.DB) error {
		if in.CreditorID != nil {
			var cr Creditor
			if err := tx.Take(&cr, *in.CreditorID).Error; err != nil {
				if errors.Is(err, gorm.ErrRecordNotFound) {
					return Invalid("creditor", "unknown_creditor", "no creditor with this id")
				}
				return err
			}
			u.OrganisationID = cr.OrganisationID
		} else {
			org, err := defaultOrganisation(tx, s.now())
			if err != nil {
				return err
			}
			u.OrganisationID = org.ID
		}
		if err := tx.Create(&u).Error; err != nil {
			if IsUniqueViolation(err) {
				return &ConflictError{Message: "a user with this email already exists"}
			}
			return err
		}
		return nil
	})
	return u, err
}
