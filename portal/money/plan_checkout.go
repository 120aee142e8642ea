package money

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

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

// sessionTTL is how long a recorded Checkout Session is offered again;
// Stripe's own sessions last 24 hours.
const sessionTTL = 23 * time.Hour

// planSession is a checkout_sessions row with the plan it belongs to (a
// column CheckoutSession does not map yet).
type planSession struct {
	ID              int64
	CaseID          int64
	PlanID          int64
	StripeSessionID string
	IdempotencyKey  string
	URL             string `gorm:"column:url"`
	AmountCents     int64
	Purpose         string
	InstalmentID    *int64
	CreatedAt       time.Time
	ExpiresAt       time.Time
}

// TableName maps planSession onto checkout_sessions.
func (planSession) TableName() string { return "checkout_sessions" }

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

// openPlanSession reuses a valid session for the same purpose (and
// instalment and amount) or creates one. The idempotency key names the plan,
// the purpose and the try, so two tabs get one session from Stripe.
func (s *Service) openPlanSession(ctx context.Context, spec sessionSpec, lang string) (string, error) {
	now := s.now()
	db := s.db(ctx)
	var amount int64
	var instID *int64
	q := db.Model(&planSession{}).Where("case_id = ? AND plan_id = ? AND purpose = ?", spec.c.ID, spec.plan.ID, spec.purpose)
	if spec.instalment != nil {
		amount, instID = spec.instalment.AmountCents, &spec.instalment.ID
		q = q.Where("instalment_id = ? AND amount_cents = ?", spec.instalment.ID, amount)
	}
	q = q.Session(&gorm.Session{}) // reused below for the count
	var existing planSession
	err := q.Where("expires_at > ?", now.Add(10*time.Minute)).Order("id DESC").Take(&existing).Error
	if err == nil {
		return existing.URL, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return "", err
	}
	var tries int64
	if err := q.Count(&tries).Error; err != nil {
		return "", err
	}
	try := spec.purpose + "-" + strconv.FormatInt(tries+1, 10)
	base := strings.TrimRight(s.core.BaseURL, "/")
	if lang != "fr" && lang != "en" {
		lang = ""
	}
	var cs payments.CheckoutSession
	var key string
	if spec.instalment == nil {
		key = payments.SetupKey(spec.c.ID, spec.plan.ID, try)
		cs, err = s.stripe.CreateSetupCheckout(ctx, payments.SetupRequest{
			CaseID: spec.c.ID, PlanID: spec.plan.ID, Currency: spec.c.Currency, Locale: lang,
			CustomerID: spec.c.StripeCustomerID, CustomerEmail: spec.c.DebtorEmail,
			ClientReferenceID: "case-" + strconv.FormatInt(spec.c.ID, 10),
			SuccessURL:        base + PlanDonePath + "?session_id={CHECKOUT_SESSION_ID}",
			CancelURL:         base + PlanPath,
			IdempotencyKey:    key,
		})
	} else {
		in := spec.instalment
		key = payments.CheckoutKey(spec.c.ID, amount, "plan-"+strconv.FormatInt(spec.plan.ID, 10)+"-instalment-"+strconv.FormatInt(in.ID, 10)+"-"+try)
		cs, err = s.stripe.CreateCheckout(ctx, payments.CheckoutRequest{
			CaseID: spec.c.ID, PlanID: spec.plan.ID, InstalmentID: in.ID, Currency: spec.c.Currency,
			Lines:  []payments.Line{{Name: instalmentLabel(spec, in), AmountCents: amount}},
			Locale: lang, CustomerEmail: spec.c.DebtorEmail, CustomerID: spec.c.StripeCustomerID,
			ClientReferenceID: "case-" + strconv.FormatInt(spec.c.ID, 10),
			SuccessURL:        base + PlanDonePath + "?session_id={CHECKOUT_SESSION_ID}",
			CancelURL:         base + PlanPath,
			SaveCardForLater:  spec.purpose == purposePlanFirst,
			IdempotencyKey:    key,
		})
	}
	if err != nil {
		return "", fmt.Errorf("plan %d checkout (%s): %w", spec.plan.ID, spec.purpose, err)
	}
	row := planSession{CaseID: spec.c.ID, PlanID: spec.plan.ID, StripeSessionID: cs.ID, IdempotencyKey: key, URL: cs.URL,
		AmountCents: amount, Purpose: spec.purpose, InstalmentID: instID, CreatedAt: now, ExpiresAt: now.Add(sessionTTL)}
	err = s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // the other tab recorded the same session
		}
		kind := portal.EventPaymentStarted
		if spec.instalment == nil {
			kind = portal.EventCardSetupStarted
		}
		data := map[string]any{"purpose": spec.purpose, "plan_id": spec.plan.ID}
		if instID != nil {
			data["amount_cents"], data["instalment_id"] = amount, *instID
		}
		return portal.Record(tx, now, spec.c.ID, kind, portal.DebtorActor, data)
	})
	if err != nil {
		return "", err
	}
	return cs.URL, nil
}

// instalmentLabel is the line the debtor reads on Stripe's page.
func instalmentLabel(spec sessionSpec, in *portal.Instalment) string {
	return fmt.Sprintf("%s — %s (%d/%d)", spec.creditor.Name, spec.c.Reference, in.Seq, spec.plan.InstalmentCount)
}
