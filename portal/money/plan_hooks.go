package money

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
)

// Retry policy for instalments charged off session.
const (
	// InstalmentRetryDelay is how long after a declined charge the scheduler
	// tries the card again.
	InstalmentRetryDelay = 72 * time.Hour
	// MaxInstalmentAttempts is how many off-session charges one instalment
	// gets; after the last decline it waits for the debtor (the link) or a
	// new card.
	MaxInstalmentAttempts = 3
	// InstalmentLinkTTL is how long the link sent after a failed charge works.
	InstalmentLinkTTL = 14 * 24 * time.Hour
)

// MissedInstalment tells what happened when an instalment charge failed,
// with the fresh link for the debtor to pay it on session. LinkURL holds the
// token and is shown only here: whoever sends it must not log it.
type MissedInstalment struct {
	CaseID       int64
	PlanID       int64
	InstalmentID int64
	Seq          int
	AmountCents  int64
	Currency     string
	// Status is InstalmentFailed or InstalmentRequiresAction.
	Status string
	// Code is Stripe's decline or error code (insufficient_funds,
	// authentication_required...).
	Code          string
	NextAttemptAt *time.Time
	LinkID        int64
	LinkChannel   string
	LinkURL       string
	// Lapsed is true when this miss lapsed the plan.
	Lapsed bool
}

// instalmentPaid runs for every payment the webhook records, inside its
// transaction and under the case lock. A plan instalment's payment marks it
// paid and, for a pending plan's first payment, saves the card and starts
// the plan. Then a plan with nothing left to pay completes; the case turns
// paid through settleStatus.
func (s *Service) instalmentPaid(tx *gorm.DB, c portal.Case, ev payments.Event, p portal.Payment) error {
	now := s.now()
	if ev.InstalmentID != 0 {
		var in portal.Instalment
		err := tx.Where("id = ? AND case_id = ?", ev.InstalmentID, c.ID).Take(&in).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			// Metadata naming an instalment of another case: the payment
			// counts for the case, nothing else moves.
		case err != nil:
			return err
		default:
			if err := s.markPaid(tx, c, in, ev, p, now); err != nil {
				return err
			}
		}
	}
	return s.completePlan(tx, c, now)
}

func (s *Service) markPaid(tx *gorm.DB, c portal.Case, in portal.Instalment, ev payments.Event, p portal.Payment, now time.Time) error {
	if in.Status != portal.InstalmentPaid {
		err := tx.Model(&portal.Instalment{}).Where("id = ?", in.ID).Updates(map[string]any{"status": portal.InstalmentPaid,
			"payment_intent_id": ev.PaymentIntentID, "claimed_until": nil, "next_attempt_at": nil, "last_error": "", "updated_at": now}).Error
		if err != nil {
			return err
		}
		if err := portal.Record(tx, now, c.ID, portal.EventInstalmentPaid, portal.StripeActor, map[string]any{"instalment_id": in.ID, "seq": in.Seq,
			"amount_cents": p.AmountCents, "payment_id": p.ID}); err != nil {
			return err
		}
	}
	var plan portal.Plan
	if err := tx.Take(&plan, in.PlanID).Error; err != nil {
		return err
	}
	if plan.Status != portal.PlanStatusPending {
		return nil
	}
	return s.activatePlan(tx, c, plan, ev, now)
}

// activatePlan saves the card a pending plan's Checkout kept and starts the
// plan: from now on the scheduler charges its instalments.
func (s *Service) activatePlan(tx *gorm.DB, c portal.Case, plan portal.Plan, ev payments.Event, now time.Time) error {
	m, err := s.savedMethod(tx, c, plan, ev)
	if err != nil {
		return err
	}
	if err := tx.Model(&portal.Plan{}).Where("id = ?", plan.ID).Updates(map[string]any{"status": portal.PlanStatusActive,
		"stripe_customer_id": m.CustomerID, "stripe_payment_method_id": m.PaymentMethodID, "updated_at": now}).Error; err != nil {
		return err
	}
	if err := portal.Record(tx, now, c.ID, portal.EventPlanActivated, portal.StripeActor, map[string]any{"plan_id": plan.ID}); err != nil {
		return err
	}
	switch c.Status {
	case portal.StatusOpen, portal.StatusPlanRequested, portal.StatusPromised:
		return portal.Move(tx, s.now(), c, portal.StatusPlanActive, portal.StripeActor)
	}
	return nil
}

// savedMethod is the customer and card a checkout saved: from the event when
// it names them (payment_intent.succeeded), else as ApplyStripeEvent looked
// them up from Stripe before its transaction (a checkout.session.completed
// names only its intents). Stripe is never called here, under the case
// lock: an event whose card was not looked up (the plan became pending
// between the look-up and the lock) is ErrEventNotReady, so the webhook
// answers 5xx and Stripe delivers it again, to be looked up then.
func (s *Service) savedMethod(_ *gorm.DB, c portal.Case, plan portal.Plan, ev payments.Event) (payments.SavedMethod, error) {
	m := payments.SavedMethod{CustomerID: ev.CustomerID, PaymentMethodID: ev.PaymentMethodID}
	if needsLookup(ev) {
		if ev.Saved == nil {
			return m, fmt.Errorf("saved card of plan %d: %w", plan.ID, ErrEventNotReady)
		}
		m = *ev.Saved
	}
	if m.CustomerID == "" {
		m.CustomerID = plan.StripeCustomerID
	}
	if m.CustomerID == "" {
		m.CustomerID = c.StripeCustomerID
	}
	return m, nil
}

// completePlan ends the case's open plan once nothing is left to pay: every
// instalment paid, or the balance settled another way (a payment in full).
func (s *Service) completePlan(tx *gorm.DB, c portal.Case, now time.Time) error {
	var plan portal.Plan
	err := tx.Where("case_id = ? AND status IN ?", c.ID, []string{portal.PlanStatusPending, portal.PlanStatusActive}).Order("id DESC").Take(&plan).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var unpaid int64
	if err := tx.Model(&portal.Instalment{}).Where("plan_id = ? AND status NOT IN ?", plan.ID, []string{portal.InstalmentPaid, portal.InstalmentCancelled}).
		Count(&unpaid).Error; err != nil {
		return err
	}
	if unpaid > 0 {
		b, err := portal.BalanceTx(tx, c.ID)
		if err != nil {
			return err
		}
		if b.Cents() > 0 {
			return nil
		}
	}
	if plan.Status == portal.PlanStatusPending {
		return s.cancelPlan(tx, c, plan, "balance_settled", portal.StripeActor)
	}
	if err := tx.Model(&portal.Plan{}).Where("id = ?", plan.ID).Updates(map[string]any{"status": portal.PlanStatusCompleted, "updated_at": now}).Error; err != nil {
		return err
	}
	if err := cancelUnpaid(tx, plan.ID, now); err != nil {
		return err
	}
	return portal.Record(tx, now, c.ID, portal.EventPlanCompleted, portal.StripeActor, map[string]any{"plan_id": plan.ID})
}

// instalmentFailed handles payment_intent.payment_failed for an instalment
// charge whose first answer was "processing" (a method that settles later).
// Declines answered at once are recorded by the scheduler from Stripe's
// reply; their webhook finds the outcome already recorded and changes
// nothing, as does a late event about an older attempt.
func (s *Service) instalmentFailed(tx *gorm.DB, c portal.Case, ev payments.Event) error {
	if ev.InstalmentID == 0 || ev.PaymentIntentID == "" || ev.Kind != payments.KindPaymentFailed {
		return nil
	}
	var in portal.Instalment
	err := tx.Where("id = ? AND case_id = ? AND status = ? AND payment_intent_id = ? AND claimed_until IS NULL",
		ev.InstalmentID, c.ID, portal.InstalmentProcessing, ev.PaymentIntentID).Take(&in).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	outcome := payments.OutcomeDeclined
	if ev.FailureCode == "authentication_required" || ev.DeclineCode == "authentication_required" {
		outcome = payments.OutcomeRequiresAction
	}
	code := ev.DeclineCode
	if code == "" {
		code = ev.FailureCode
	}
	m, err := s.recordMiss(tx, c, in, missInput{outcome: outcome, code: code, paymentIntentID: ev.PaymentIntentID, awaitingWebhook: true})
	if err == nil && m != nil {
		// Sending the link is the notifications' job; the timeline has it.
		s.core.Log.Info("instalment failed after processing", "case_id", c.ID, "instalment_id", in.ID, "link_id", m.LinkID)
	}
	return err
}

// missInput is a failed charge as the scheduler or a webhook saw it.
type missInput struct {
	outcome         payments.Outcome
	code            string
	paymentIntentID string
	// awaitingWebhook: the charge was answered "processing" and the
	// webhook brings its end; otherwise the scheduler holds the claim.
	awaitingWebhook bool
}

// recordMiss records a failed charge of the instalment in (as it was when
// charged) under the case lock: the instalment waits for a retry or the
// debtor, the timeline says why, the debtor gets a fresh link to pay it, and
// the plan lapses after too many missed instalments. The update only applies
// to the attempt that was charged, so the scheduler and a webhook, or two
// schedulers after a lease expired, record one outcome; it returns nil then.
func (s *Service) recordMiss(tx *gorm.DB, c portal.Case, in portal.Instalment, m missInput) (*MissedInstalment, error) {
	now := s.now()
	status := portal.InstalmentFailed
	if m.outcome == payments.OutcomeRequiresAction {
		status = portal.InstalmentRequiresAction
	}
	attempts := in.Attempts + 1
	var next *time.Time
	// A bank asking the debtor to authenticate will ask again off session:
	// only declines are retried; the link (or a new card) does the rest.
	if status == portal.InstalmentFailed && attempts < MaxInstalmentAttempts {
		t := now.Add(InstalmentRetryDelay)
		next = &t
	}
	q := tx.Model(&portal.Instalment{}).Where("id = ? AND status = ? AND attempts = ?", in.ID, portal.InstalmentProcessing, in.Attempts)
	if m.awaitingWebhook {
		q = q.Where("claimed_until IS NULL AND payment_intent_id = ?", m.paymentIntentID)
	} else {
		q = q.Where("claimed_until IS NOT NULL")
	}
	res := q.Updates(map[string]any{"status": status, "attempts": attempts, "next_attempt_at": next,
		"payment_intent_id": m.paymentIntentID, "last_error": truncate(m.code, 200), "claimed_until": nil, "updated_at": now})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, nil
	}
	data := map[string]any{"instalment_id": in.ID, "seq": in.Seq, "amount_cents": in.AmountCents, "status": status,
		"code": m.code, "attempt": attempts}
	if next != nil {
		data["next_attempt_at"] = *next
	}
	if err := portal.Record(tx, now, c.ID, portal.EventInstalmentFailed, portal.SystemActor, data); err != nil {
		return nil, err
	}
	var plan portal.Plan
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&plan, in.PlanID).Error; err != nil {
		return nil, err
	}
	if in.Attempts == 0 {
		// An instalment counts as missed once, however many retries it gets.
		plan.MissedCount++
		if err := tx.Model(&portal.Plan{}).Where("id = ?", plan.ID).Updates(map[string]any{"missed_count": plan.MissedCount, "updated_at": now}).Error; err != nil {
			return nil, err
		}
	}
	out := &MissedInstalment{CaseID: c.ID, PlanID: plan.ID, InstalmentID: in.ID, Seq: in.Seq, AmountCents: in.AmountCents,
		Currency: c.Currency, Status: status, Code: m.code, NextAttemptAt: next}
	if err := s.instalmentLink(tx, c, in, out, now); err != nil {
		return nil, err
	}
	var cr portal.Creditor
	if err := tx.Take(&cr, c.CreditorID).Error; err != nil {
		return nil, err
	}
	pol := s.core.PolicyFor(portal.CaseDetail{Case: c, Creditor: cr})
	if plan.Status == portal.PlanStatusActive && plan.MissedCount > pol.MaxMissedInstalments {
		out.Lapsed = true
		if err := s.lapsePlan(tx, c, plan, pol.MaxMissedInstalments, now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// instalmentLink creates the link that lets the debtor pay a failed
// instalment on session, and writes it on the timeline (never the token).
func (s *Service) instalmentLink(tx *gorm.DB, c portal.Case, in portal.Instalment, out *MissedInstalment, now time.Time) error {
	channel := "copy"
	switch {
	case c.DebtorEmail != "":
		channel = "email"
	case c.DebtorPhone != "":
		channel = "sms"
	}
	token := portal.RandomToken()
	id := in.ID
	l := portal.Link{CaseID: c.ID, TokenHash: portal.HashToken(token), Channel: channel, Purpose: "instalment", InstalmentID: &id,
		ExpiresAt: now.Add(InstalmentLinkTTL), CreatedAt: now}
	if err := tx.Create(&l).Error; err != nil {
		return err
	}
	out.LinkID, out.LinkChannel = l.ID, channel
	out.LinkURL = strings.TrimRight(s.core.BaseURL, "/") + "/l/" + token
	return portal.Record(tx, now, c.ID, portal.EventLinkCreated, portal.SystemActor, map[string]any{"link_id": l.ID, "channel": channel,
		"purpose": "instalment", "instalment_id": in.ID, "expires_at": l.ExpiresAt})
}

// lapsePlan ends a plan after too many misses: its unpaid instalments are
// cancelled (a charge already under way still counts when its webhook
// lands), the case is open again and the timeline puts it in the agents'
// queue.
func (s *Service) lapsePlan(tx *gorm.DB, c portal.Case, plan portal.Plan, maxMissed int, now time.Time) error {
	if err := tx.Model(&portal.Plan{}).Where("id = ?", plan.ID).Updates(map[string]any{"status": portal.PlanStatusLapsed, "updated_at": now}).Error; err != nil {
		return err
	}
	if err := cancelUnpaid(tx, plan.ID, now); err != nil {
		return err
	}
	if err := portal.Record(tx, now, c.ID, portal.EventPlanLapsed, portal.SystemActor, map[string]any{"plan_id": plan.ID, "missed": plan.MissedCount, "max_missed": maxMissed}); err != nil {
		return err
	}
	if c.Status == portal.StatusPlanActive {
		return portal.Move(tx, s.now(), c, portal.StatusOpen, portal.SystemActor)
	}
	return nil
}

// cardSaved handles a completed setup-mode Checkout: it starts a pending
// plan whose first payment is not due yet, or replaces the card of an
// active plan and brings failed instalments back for a charge on it.
func (s *Service) cardSaved(tx *gorm.DB, c portal.Case, ev payments.Event) error {
	var plan portal.Plan
	q := tx.Where("case_id = ? AND status IN ?", c.ID, []string{portal.PlanStatusPending, portal.PlanStatusActive})
	if ev.PlanID != 0 {
		q = q.Where("id = ?", ev.PlanID)
	}
	err := q.Order("id DESC").Take(&plan).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil // a plan that has ended since: nothing to save the card for
	}
	if err != nil {
		return err
	}
	now := s.now()
	if plan.Status == portal.PlanStatusPending {
		return s.activatePlan(tx, c, plan, ev, now)
	}
	m, err := s.savedMethod(tx, c, plan, ev)
	if err != nil {
		return err
	}
	if m.PaymentMethodID == plan.StripePaymentMethodID {
		return nil
	}
	if err := tx.Model(&portal.Plan{}).Where("id = ?", plan.ID).Updates(map[string]any{"stripe_customer_id": m.CustomerID,
		"stripe_payment_method_id": m.PaymentMethodID, "updated_at": now}).Error; err != nil {
		return err
	}
	if err := tx.Model(&portal.Instalment{}).Where("plan_id = ? AND status IN ?", plan.ID, []string{portal.InstalmentFailed, portal.InstalmentRequiresAction}).
		Updates(map[string]any{"next_attempt_at": now, "updated_at": now}).Error; err != nil {
		return err
	}
	return portal.Record(tx, now, c.ID, portal.EventCardChanged, portal.DebtorActor, map[string]any{"plan_id": plan.ID})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// needsLookup says whether the card an event's checkout saved must be asked
// of Stripe: the event does not name it, or names a SetupIntent (whose card
// is the one saved).
func needsLookup(ev payments.Event) bool {
	return ev.PaymentMethodID == "" || ev.SetupIntentID != ""
}

// lookUpSavedMethod asks Stripe, outside any transaction, for the card a
// checkout saved when applying ev will need it: the first payment of a
// pending plan, or a setup-mode checkout for a pending or active plan. It
// reads without locking; savedMethod refuses, for a retry, the rare event
// whose need appeared in between.
func (s *Service) lookUpSavedMethod(ctx context.Context, ev payments.Event) (payments.Event, error) {
	if !needsLookup(ev) || ev.CaseID == 0 || !s.CardEnabled() {
		return ev, nil
	}
	db := s.db(ctx)
	need := false
	switch ev.Kind {
	case payments.KindCheckoutSetup:
		q := db.Model(&portal.Plan{}).Where("case_id = ? AND status IN ?", ev.CaseID, []string{portal.PlanStatusPending, portal.PlanStatusActive})
		if ev.PlanID != 0 {
			q = q.Where("id = ?", ev.PlanID)
		}
		var n int64
		if err := q.Count(&n).Error; err != nil {
			return ev, err
		}
		need = n > 0
	case payments.KindCheckoutPaid, payments.KindPaymentSucceeded:
		if ev.InstalmentID == 0 {
			return ev, nil
		}
		var n int64
		if err := db.Model(&portal.Plan{}).Joins("JOIN instalments ON instalments.plan_id = plans.id").
			Where("instalments.id = ? AND instalments.case_id = ? AND plans.status = ?", ev.InstalmentID, ev.CaseID, portal.PlanStatusPending).
			Count(&n).Error; err != nil {
			return ev, err
		}
		need = n > 0
	}
	if !need {
		return ev, nil
	}
	m, err := s.stripe.SavedPaymentMethod(ctx, ev)
	if err != nil {
		return ev, fmt.Errorf("look up the card saved by %s: %w", ev.ID, err)
	}
	ev.Saved = &m
	return ev, nil
}
