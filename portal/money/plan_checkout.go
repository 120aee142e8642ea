package money

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
)

// Where Stripe sends the debtor back from a plan's Checkout. The web layer
// serves these routes: PlanDonePath shows "we are confirming" until the
// webhook lands (PlanSchedule, CheckoutStatus), PlanPath the plan page.
const (
	PlanPath     = "/case/plan"
	PlanDonePath = "/case/plan/done"
)

// Purposes of the Checkout Sessions a plan opens (checkout_sessions.purpose).
const (
	purposePlanFirst      = "plan_first"      // first instalment, card saved for later
	purposePlanSetup      = "plan_setup"      // nothing due today: save the card only
	purposePlanInstalment = "plan_instalment" // an instalment paid on session, early or after a failure
	purposePlanCard       = "plan_card"       // replace the saved card
)

// ensureCustomer returns the case's Stripe customer, creating it once. Two
// racing requests send the same idempotency key and get one customer.
func (s *Service) ensureCustomer(ctx context.Context, c portal.Case) (string, error) {
	if c.StripeCustomerID != "" {
		return c.StripeCustomerID, nil
	}
	id, err := s.stripe.CreateCustomer(ctx, payments.CustomerRequest{Email: c.DebtorEmail, Name: c.DebtorName, CaseID: c.ID,
		IdempotencyKey: payments.CustomerKey(c.ID)})
	if err != nil {
		return "", fmt.Errorf("customer for case %d: %w", c.ID, err)
	}
	err = s.db(ctx).Model(&portal.Case{}).Where("id = ? AND stripe_customer_id = ''", c.ID).
		Updates(map[string]any{"stripe_customer_id": id}).Error
	return id, err
}

// sessionSpec says what a plan's Checkout Session is for.
type sessionSpec struct {
	purpose    string
	plan       portal.Plan
	c          portal.Case
	creditor   portal.Creditor
	instalment *portal.Instalment // nil for setup sessions
}

// startPlanSession opens the session that starts a pending plan: Checkout
// for the first unpaid instalment when it is due today (the card is saved
// for the later ones), or a setup session when nothing is due yet.
func (s *Service) startPlanSession(ctx context.Context, planID int64, lang string) (string, error) {
	if !s.CardEnabled() {
		return "", portal.ErrCardNotConfigured
	}
	db := s.db(ctx)
	var p portal.Plan
	if err := db.Preload("Instalments", func(q *gorm.DB) *gorm.DB { return q.Order("seq") }).Take(&p, planID).Error; err != nil {
		return "", portal.NotFound(err)
	}
	if p.Status != portal.PlanStatusPending {
		return "", &portal.ConflictError{Message: "the plan is " + p.Status + ", not waiting to start"}
	}
	pc, err := s.core.LoadPlanCase(db, p.CaseID, false)
	if err != nil {
		return "", err
	}
	if err := pc.CanPlan(); err != nil {
		return "", err
	}
	cus, err := s.ensureCustomer(ctx, pc.Case)
	if err != nil {
		return "", err
	}
	pc.Case.StripeCustomerID = cus
	spec := sessionSpec{purpose: purposePlanSetup, plan: p, c: pc.Case, creditor: pc.Creditor}
	for i, in := range p.Instalments {
		if in.Status == portal.InstalmentScheduled {
			if !in.DueOn.After(pc.Today) {
				spec.purpose, spec.instalment = purposePlanFirst, &p.Instalments[i]
			}
			break
		}
	}
	return s.openPlanSession(ctx, spec, lang)
}

// PayNextInstalmentNow opens Checkout for the next unpaid instalment of the
// case's active plan, so the debtor pays it on session: early, or after a
// failed charge (the link sent then leads here).
func (s *Service) PayNextInstalmentNow(ctx context.Context, caseID int64, lang string) (string, error) {
	spec, err := s.activePlanSpec(ctx, caseID)
	if err != nil {
		return "", err
	}
	for i, in := range spec.plan.Instalments {
		switch in.Status {
		case portal.InstalmentPaid, portal.InstalmentCancelled:
			continue
		case portal.InstalmentProcessing:
			// A charge is under way; paying now could take the money twice.
			return "", &portal.ConflictError{Message: "a payment of this instalment is under way"}
		}
		spec.purpose, spec.instalment = purposePlanInstalment, &spec.plan.Instalments[i]
		return s.openPlanSession(ctx, spec, lang)
	}
	return "", portal.ErrNothingToPay
}

// ChangeCard opens a setup-mode Checkout Session that replaces the card the
// case's active plan is charged on. Instalments that failed are tried again
// on the new card.
func (s *Service) ChangeCard(ctx context.Context, caseID int64, lang string) (string, error) {
	spec, err := s.activePlanSpec(ctx, caseID)
	if err != nil {
		return "", err
	}
	spec.purpose = purposePlanCard
	return s.openPlanSession(ctx, spec, lang)
}

// activePlanSpec loads the case's active plan for a debtor's action on it.
func (s *Service) activePlanSpec(ctx context.Context, caseID int64) (sessionSpec, error) {
	if !s.CardEnabled() {
		return sessionSpec{}, portal.ErrCardNotConfigured
	}
	db := s.db(ctx)
	pc, err := s.core.LoadPlanCase(db, caseID, false)
	if err != nil {
		return sessionSpec{}, err
	}
	if pc.Case.Status == portal.StatusDisputed {
		return sessionSpec{}, portal.ErrPaymentsPaused
	}
	if pc.Case.Status != portal.StatusPlanActive {
		return sessionSpec{}, portal.ErrNotFound
	}
	var p portal.Plan
	err = db.Where("case_id = ? AND status = ?", caseID, portal.PlanStatusActive).
		Preload("Instalments", func(q *gorm.DB) *gorm.DB { return q.Order("seq") }).Take(&p).Error
	if err != nil {
		return sessionSpec{}, portal.NotFound(err)
	}
	if pc.Case.StripeCustomerID == "" {
		pc.Case.StripeCustomerID = p.StripeCustomerID
	}
	return sessionSpec{plan: p, c: pc.Case, creditor: pc.Creditor}, nil
}

// openPlanSession opens (or reuses) the Checkout of a plan: its first
// payment, an instalment paid now, or a setup session that saves a card.
func (s *Service) openPlanSession(ctx context.Context, spec sessionSpec, lang string) (string, error) {
	base := strings.TrimRight(s.core.BaseURL, "/")
	if lang != "fr" && lang != "en" {
		lang = ""
	}
	planID := spec.plan.ID
	slot := checkoutSlot{caseID: spec.c.ID, planID: &planID, purpose: spec.purpose, event: portal.EventCardSetupStarted,
		data: map[string]any{"purpose": spec.purpose, "plan_id": spec.plan.ID}}
	if spec.instalment == nil {
		slot.key = func(try string) string { return payments.SetupKey(spec.c.ID, spec.plan.ID, try) }
		return s.openCheckout(ctx, slot, func(key string) (payments.CheckoutSession, error) {
			return s.stripe.CreateSetupCheckout(ctx, payments.SetupRequest{
				CaseID: spec.c.ID, PlanID: spec.plan.ID, Currency: spec.c.Currency, Locale: lang,
				CustomerID: spec.c.StripeCustomerID, CustomerEmail: spec.c.DebtorEmail,
				ClientReferenceID: "case-" + strconv.FormatInt(spec.c.ID, 10),
				SuccessURL:        base + PlanDonePath + "?session_id={CHECKOUT_SESSION_ID}",
				CancelURL:         base + PlanPath,
				IdempotencyKey:    key,
			})
		})
	}
	in := spec.instalment
	slot.amount, slot.instalmentID, slot.event = in.AmountCents, &in.ID, portal.EventPaymentStarted
	slot.data["amount_cents"], slot.data["instalment_id"] = in.AmountCents, in.ID
	slot.key = func(try string) string {
		return payments.CheckoutKey(spec.c.ID, in.AmountCents, "plan-"+strconv.FormatInt(spec.plan.ID, 10)+"-instalment-"+strconv.FormatInt(in.ID, 10)+"-"+try)
	}
	return s.openCheckout(ctx, slot, func(key string) (payments.CheckoutSession, error) {
		return s.stripe.CreateCheckout(ctx, payments.CheckoutRequest{
			CaseID: spec.c.ID, PlanID: spec.plan.ID, InstalmentID: in.ID, Currency: spec.c.Currency,
			Lines:  []payments.Line{{Name: instalmentLabel(spec, in), AmountCents: in.AmountCents}},
			Locale: lang, CustomerEmail: spec.c.DebtorEmail, CustomerID: spec.c.StripeCustomerID,
			ClientReferenceID: "case-" + strconv.FormatInt(spec.c.ID, 10),
			SuccessURL:        base + PlanDonePath + "?session_id={CHECKOUT_SESSION_ID}",
			CancelURL:         base + PlanPath,
			SaveCardForLater:  spec.purpose == purposePlanFirst,
			IdempotencyKey:    key,
		})
	})
}

// instalmentLabel is the line the debtor reads on Stripe's page.
func instalmentLabel(spec sessionSpec, in *portal.Instalment) string {
	return fmt.Sprintf("%s — %s (%d/%d)", spec.creditor.Name, spec.c.Reference, in.Seq, spec.plan.InstalmentCount)
}
