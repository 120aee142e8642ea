package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
)

// caseJSON is the case of the outside contract's GET /api/v1/cases/{id}.
type caseJSON struct {
	ID           int64  `json:"id"`
	Reference    string `json:"reference"`
	Status       string `json:"status"`
	Currency     string `json:"currency"`
	TotalCents   int64  `json:"total_cents"`
	PaidCents    int64  `json:"paid_cents"`
	BalanceCents int64  `json:"balance_cents"`
	// UnmatchedCents is money Stripe reported that Reglo could not match
	// to what this case paid: held for an agent, never in the balance.
	UnmatchedCents int64 `json:"unmatched_cents"`
	// OverpaidCents is what was paid beyond the debt: a refund is due.
	OverpaidCents int64         `json:"overpaid_cents"`
	Debtor        debtorJSON    `json:"debtor"`
	Invoices      []invoiceJSON `json:"invoices"`
	Payments      []paymentJSON `json:"payments"`
	Plan          *planJSON     `json:"plan"`
	CreatedAt     time.Time     `json:"created_at"`
}

type debtorJSON struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Postcode string `json:"postcode"`
	Language string `json:"language"`
	Kind     string `json:"kind"`
}

type invoiceJSON struct {
	Number      string      `json:"number"`
	IssuedOn    portal.Date `json:"issued_on"`
	DueOn       portal.Date `json:"due_on"`
	Description string      `json:"description"`
	Lines       []lineJSON  `json:"lines"`
}

type lineJSON struct {
	Label       string `json:"label"`
	AmountCents int64  `json:"amount_cents"`
	Kind        string `json:"kind"`
	Basis       string `json:"basis,omitempty"`
}

type paymentJSON struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	AmountCents int64     `json:"amount_cents"`
	Currency    string    `json:"currency"`
	CreatedAt   time.Time `json:"created_at"`
}

type planJSON struct {
	ID              int64            `json:"id"`
	Status          string           `json:"status"`
	Frequency       string           `json:"frequency"`
	InstalmentCount int              `json:"instalment_count"`
	TotalCents      int64            `json:"total_cents"`
	Instalments     []instalmentJSON `json:"instalments"`
}

type instalmentJSON struct {
	Seq         int         `json:"seq"`
	DueOn       portal.Date `json:"due_on"`
	AmountCents int64       `json:"amount_cents"`
	Status      string      `json:"status"`
}

func toCaseJSON(d portal.CaseDetail) caseJSON {
	c := d.Case
	out := caseJSON{
		ID: c.ID, Reference: c.Reference, Status: string(c.Status), Currency: c.Currency,
		TotalCents: d.Balance.TotalCents, PaidCents: d.Balance.PaidCents - d.Balance.ReturnedCents, BalanceCents: d.Balance.Cents(),
		UnmatchedCents: d.UnmatchedCents(), OverpaidCents: d.Balance.OverpaidCents(),
		Debtor:   debtorJSON{Name: c.DebtorName, Email: c.DebtorEmail, Phone: c.DebtorPhone, Postcode: c.DebtorPostcode, Language: c.DebtorLanguage, Kind: c.DebtorKind},
		Invoices: []invoiceJSON{}, Payments: []paymentJSON{}, CreatedAt: c.CreatedAt,
	}
	for _, inv := range d.Invoices {
		ij := invoiceJSON{Number: inv.Number, IssuedOn: inv.IssuedOn, DueOn: inv.DueOn, Description: inv.Description, Lines: []lineJSON{}}
		for _, l := range inv.Lines {
			ij.Lines = append(ij.Lines, lineJSON{Label: l.Label, AmountCents: l.AmountCents, Kind: l.Kind, Basis: l.Basis})
		}
		out.Invoices = append(out.Invoices, ij)
	}
	for _, p := range d.Payments {
		out.Payments = append(out.Payments, paymentJSON{ID: p.ID, Kind: p.Kind, AmountCents: p.AmountCents, Currency: p.Currency, CreatedAt: p.CreatedAt})
	}
	if d.Plan != nil {
		pj := &planJSON{ID: d.Plan.ID, Status: d.Plan.Status, Frequency: d.Plan.Frequency, InstalmentCount: d.Plan.InstalmentCount, TotalCents: d.Plan.TotalCents, Instalments: []instalmentJSON{}}
		for _, in := range d.Plan.Instalments {
			pj.Instalments = append(pj.Instalments, instalmentJSON{Seq: in.Seq, DueOn: in.DueOn, AmountCents: in.AmountCents, Status: in.Status})
		}
		out.Plan = pj
	}
	return out
}

// apiCreateCase is POST /api/v1/cases.
func (s *Handler) apiCreateCase(c *fiber.Ctx) error {
	var in portal.NewCase
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cr := apiCreditor(c)
	d, err := s.svc.CreateCase(c.UserContext(), cr, in, portal.CreditorActor(cr.ID))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toCaseJSON(d))
}

// apiGetCase is GET /api/v1/cases/{id}.
func (s *Handler) apiGetCase(c *fiber.Ctx) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.svc.CaseForCreditor(c.UserContext(), apiCreditor(c).ID, id)
	if err != nil {
		return err
	}
	return c.JSON(toCaseJSON(d))
}
