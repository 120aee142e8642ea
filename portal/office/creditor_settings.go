package office

import (
	"context"
	"encoding/json"
	"net/mail"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
)

// CreditorForAdmin loads a creditor an admin may change: one of their
// organisation, and only theirs when they are limited to one creditor. Any
// other is ErrNotFound (an admin never learns another creditor exists);
// a user who is not an admin is ErrForbidden.
func (s *Service) CreditorForAdmin(ctx context.Context, u portal.User, creditorID int64) (portal.Creditor, error) {
	if u.Role != portal.RoleAdmin {
		return portal.Creditor{}, portal.ErrForbidden
	}
	if u.CreditorID != nil && *u.CreditorID != creditorID {
		return portal.Creditor{}, portal.ErrNotFound
	}
	var c portal.Creditor
	err := s.db(ctx).Where("id = ? AND organisation_id = ?", creditorID, u.OrganisationID).Take(&c).Error
	return c, portal.NotFound(err)
}

// CreditorProfile is what debtors are shown of a creditor: its name, legal
// identity and address, how to reach it and when, and the other ways to
// pay than by card.
type CreditorProfile struct {
	Name         string
	LegalName    string
	LegalID      string
	Address      string
	ContactEmail string
	ContactPhone string
	ContactHours string
	OtherPayment string
}

// ProfileOf is a creditor's current profile.
func ProfileOf(c portal.Creditor) CreditorProfile {
	return CreditorProfile{Name: c.Name, LegalName: c.LegalName, LegalID: c.LegalID, Address: c.Address,
		ContactEmail: c.ContactEmail, ContactPhone: c.ContactPhone, ContactHours: c.ContactHours, OtherPayment: c.OtherPayment}
}

// profileLimits are the longest each field may be, in characters.
var profileLimits = []struct {
	field string
	max   int
	get   func(*CreditorProfile) *string
}{
	{"name", 200, func(p *CreditorProfile) *string { return &p.Name }},
	{"legal_name", 200, func(p *CreditorProfile) *string { return &p.LegalName }},
	{"legal_id", 100, func(p *CreditorProfile) *string { return &p.LegalID }},
	{"address", 500, func(p *CreditorProfile) *string { return &p.Address }},
	{"contact_email", 254, func(p *CreditorProfile) *string { return &p.ContactEmail }},
	{"contact_phone", 40, func(p *CreditorProfile) *string { return &p.ContactPhone }},
	{"contact_hours", 200, func(p *CreditorProfile) *string { return &p.ContactHours }},
	{"other_payment", 1000, func(p *CreditorProfile) *string { return &p.OtherPayment }},
}

// Validate trims the profile and reports every problem, in the order of
// the form's fields (Field is the form field name).
func (p *CreditorProfile) Validate() []*portal.InvalidError {
	var errs []*portal.InvalidError
	add := func(field, code, msg string) {
		errs = append(errs, &portal.InvalidError{Field: field, Code: code, Message: msg})
	}
	for _, l := range profileLimits {
		v := l.get(p)
		*v = strings.TrimSpace(strings.ReplaceAll(*v, "\r\n", "\n"))
		if utf8.RuneCountInString(*v) > l.max {
			add(l.field, "too_long", "too long")
		}
	}
	if p.Name == "" {
		add("name", "required", "name is required")
	}
	if p.LegalName == "" {
		add("legal_name", "required", "legal name is required: debtors must know who they owe")
	}
	if p.ContactEmail != "" {
		if a, err := mail.ParseAddress(p.ContactEmail); err != nil || a.Address != p.ContactEmail {
			add("contact_email", "email", "not a valid email address")
		}
	}
	if p.ContactPhone != "" && !portal.ValidPhone(p.ContactPhone) {
		add("contact_phone", "phone", "digits, spaces and an optional leading +")
	}
	return errs
}

// ProfileErrors is every problem of a profile; it unwraps to the first
// *InvalidError, so the web layer's error mapping answers 422.
type ProfileErrors []*portal.InvalidError

func (e ProfileErrors) Error() string { return e[0].Error() }

// Unwrap gives the problems to errors.As.
func (e ProfileErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, x := range e {
		out[i] = x
	}
	return out
}

// UpdateCreditorProfile validates and saves what debtors see of a
// creditor, and writes the change (old and new values of changed fields)
// to the audit trail. An invalid profile is a ProfileErrors and changes
// nothing.
func (s *Service) UpdateCreditorProfile(ctx context.Context, u portal.User, creditorID int64, p CreditorProfile) (portal.Creditor, error) {
	cr, err := s.CreditorForAdmin(ctx, u, creditorID)
	if err != nil {
		return portal.Creditor{}, err
	}
	if errs := p.Validate(); len(errs) > 0 {
		return portal.Creditor{}, ProfileErrors(errs)
	}
	old := ProfileOf(cr)
	changes := map[string]any{}
	for _, l := range profileLimits {
		if o, n := *l.get(&old), *l.get(&p); o != n {
			changes[l.field] = map[string]string{"from": o, "to": n}
		}
	}
	if len(changes) == 0 {
		return cr, nil
	}
	now := s.now()
	err = s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		err := tx.Model(&portal.Creditor{}).Where("id = ?", cr.ID).Updates(map[string]any{
			"name": p.Name, "legal_name": p.LegalName, "legal_id": p.LegalID, "address": p.Address,
			"contact_email": p.ContactEmail, "contact_phone": p.ContactPhone, "contact_hours": p.ContactHours,
			"other_payment": p.OtherPayment,
		}).Error
		if err != nil {
			return err
		}
		return audit(tx, now, u, cr.ID, "creditor_profile_updated", changes)
	})
	if err != nil {
		return portal.Creditor{}, err
	}
	return s.core.Creditor(ctx, cr.ID)
}

// UpdateCreditorPolicy validates and saves a creditor's plan limits and
// settlement offer for an admin, writing the old and new policy to the
// audit trail. Limits that contradict each other are an *InvalidError
// naming the policy field, and change nothing.
func (s *Service) UpdateCreditorPolicy(ctx context.Context, u portal.User, creditorID int64, p plans.Policy) (plans.Policy, error) {
	cr, err := s.CreditorForAdmin(ctx, u, creditorID)
	if err != nil {
		return plans.Policy{}, err
	}
	if err := p.Validate(); err != nil {
		return plans.Policy{}, portal.PolicyError(err)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return plans.Policy{}, err
	}
	old := cr.Policy()
	now := s.now()
	err = s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&portal.Creditor{}).Where("id = ?", cr.ID).Update("policy", string(raw)).Error; err != nil {
			return err
		}
		return audit(tx, now, u, cr.ID, "policy_updated", map[string]any{"from": old, "to": p})
	})
	return p, err
}
