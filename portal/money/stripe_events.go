package money

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
)

// ErrEventNotReady means an event refers to a payment Reglo has not seen
// yet (a dispute before its payment's success). Nothing is recorded and the
// webhook answers 5xx, so Stripe delivers it again later.
var ErrEventNotReady = errors.New("stripe event refers to a payment not recorded yet")

// ApplyStripeEvent records a verified Stripe event and its effect in one
// transaction: the event id is inserted first (unique), so a second
// delivery, even a concurrent one, changes nothing. Every effect is keyed on
// a Stripe object id and only moves forward, so events in any order leave
// the same state. It reports whether the event was new.
func (s *Service) ApplyStripeEvent(ctx context.Context, ev payments.Event) (bool, error) {
	if ev.ID == "" {
		return false, errors.New("stripe event without id")
	}
	var seen int64
	if err := s.db(ctx).Model(&portal.StripeEvent{}).Where("id = ?", ev.ID).Count(&seen).Error; err != nil {
		return false, fmt.Errorf("apply stripe event %s (%s): %w", ev.ID, ev.Type, err)
	}
	if seen > 0 {
		return false, nil // delivered before: nothing to look up or apply
	}
	// Any question for Stripe is asked before the transaction opens, so no
	// row lock (and, on SQLite, no database) waits on the network.
	ev, err := s.lookUpSavedMethod(ctx, ev)
	if err != nil {
		return false, fmt.Errorf("apply stripe event %s (%s): %w", ev.ID, ev.Type, err)
	}
	now := s.now()
	applied := false
	err = s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&portal.StripeEvent{ID: ev.ID, Type: ev.Type, ReceivedAt: now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return nil // delivered before
		}
		applied = true
		return s.applyEvent(tx, ev)
	})
	if err != nil {
		return false, fmt.Errorf("apply stripe event %s (%s): %w", ev.ID, ev.Type, err)
	}
	return applied, nil
}

func (s *Service) applyEvent(tx *gorm.DB, ev payments.Event) error {
	switch ev.Kind {
	case payments.KindCheckoutPaid, payments.KindPaymentSucceeded:
		return s.applyPaid(tx, ev)
	case payments.KindCheckoutPending:
		return s.onCase(tx, ev, func(c portal.Case) error {
			return portal.Record(tx, s.now(), c.ID, portal.EventPaymentPending, portal.StripeActor, map[string]any{"amount_cents": ev.AmountCents})
		})
	case payments.KindCheckoutFailed, payments.KindPaymentFailed:
		return s.onCase(tx, ev, func(c portal.Case) error {
			if err := portal.Record(tx, s.now(), c.ID, portal.EventPaymentFailed, portal.StripeActor, map[string]any{"amount_cents": ev.AmountCents, "code": ev.FailureCode}); err != nil {
				return err
			}
			return s.instalmentFailed(tx, c, ev)
		})
	case payments.KindCheckoutSetup:
		return s.onCase(tx, ev, func(c portal.Case) error { return s.cardSaved(tx, c, ev) })
	case payments.KindRefunded:
		return s.applyRefund(tx, ev)
	case payments.KindDisputeOpened, payments.KindDisputeClosed:
		return s.applyDispute(tx, ev)
	}
	return nil
}

// lockCase reads a case and locks its row, so that concurrent events on
// one case apply one after the other.
func lockCase(tx *gorm.DB, id int64) (portal.Case, error) {
	if id <= 0 {
		return portal.Case{}, portal.ErrNotFound
	}
	var c portal.Case
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&c, id).Error
	return c, portal.NotFound(err)
}

// caseOf finds the case an event is about: by its metadata, or by the
// payment recorded for its PaymentIntent, and locks it.
func (s *Service) caseOf(tx *gorm.DB, ev payments.Event) (portal.Case, error) {
	id := ev.CaseID
	if id == 0 && ev.PaymentIntentID != "" {
		p, err := paymentOf(tx, ev.PaymentIntentID, "")
		if err != nil && !errors.Is(err, portal.ErrNotFound) {
			return portal.Case{}, err
		}
		id = p.CaseID
	}
	return lockCase(tx, id)
}

// onCase runs fn for the event's case, and ignores events about payments
// that are not Reglo's (no case to be found).
func (s *Service) onCase(tx *gorm.DB, ev payments.Event, fn func(portal.Case) error) error {
	c, err := s.caseOf(tx, ev)
	if errors.Is(err, portal.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return fn(c)
}

// paymentKey is the one identity of a payment, whichever of its objects an
// event is about: the idempotency key Reglo created the session or
// PaymentIntent with (metadata reglo_ref, carried by both), else the
// PaymentIntent, else the Checkout Session.
func paymentKey(ev payments.Event) string {
	switch {
	case ev.Ref != "":
		return "ref:" + ev.Ref
	case ev.PaymentIntentID != "":
		return ev.PaymentIntentID
	}
	return ev.CheckoutSessionID
}

var moneyKinds = []string{portal.PaymentCard, portal.PaymentInstalment}

// paymentOf finds the payment a PaymentIntent or a charge made.
func paymentOf(tx *gorm.DB, paymentIntentID, chargeID string) (portal.Payment, error) {
	var p portal.Payment
	q := tx.Where("kind IN ?", moneyKinds)
	switch {
	case paymentIntentID != "" && chargeID != "":
		q = q.Where("payment_intent_id = ? OR charge_id = ?", paymentIntentID, chargeID)
	case paymentIntentID != "":
		q = q.Where("payment_intent_id = ?", paymentIntentID)
	case chargeID != "":
		q = q.Where("charge_id = ?", chargeID)
	default:
		return p, portal.ErrNotFound
	}
	return p, portal.NotFound(q.Order("id").Take(&p).Error)
}

// samePayment finds the payment an event's money was already counted as:
// by its identity, by its PaymentIntent, or (for objects without Reglo's
// reference) the sibling event of one Checkout payment: a session whose
// payment_intent was null and that PaymentIntent's success, on one case,
// for one amount and instalment.
func samePayment(tx *gorm.DB, c portal.Case, ev payments.Event, key string, kind string) (portal.Payment, error) {
	var p portal.Payment
	err := tx.Where("stripe_object_id = ?", key).Take(&p).Error
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return p, err
	}
	if ev.PaymentIntentID != "" {
		p, err = paymentOf(tx, ev.PaymentIntentID, "")
		if !errors.Is(err, portal.ErrNotFound) {
			return p, err
		}
	}
	if ev.Ref != "" {
		return p, portal.ErrNotFound
	}
	q := tx.Where("case_id = ? AND kind = ? AND amount_cents = ? AND stripe_object_id NOT LIKE 'ref:%'", c.ID, kind, ev.AmountCents)
	if ev.InstalmentID != 0 {
		q = q.Where("instalment_id = ?", ev.InstalmentID)
	} else {
		q = q.Where("instalment_id IS NULL")
	}
	switch {
	case ev.PaymentIntentID != "" && ev.CheckoutSessionID == "":
		q = q.Where("payment_intent_id = '' AND checkout_session_id <> ''")
	case ev.CheckoutSessionID != "" && ev.PaymentIntentID == "":
		q = q.Where("checkout_session_id = '' AND payment_intent_id <> ''")
	default:
		return p, portal.ErrNotFound
	}
	return p, portal.NotFound(q.Order("id").Take(&p).Error)
}

// applyPaid records a succeeded payment once, whichever of its events
// (checkout.session.completed, async_payment_succeeded,
// payment_intent.succeeded) comes first, and fills in the ids the later
// ones bring. Money that cannot be matched to a case in its currency is
// recorded as unmatched, never in a balance.
func (s *Service) applyPaid(tx *gorm.DB, ev payments.Event) error {
	if ev.CaseID == 0 {
		return nil // not a payment Reglo started
	}
	if ev.AmountCents <= 0 {
		return nil
	}
	now := s.now()
	key := paymentKey(ev)
	c, err := lockCase(tx, ev.CaseID)
	if errors.Is(err, portal.ErrNotFound) {
		_, err := s.holdUnmatched(tx, ev, unmatched{key: "pay:" + key, reason: portal.UnmatchedNoCase, cents: ev.AmountCents, currency: ev.Currency})
		return err
	}
	if err != nil {
		return err
	}
	if ev.Currency != "" && ev.Currency != c.Currency {
		held, err := s.holdUnmatched(tx, ev, unmatched{key: "pay:" + key, caseID: c.ID, reason: portal.UnmatchedCurrency, cents: ev.AmountCents, currency: ev.Currency})
		if err != nil || !held {
			return err
		}
		return portal.Record(tx, now, c.ID, portal.EventPaymentCurrencyMismatch, portal.StripeActor, map[string]any{"amount_cents": ev.AmountCents, "currency": ev.Currency})
	}
	kind := portal.PaymentCard
	var instalmentID *int64
	if ev.InstalmentID != 0 {
		kind = portal.PaymentInstalment
		id := ev.InstalmentID
		instalmentID = &id
	}
	p, err := samePayment(tx, c, ev, key, kind)
	switch {
	case err == nil:
		return s.completePayment(tx, c, p, ev)
	case !errors.Is(err, portal.ErrNotFound):
		return err
	}
	p = portal.Payment{CaseID: c.ID, Kind: kind, AmountCents: ev.AmountCents, Currency: c.Currency, StripeObjectID: key,
		PaymentIntentID: ev.PaymentIntentID, ChargeID: ev.ChargeID, CheckoutSessionID: ev.CheckoutSessionID, InstalmentID: instalmentID, CreatedAt: now, UpdatedAt: now}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return nil // cannot happen under the case lock; counted once anyway
	}
	if err := portal.Record(tx, now, c.ID, portal.EventPaymentSucceeded, portal.StripeActor, map[string]any{"payment_id": p.ID, "amount_cents": p.AmountCents, "kind": kind}); err != nil {
		return err
	}
	if err := s.applySettlement(tx, c, p); err != nil {
		return err
	}
	if err := s.matchReturns(tx, c, p); err != nil {
		return err
	}
	if err := s.instalmentPaid(tx, c, ev, p); err != nil {
		return err
	}
	if err := s.settleStatus(tx, c); err != nil {
		return err
	}
	// Money beyond the debt is never lost: the timeline and the agent's
	// worklist show it so it can be refunded.
	b, err := portal.BalanceTx(tx, c.ID)
	if err != nil {
		return err
	}
	if over := b.OverpaidCents(); over > 0 {
		return portal.Record(tx, now, c.ID, portal.EventOverpaid, portal.StripeActor, map[string]any{"overpaid_cents": over, "payment_id": p.ID})
	}
	return nil
}

// completePayment takes what a second event about a counted payment adds:
// the PaymentIntent a session lacked, its charge, the session the success
// page looks for. Refunds and chargebacks that waited for those ids now
// match.
func (s *Service) completePayment(tx *gorm.DB, c portal.Case, p portal.Payment, ev payments.Event) error {
	set := map[string]any{}
	if p.PaymentIntentID == "" && ev.PaymentIntentID != "" {
		set["payment_intent_id"], p.PaymentIntentID = ev.PaymentIntentID, ev.PaymentIntentID
	}
	if p.ChargeID == "" && ev.ChargeID != "" {
		set["charge_id"], p.ChargeID = ev.ChargeID, ev.ChargeID
	}
	if p.CheckoutSessionID == "" && ev.CheckoutSessionID != "" {
		set["checkout_session_id"], p.CheckoutSessionID = ev.CheckoutSessionID, ev.CheckoutSessionID
	}
	if len(set) == 0 {
		return nil
	}
	set["updated_at"] = s.now()
	if err := tx.Model(&portal.Payment{}).Where("id = ?", p.ID).Updates(set).Error; err != nil {
		return err
	}
	if err := s.applySettlement(tx, c, p); err != nil {
		return err
	}
	if err := s.matchReturns(tx, c, p); err != nil {
		return err
	}
	return s.settleStatus(tx, c)
}

// settleStatus moves a case to paid when its balance reaches zero, and
// reopens a paid case when money comes back (refund, lost chargeback).
func (s *Service) settleStatus(tx *gorm.DB, c portal.Case) error {
	b, err := portal.BalanceTx(tx, c.ID)
	if err != nil {
		return err
	}
	switch {
	case b.Cents() <= 0 && c.Status != portal.StatusPaid && c.Status != portal.StatusClosed:
		return portal.Move(tx, s.now(), c, portal.StatusPaid, portal.StripeActor)
	case b.Cents() > 0 && c.Status == portal.StatusPaid:
		next := portal.StatusOpen
		var active int64
		if err := tx.Model(&portal.Plan{}).Where("case_id = ? AND status = 'active'", c.ID).Count(&active).Error; err != nil {
			return err
		}
		if active > 0 {
			next = portal.StatusPlanActive
		}
		return portal.Move(tx, s.now(), c, next, portal.StripeActor)
	}
	return nil
}

// applySettlement records what the creditor waived when a debtor paid a
// settlement offer in full, so the balance reaches zero. It is keyed on the
// payment, so it applies once whichever of the payment's events comes first.
func (s *Service) applySettlement(tx *gorm.DB, c portal.Case, paid portal.Payment) error {
	if paid.CheckoutSessionID == "" {
		return nil
	}
	var cs portal.CheckoutSession
	err := tx.Where("stripe_session_id = ? AND case_id = ?", paid.CheckoutSessionID, c.ID).Order("id DESC").Take(&cs).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || err == nil && cs.Purpose != "settlement" {
		return nil
	}
	if err != nil {
		return err
	}
	if paid.AmountCents < cs.AmountCents {
		return nil
	}
	b, err := portal.BalanceTx(tx, c.ID)
	if err != nil {
		return err
	}
	// What the offer leaves unpaid, this payment's own refunds and
	// chargebacks aside: they may have matched before the session's id
	// was known, and must not swell what is waived.
	var returned int64
	if paid.PaymentIntentID != "" {
		if err := tx.Model(&portal.Payment{}).Where("payment_intent_id = ? AND kind IN ?", paid.PaymentIntentID, []string{portal.PaymentRefund, portal.PaymentDispute}).
			Select("COALESCE(-SUM(amount_cents), 0)").Scan(&returned).Error; err != nil {
			return err
		}
	}
	waived := b.Cents() - returned
	if waived <= 0 {
		return nil
	}
	now := s.now()
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&portal.Payment{CaseID: c.ID, Kind: portal.PaymentDiscount, AmountCents: waived,
		Currency: c.Currency, StripeObjectID: "discount:" + paid.StripeObjectID, PaymentIntentID: paid.PaymentIntentID, CreatedAt: now, UpdatedAt: now})
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	return portal.Record(tx, now, c.ID, portal.EventSettlementAccepted, portal.StripeActor, map[string]any{"paid_cents": paid.AmountCents, "waived_cents": waived})
}

// voidDiscount cancels the settlement discount of a payment whose money
// went back to the debtor in full (refunds and lost chargebacks together):
// the deal was to waive the rest for that payment, so without it the full
// debt is owed.
func (s *Service) voidDiscount(tx *gorm.DB, c portal.Case, paid portal.Payment) error {
	res := tx.Model(&portal.Payment{}).Where("stripe_object_id = ? AND amount_cents <> 0", "discount:"+paid.StripeObjectID).
		Updates(map[string]any{"amount_cents": 0, "updated_at": s.now()})
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	return portal.Record(tx, s.now(), c.ID, portal.EventSettlementVoided, portal.StripeActor, nil)
}
