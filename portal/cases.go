package portal

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// NewCase is a case as a creditor submits it (the outside contract's POST /api/v1/cases).
type NewCase struct {
	Reference string       `json:"reference"`
	Debtor    NewDebtor    `json:"debtor"`
	Currency  string       `json:"currency"`
	Invoices  []NewInvoice `json:"invoices"`
}

// NewDebtor is the person or business that owes the money.
type NewDebtor struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Postcode string `json:"postcode"`
	Language string `json:"language"`
	Kind     string `json:"kind"`
}

// NewInvoice is one invoice of a new case.
type NewInvoice struct {
	Number      string    `json:"number"`
	IssuedOn    string    `json:"issued_on"`
	DueOn       string    `json:"due_on"`
	Description string    `json:"description"`
	Lines       []NewLine `json:"lines"`
}

// NewLine is one amount on a new invoice.
type NewLine struct {
	Label       string `json:"label"`
	AmountCents int64  `json:"amount_cents"`
	Kind        string `json:"kind"`
	// Basis says what an interest or fee line rests on (see CheckLines).
	Basis string `json:"basis,omitempty"`
}

// maxCaseCents bounds a case total so sums can never overflow int64.
const MaxCaseCents = 1_000_000_000_00 // one billion in major units

// validate checks every field and returns the first problem with its
// JSON path, so an API client can fix it.
func (n *NewCase) Validate(defaultCurrency string) error {
	n.Reference = strings.TrimSpace(n.Reference)
	d := &n.Debtor
	d.Name = strings.TrimSpace(d.Name)
	d.Email = strings.TrimSpace(d.Email)
	d.Phone = strings.TrimSpace(d.Phone)
	d.Postcode = strings.TrimSpace(d.Postcode)
	if n.Reference == "" || utf8.RuneCountInString(n.Reference) > 64 {
		return Invalid("reference", "required", "reference is required (at most 64 characters)")
	}
	if d.Name == "" || utf8.RuneCountInString(d.Name) > 200 {
		return Invalid("debtor.name", "required", "debtor name is required (at most 200 characters)")
	}
	if d.Email != "" {
		if a, err := mail.ParseAddress(d.Email); err != nil || a.Address != d.Email {
			return Invalid("debtor.email", "email", "debtor email is not a valid address")
		}
	}
	if d.Phone != "" && !ValidPhone(d.Phone) {
		return Invalid("debtor.phone", "phone", "debtor phone must be digits, spaces and an optional leading +")
	}
	if NormalisePostcode(d.Postcode) == "" || len(d.Postcode) > 16 {
		return Invalid("debtor.postcode", "required", "debtor postcode is required: it is the debtor's identity check")
	}
	if d.Language == "" {
		d.Language = "fr"
	}
	if d.Language != "fr" && d.Language != "en" {
		return Invalid("debtor.language", "language", `debtor language must be "fr" or "en"`)
	}
	if d.Kind == "" {
		d.Kind = "consumer"
	}
	if d.Kind != "consumer" && d.Kind != "business" {
		return Invalid("debtor.kind", "kind", `debtor kind must be "consumer" or "business"`)
	}
	n.Currency = strings.ToUpper(strings.TrimSpace(n.Currency))
	if n.Currency == "" {
		n.Currency = defaultCurrency
	}
	if !ValidCurrency(n.Currency) {
		return Invalid("currency", "currency", "currency must be a supported ISO 4217 code (EUR, GBP, USD, CHF, CAD)")
	}
	if len(n.Invoices) == 0 || len(n.Invoices) > 200 {
		return Invalid("invoices", "required", "a case needs between 1 and 200 invoices")
	}
	var total int64
	numbers := map[string]bool{}
	for i := range n.Invoices {
		inv := &n.Invoices[i]
		p := fmt.Sprintf("invoices[%d]", i)
		inv.Number = strings.TrimSpace(inv.Number)
		if inv.Number == "" || len(inv.Number) > 64 {
			return Invalid(p+".number", "required", "invoice number is required (at most 64 characters)")
		}
		if numbers[inv.Number] {
			return Invalid(p+".number", "duplicate", "invoice numbers must be unique within a case")
		}
		numbers[inv.Number] = true
		issued, err := ParseDate(inv.IssuedOn, false)
		if err != nil {
			return Invalid(p+".issued_on", "date", "issued_on must be a date YYYY-MM-DD")
		}
		due, err := ParseDate(inv.DueOn, false)
		if err != nil {
			return Invalid(p+".due_on", "date", "due_on must be a date YYYY-MM-DD")
		}
		if due.Before(issued.Time) {
			return Invalid(p+".due_on", "date_order", "due_on cannot be before issued_on")
		}
		if len(inv.Lines) == 0 || len(inv.Lines) > 100 {
			return Invalid(p+".lines", "required", "an invoice needs between 1 and 100 lines")
		}
		for j := range inv.Lines {
			l := &inv.Lines[j]
			lp := fmt.Sprintf("%s.lines[%d]", p, j)
			l.Label = strings.TrimSpace(l.Label)
			if l.Label == "" || utf8.RuneCountInString(l.Label) > 200 {
				return Invalid(lp+".label", "required", "line label is required (at most 200 characters)")
			}
			if l.AmountCents <= 0 || l.AmountCents > MaxCaseCents {
				return Invalid(lp+".amount_cents", "amount", "amount_cents must be a positive whole number of cents")
			}
			if l.Kind != LinePrincipal && l.Kind != LineInterest && l.Kind != LineFee {
				return Invalid(lp+".kind", "kind", `line kind must be "principal", "interest" or "fee"`)
			}
			total += l.AmountCents
			if total > MaxCaseCents {
				return Invalid(lp+".amount_cents", "amount", "the case total is too large")
			}
		}
		if err := CheckLines(d.Kind, n.Currency, inv, p); err != nil {
			return err
		}
	}
	return nil
}

func ValidPhone(p string) bool {
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '.' || r == '-':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15
}

// NormalisePostcode upper-cases a postcode and removes spaces, so that
// "sw1a 1aa" matches "SW1A 1AA".
func NormalisePostcode(p string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(p) {
		if r == ' ' || r == '\t' || r == '-' || r == '\u00a0' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CreateCase validates and stores a new case for a creditor. A reference
// already used by that creditor is a conflict.
func (s *Service) CreateCase(ctx context.Context, creditor Creditor, in NewCase, actor Actor) (CaseDetail, error) {
	if err := in.Validate(creditor.Currency); err != nil {
		return CaseDetail{}, err
	}
	now := s.now()
	c := Case{
		CreditorID: creditor.ID, Reference: in.Reference,
		DebtorName: in.Debtor.Name, DebtorEmail: in.Debtor.Email, DebtorPhone: in.Debtor.Phone,
		DebtorPostcode: in.Debtor.Postcode, DebtorLanguage: in.Debtor.Language, DebtorKind: in.Debtor.Kind,
		Currency: in.Currency, Status: StatusOpen, CreatedAt: now, UpdatedAt: now,
	}
	err := s.Store.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Case{}).Where("creditor_id = ? AND reference = ?", creditor.ID, c.Reference).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &ConflictError{Message: "a case with this reference already exists"}
		}
		if err := tx.Create(&c).Error; err != nil {
			if IsUniqueViolation(err) {
				return &ConflictError{Message: "a case with this reference already exists"}
			}
			return err
		}
		for _, ni := range in.Invoices {
			issued, _ := ParseDate(ni.IssuedOn, false)
			due, _ := ParseDate(ni.DueOn, false)
			inv := Invoice{CaseID: c.ID, Number: ni.Number, IssuedOn: issued, DueOn: due, Description: strings.TrimSpace(ni.Description)}
			if err := tx.Omit("Lines").Create(&inv).Error; err != nil {
				return err
			}
			for j, nl := range ni.Lines {
				l := InvoiceLine{InvoiceID: inv.ID, CaseID: c.ID, Position: j, Label: nl.Label, Kind: nl.Kind, Basis: nl.Basis, AmountCents: nl.AmountCents}
				if err := tx.Create(&l).Error; err != nil {
					return err
				}
			}
		}
		return Record(tx, now, c.ID, EventCaseCreated, actor, map[string]any{"reference": c.Reference})
	})
	if err != nil {
		return CaseDetail{}, err
	}
	return s.CaseDetail(ctx, c.ID)
}

// CaseForCreditor loads a case only if it belongs to the creditor; any
// other case is ErrNotFound, so a creditor never learns it exists.
func (s *Service) CaseForCreditor(ctx context.Context, creditorID, caseID int64) (CaseDetail, error) {
	var c Case
	if err := s.db(ctx).Where("id = ? AND creditor_id = ?", caseID, creditorID).Take(&c).Error; err != nil {
		return CaseDetail{}, NotFound(err)
	}
	return s.CaseDetail(ctx, caseID)
}
