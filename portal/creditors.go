package portal

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/plans"
)

// NewCreditor is what is needed to create a creditor.
type NewCreditor struct {
	OrganisationID int64
	Name           string
	LegalName      string
	LegalID        string
	Address        string
	Currency       string
	ContactEmail   string
	ContactPhone   string
	ContactHours   string
	OtherPayment   string
	Policy         *plans.Policy
}

// CreateCreditor creates a creditor with the default policy (unless one is
// given) and returns it with a fresh API key, shown only this once.
func (s *Service) CreateCreditor(ctx context.Context, in NewCreditor) (Creditor, string, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return Creditor{}, "", Invalid("name", "required", "name is required")
	}
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if in.Currency == "" {
		in.Currency = "EUR"
	}
	if !ValidCurrency(in.Currency) {
		return Creditor{}, "", Invalid("currency", "currency", "currency must be a supported ISO 4217 code")
	}
	pol := plans.DefaultPolicy()
	if in.Policy != nil {
		pol = *in.Policy
	}
	raw, err := json.Marshal(pol)
	if err != nil {
		return Creditor{}, "", err
	}
	if in.LegalName == "" {
		in.LegalName = in.Name
	}
	cr := Creditor{
		Name: in.Name, LegalName: in.LegalName, LegalID: in.LegalID, Address: in.Address, Currency: in.Currency,
		ContactEmail: in.ContactEmail, ContactPhone: in.ContactPhone, ContactHours: in.ContactHours, OtherPayment: in.OtherPayment,
		TimeZone: "Europe/Paris", PolicyJSON: string(raw), CreatedAt: s.now(),
	}
	var key string
	err = s.Store.Tx(ctx, func(tx *gorm.DB) error {
		orgID := in.OrganisationID
		if orgID == 0 {
			org, err := defaultOrganisation(tx, s.now())
			if err != nil {
				return err
			}
			orgID = org.ID
		}
		cr.OrganisationID = orgID
		if err := tx.Create(&cr).Error; err != nil {
			return err
		}
		var err error
		key, err = CreateAPIKey(tx, cr.ID, s.now())
		return err
	})
	return cr, key, err
}

func CreateAPIKey(tx *gorm.DB, creditorID int64, now time.Time) (string, error) {
	key := "rk_" + RandomToken()
	k := APIKey{CreditorID: creditorID, Prefix: key[:10], KeyHash: HashToken(key), CreatedAt: now}
	return key, tx.Create(&k).Error
}

// CreditorByAPIKey returns the creditor a bearer key belongs to, or
// ErrUnauthenticated. Keys are compared by their SHA-256 only.
func (s *Service) CreditorByAPIKey(ctx context.Context, key string) (Creditor, error) {
	if !strings.HasPrefix(key, "rk_") {
		return Creditor{}, ErrUnauthenticated
	}
	var k APIKey
	err := s.db(ctx).Where("key_hash = ? AND revoked_at IS NULL", HashToken(key)).Take(&k).Error
	if err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Creditor{}, ErrUnauthenticated
		}
		return Creditor{}, err
	}
	return s.Creditor(ctx, k.CreditorID)
}

// Creditor loads one creditor.
func (s *Service) Creditor(ctx context.Context, id int64) (Creditor, error) {
	var c Creditor
	err := s.db(ctx).Take(&c, id).Error
	return c, NotFound(err)
}

// Policy decodes the creditor's plan limits.
func (c Creditor) Policy() plans.Policy {
	p := plans.DefaultPolicy()
	if c.PolicyJSON != "" {
		_ = json.Unmarshal([]byte(c.PolicyJSON), &p)
	}
	return p
}

// UpdatePolicy validates and saves a creditor's plan limits.
func (s *Service) UpdatePolicy(ctx context.Context, creditorID int64, p plans.Policy, actor Actor) (plans.Policy, error) {
	if err := p.Validate(); err != nil {
		return plans.Policy{}, PolicyError(err)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return plans.Policy{}, err
	}
	res := s.db(ctx).Model(&Creditor{}).Where("id = ?", creditorID).Update("policy", string(raw))
	if res.Error != nil {
		return plans.Policy{}, res.Error
	}
	if res.RowsAffected == 0 {
		return plans.Policy{}, ErrNotFound
	}
	return p, nil
}

// validCurrency accepts the currencies Reglo formats and Stripe charges in
// minor units of two decimals.
func ValidCurrency(c string) bool {
	switch c {
	case "EUR", "GBP", "USD", "CHF", "CAD":
		return true
	}
	return false
}

// defaultOrganisation returns the first organisation, creating it on a new
// database: a single-tenant install needs no set-up step for it.
func defaultOrganisation(tx *gorm.DB, now time.Time) (Organisation, error) {
	var org Organisation
	err := tx.Order("id").Take(&org).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		org = Organisation{Name: "Reglo", CreatedAt: now}
		err = tx.Create(&org).Error
	}
	return org, err
}

// policyError turns the plans package's validation error into a domain
// InvalidError naming the JSON field.
func PolicyError(err error) error {
	var fe *plans.FieldError
	if errors.As(err, &fe) {
		return Invalid(fe.Field, "policy", fe.Message)
	}
	return Invalid("policy", "policy", err.Error())
}
