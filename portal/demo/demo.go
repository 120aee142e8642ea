// Package demo loads Reglo's demonstration data: an organisation, two
// creditors with different plan limits, a back-office admin and agent, and
// a dozen cases in several states with invoices and generated PDF proof
// documents. Loading is idempotent: a second run finds what the first made
// and only creates fresh debtor links, since tokens are stored hashed and
// cannot be shown again.
package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/areas"
	"github.com/reglo/reglo/portal/choices"
)

// Summary is what a demo load made or found, for `reglo demo` to print.
type Summary struct {
	// Created is true when this run created any demo data, false when it
	// reused everything from an earlier run.
	Created      bool
	Organisation string
	Creditors    []CreditorSummary
	Logins       []Login
	Cases        []CaseLink
}

// CreditorSummary names a demo creditor.
type CreditorSummary struct {
	ID   int64
	Name string
}

// Login is a back-office login with its (public, demo-only) password.
type Login struct {
	Role     string
	Email    string
	Password string
}

// CaseLink is one demo case with a fresh debtor link and the answer to its
// identity question.
type CaseLink struct {
	CaseID         int64
	Reference      string
	Creditor       string
	Debtor         string
	Language       string
	Status         string
	BalanceCents   int64
	Currency       string
	Documents      int
	URL            string
	IdentityAnswer string
}

// Load creates the demo data that is missing and a fresh link per case.
func Load(ctx context.Context, svc *areas.Services) (Summary, error) {
	var sum Summary
	org, err := organisation(ctx, svc)
	if err != nil {
		return sum, err
	}
	sum.Organisation = org.Name

	crs := make([]portal.Creditor, len(creditors))
	for i, spec := range creditors {
		cr, created, err := ensureCreditor(ctx, svc, org.ID, spec)
		if err != nil {
			return sum, fmt.Errorf("demo creditor %s: %w", spec.Name, err)
		}
		sum.Created = sum.Created || created
		crs[i] = cr
		sum.Creditors = append(sum.Creditors, CreditorSummary{ID: cr.ID, Name: cr.Name})
	}

	for _, l := range []Login{
		{Role: portal.RoleAdmin, Email: AdminEmail, Password: AdminPassword},
		{Role: portal.RoleAgent, Email: AgentEmail, Password: AgentPassword},
	} {
		created, err := ensureUser(ctx, svc, l)
		if err != nil {
			return sum, fmt.Errorf("demo user %s: %w", l.Email, err)
		}
		sum.Created = sum.Created || created
		sum.Logins = append(sum.Logins, l)
	}

	// Dates are counted in the creditors' zone, as a debtor would read them.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.UTC
	}
	today := plans.DateOf(svc.Core.Now().In(paris))

	for _, spec := range cases {
		cl, created, err := ensureCase(ctx, svc, crs[spec.Creditor], spec, today)
		if err != nil {
			return sum, fmt.Errorf("demo case %s: %w", spec.Reference, err)
		}
		sum.Created = sum.Created || created
		sum.Cases = append(sum.Cases, cl)
	}
	return sum, nil
}

// organisation returns the organisation the demo joins: the first one, or
// a new one on an empty database.
func organisation(ctx context.Context, svc *areas.Services) (portal.Organisation, error) {
	db := svc.Core.Store.DB.WithContext(ctx)
	var org portal.Organisation
	err := db.Order("id").Take(&org).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		org = portal.Organisation{Name: organisationName, CreatedAt: svc.Core.Now().UTC()}
		err = db.Create(&org).Error
	}
	return org, err
}

// ensureCreditor finds the demo creditor by name and legal id, or creates
// it. The API key CreateCreditor returns is dropped: the demo never uses
// the API, and `reglo creditor create` makes keys for real use.
func ensureCreditor(ctx context.Context, svc *areas.Services, orgID int64, spec creditorSpec) (portal.Creditor, bool, error) {
	var cr portal.Creditor
	err := svc.Core.Store.DB.WithContext(ctx).Where("name = ? AND legal_id = ?", spec.Name, spec.LegalID).Order("id").Take(&cr).Error
	if err == nil {
		return cr, false, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return cr, false, err
	}
	in := spec.NewCreditor
	in.OrganisationID = orgID
	cr, _, err = svc.Core.CreateCreditor(ctx, in)
	return cr, err == nil, err
}

// ensureUser creates a demo login unless its email is taken. An existing
// login keeps its password: the demo never overwrites one.
func ensureUser(ctx context.Context, svc *areas.Services, l Login) (bool, error) {
	var n int64
	if err := svc.Core.Store.DB.WithContext(ctx).Model(&portal.User{}).Where("email = ?", l.Email).Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	_, err := svc.Core.CreateUser(ctx, portal.NewUser{Email: l.Email, Password: l.Password, Role: l.Role})
	if errors.Is(err, portal.ErrConflict) {
		return false, nil // created meanwhile by another demo process
	}
	return err == nil, err
}

// ensureCase creates the case if it is missing, then its documents and its
// state if those are missing (so an interrupted load completes on the next
// run), and always a fresh link.
func ensureCase(ctx context.Context, svc *areas.Services, cr portal.Creditor, spec caseSpec, today time.Time) (CaseLink, bool, error) {
	db := svc.Core.Store.DB.WithContext(ctx)
	actor := portal.CreditorActor(cr.ID)
	var c portal.Case
	created := false
	err := db.Where("creditor_id = ? AND reference = ?", cr.ID, spec.Reference).Take(&c).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		d, err := svc.Core.CreateCase(ctx, cr, newCase(spec, today), actor)
		if err != nil {
			return CaseLink{}, false, err
		}
		c, created = d.Case, true
	case err != nil:
		return CaseLink{}, false, err
	}

	var docs int64
	if err := db.Model(&portal.Document{}).Where("case_id = ?", c.ID).Count(&docs).Error; err != nil {
		return CaseLink{}, false, err
	}
	if docs == 0 {
		if err := addDocuments(ctx, svc, c.ID, creditors[spec.Creditor], spec, actor); err != nil {
			return CaseLink{}, false, err
		}
		created = true
	}

	applied, err := applyState(ctx, svc, c, spec, today)
	if err != nil {
		return CaseLink{}, false, fmt.Errorf("set state %s: %w", spec.State, err)
	}
	created = created || applied

	link, err := svc.Core.CreateLink(ctx, c.ID, "copy", 0, portal.SystemActor)
	if err != nil {
		return CaseLink{}, false, fmt.Errorf("create link: %w", err)
	}
	d, err := svc.Core.CaseDetail(ctx, c.ID)
	if err != nil {
		return CaseLink{}, false, err
	}
	return CaseLink{
		CaseID: c.ID, Reference: c.Reference, Creditor: cr.Name, Debtor: c.DebtorName, Language: c.DebtorLanguage,
		Status: string(d.Case.Status), BalanceCents: d.Balance.Cents(), Currency: c.Currency, Documents: len(d.Documents),
		URL: link.URL, IdentityAnswer: c.DebtorPostcode,
	}, created, nil
}

// newCase turns a spec into the API's input, dating invoices from today.
func newCase(spec caseSpec, today time.Time) portal.NewCase {
	nc := portal.NewCase{Reference: spec.Reference, Debtor: spec.Debtor.NewDebtor, Currency: "EUR"}
	for _, inv := range spec.Invoices {
		issued, due := invoiceDates(inv, today)
		nc.Invoices = append(nc.Invoices, portal.NewInvoice{
			Number: inv.Number, IssuedOn: issued.Format(time.DateOnly), DueOn: due.Format(time.DateOnly),
			// A copy: CreateCase normalises its input in place, and the
			// specs are shared by every load in the process.
			Description: describe(inv, issued), Lines: slices.Clone(inv.Lines),
		})
	}
	return nc
}

// describe fills in an invoice description's billing period.
func describe(inv invoiceSpec, issued time.Time) string {
	first := issued.AddDate(0, 0, -issued.Day()+1) // the 1st of the issue month
	a, b := frMonths[first.AddDate(0, -2, 0).Month()-1], frMonths[first.AddDate(0, -1, 0).Month()-1]
	releve := "relevé de " + a + " et " + b
	if strings.ContainsRune("aeiou", rune(a[0])) {
		releve = "relevé d'" + a + " et " + b
	}
	return strings.ReplaceAll(inv.Description, "{relevé}", releve)
}

func invoiceDates(inv invoiceSpec, today time.Time) (issued, due time.Time) {
	issued = today.AddDate(0, 0, -inv.IssuedAgo)
	return issued, issued.AddDate(0, 0, inv.TermDays)
}

// addDocuments generates and uploads one PDF per invoice and the case's
// supporting documents, through the same path as a creditor's upload. The
// dates printed are the invoices' stored ones, so documents completed by a
// later run still match the case.
func addDocuments(ctx context.Context, svc *areas.Services, caseID int64, cr creditorSpec, spec caseSpec, actor portal.Actor) error {
	d, err := svc.Core.CaseDetail(ctx, caseID)
	if err != nil {
		return err
	}
	type dates struct{ issued, due time.Time }
	stored := map[string]dates{}
	for _, inv := range d.Invoices {
		stored[inv.Number] = dates{inv.IssuedOn.Time, inv.DueOn.Time}
	}
	english := spec.Debtor.Language == "en"
	for _, inv := range spec.Invoices {
		dt, ok := stored[inv.Number]
		if !ok {
			return fmt.Errorf("invoice %s is missing from case %d", inv.Number, caseID)
		}
		pdf, err := invoicePDF(cr, spec, inv, dt.issued, dt.due)
		if err != nil {
			return fmt.Errorf("invoice %s pdf: %w", inv.Number, err)
		}
		title := "Facture " + inv.Number
		if english {
			title = "Invoice " + inv.Number
		}
		if _, err := svc.Core.AddDocument(ctx, caseID, portal.NewDocument{Title: title, InvoiceNumber: inv.Number, Data: pdf, Source: "creditor"}, actor); err != nil {
			return fmt.Errorf("upload invoice %s: %w", inv.Number, err)
		}
	}
	first := spec.Invoices[0].Number
	for _, kind := range spec.Extra {
		pdf, title, err := supportingPDF(kind, cr, spec, stored[first].issued)
		if err != nil {
			return err
		}
		if english {
			title = englishTitles[kind]
		}
		if _, err := svc.Core.AddDocument(ctx, caseID, portal.NewDocument{Title: title, InvoiceNumber: first, Data: pdf, Source: "creditor"}, actor); err != nil {
			return fmt.Errorf("upload %s: %w", kind, err)
		}
	}
	return nil
}

var englishTitles = map[string]string{
	docContract:     "Supply contract (in French)",
	docQuote:        "Signed quote (in French)",
	docDeliveryNote: "Signed delivery note (in French)",
}

// applyState moves a freshly created open case into the state its spec
// names through the service, as a webhook or the debtor would: payments
// through ApplyStripeEvent, a plan request through RequestPlan, a promise
// through Promise and a dispute through Contest, so every row and timeline
// event is the portal's own. A case that has already moved, been paid or
// had a plan is left alone, so a second run and a visitor's own clicks in
// the demo are never undone.
func applyState(ctx context.Context, svc *areas.Services, c portal.Case, spec caseSpec, today time.Time) (bool, error) {
	if spec.State == stateOpen {
		return false, nil
	}
	db := svc.Core.Store.DB.WithContext(ctx)
	var cur portal.Case
	if err := db.Take(&cur, c.ID).Error; err != nil {
		return false, err
	}
	var payments, plansN int64
	if err := db.Model(&portal.Payment{}).Where("case_id = ?", c.ID).Count(&payments).Error; err != nil {
		return false, err
	}
	if err := db.Model(&portal.Plan{}).Where("case_id = ?", c.ID).Count(&plansN).Error; err != nil {
		return false, err
	}
	if cur.Status != portal.StatusOpen || payments > 0 || plansN > 0 {
		return false, nil
	}

	var err error
	switch spec.State {
	case statePartial:
		err = demoPayment(ctx, svc, cur, spec, spec.PaidCents)
	case statePaid:
		var d portal.CaseDetail
		if d, err = svc.Core.CaseDetail(ctx, c.ID); err == nil {
			err = demoPayment(ctx, svc, cur, spec, d.Balance.Cents())
		}
	case statePlanRequested:
		// About 160 € a month is more payments than Atelier Martin allows
		// without an agent, so the request waits in the agent's queue.
		_, err = svc.Money.RequestPlan(ctx, c.ID, portal.PlanRequest{Frequency: plans.Monthly, AffordableCents: 16000}, cur.DebtorLanguage)
	case statePromised:
		_, err = svc.Choices.Promise(ctx, c.ID, portal.Date{Time: today.AddDate(0, 0, 10)}, 0)
	case stateDisputed:
		_, err = svc.Choices.Contest(ctx, c.ID, choices.Contest{Reason: spec.ContestReason, Text: spec.Note})
	default:
		err = fmt.Errorf("unknown demo state %q", spec.State)
	}
	return err == nil, err
}

// demoPayment records a card payment as Stripe's webhook would report it.
// The demo_ prefix can never clash with a real Stripe id (evt_..., pi_...),
// and the event id makes a rerun a no-op.
func demoPayment(ctx context.Context, svc *areas.Services, c portal.Case, spec caseSpec, amount int64) error {
	_, err := svc.Money.ApplyStripeEvent(ctx, payments.Event{
		ID:              "demo_evt_" + spec.Reference,
		Type:            "payment_intent.succeeded",
		Kind:            payments.KindPaymentSucceeded,
		Created:         svc.Core.Now().UTC(),
		CaseID:          c.ID,
		AmountCents:     amount,
		Currency:        c.Currency,
		PaymentIntentID: "demo_pi_" + spec.Reference,
	})
	return err
}
