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

// caseOf finds the case an event is about: by its metadata, or by the
// payment recorded for its PaymentIntent. It locks the case row, so that
// concurrent events on one case apply one after the other.
func (s *Service) caseOf(tx *gorm.DB, ev payments.Event) (portal.Case, error) {
	id := ev.CaseID
	if id == 0 && ev.PaymentIntentID != "" {
		var p portal.Payment
		err := tx.Where("payment_intent_id = ? AND kind IN ?", ev.PaymentIntentID, []string{portal.PaymentCard, portal.PaymentInstalment}).Take(&p).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return portal.Case{}, err
		}
		id = p.CaseID
	}
	if id == 0 {
		return portal.Case{}, portal.ErrNotFound
	}
	var c portal.Case
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&c, id).Error
	return c, portal.NotFound(err)
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

// applyPaid records a succeeded payment once, keyed by its PaymentIntent:
// checkout.session.completed and payment_intent.succeeded for the same
// money collapse into one row.
func (s *Service) applyPaid(tx *gorm.DB, ev payments.Event) error {
	if ev.CaseID == 0 {
		return nil // not a payment Reglo started
	}
	c, err := s.caseOf(tx, ev)
	if errors.Is(err, portal.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if ev.AmountCents <= 0 {
		return nil
	}
	now := s.now()
	if ev.Currency != "" && ev.Currency != c.Currency {
		return portal.Record(tx, now, c.ID, portal.EventPaymentCurrencyMismatch, portal.StripeActor, map[string]any{"amount_cents": ev.AmountCents, "currency": ev.Currency})
	}
	objectID := ev.PaymentIntentID
	if objectID == "" {
		objectID = ev.CheckoutSessionID
	}
	kind := portal.PaymentCard
	var instalmentID *int64
	if ev.InstalmentID != 0 {
		kind = portal.PaymentInstalment
		id := ev.InstalmentID
		instalmentID = &id
	}
	p := portal.Payment{CaseID: c.ID, Kind: kind, AmountCents: ev.AmountCents, Currency: c.Currency, StripeObjectID: objectID,
		PaymentIntentID: ev.PaymentIntentID, CheckoutSessionID: ev.CheckoutSessionID, InstalmentID: instalmentID, CreatedAt: now, UpdatedAt: now}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		// Already counted by the sibling event; it may have lacked the
		// session id the success page looks for.
		if ev.CheckoutSessionID == "" {
			return nil
		}
		if err := tx.Model(&portal.Payment{}).Where("stripe_object_id = ? AND checkout_session_id = ''", objectID).
			Update("checkout_session_id", ev.CheckoutSessionID).Error; err != nil {
			return err
		}
		if err := s.applySettlement(tx, c, objectID, ev.CheckoutSessionID); err != nil {
			return err
		}
		return s.settleStatus(tx, c)
	}
	if err := portal.Record(tx, now, c.ID, portal.EventPaymentSucceeded, portal.StripeActor, map[string]any{"payment_id": p.ID, "amount_cents": p.AmountCents, "kind": kind}); err != nil {
		return err
	}
	if err := s.instalmentPaid(tx, c, ev, p); err != nil {
		return err
	}
	if err := s.applySettlement(tx, c, objectID, ev.CheckoutSessionID); err != nil {
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

// applyRefund records the cumulative refunded amount of a charge. The row
// only ever grows, so late or repeated charge.refunded events never count
// a refund twice or undo a larger one.
func (s *Service) applyRefund(tx *gorm.DB, ev payments.Event) error {
	c, err := s.caseOf(tx, ev)
	if errors.Is(err, portal.ErrNotFound) {
		if ev.CaseID == 0 && ev.PaymentIntentID != "" {
			return ErrEventNotReady
		}
		return nil
	}
	if err != nil {
		return err
	}
	if ev.RefundedCents <= 0 {
		return nil
	}
	key := "refund:" + ev.ChargeID
	if ev.ChargeID == "" {
		key = "refund:" + ev.PaymentIntentID
	}
	now := s.now()
	var cur portal.Payment
	err = tx.Where("stripe_object_id = ?", key).Take(&cur).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		cur = portal.Payment{CaseID: c.ID, Kind: portal.PaymentRefund, AmountCents: -ev.RefundedCents, Currency: c.Currency, StripeObjectID: key,
			PaymentIntentID: ev.PaymentIntentID, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&cur).Error; err != nil {
			return err
		}
	case err != nil:
		return err
	case -cur.AmountCents >= ev.RefundedCents:
		return nil // an older or repeated event
	default:
		if err := tx.Model(&portal.Payment{}).Where("id = ?", cur.ID).Updates(map[string]any{"amount_cents": -ev.RefundedCents, "updated_at": now}).Error; err != nil {
			return err
		}
	}
	if err := portal.Record(tx, now, c.ID, portal.EventRefunded, portal.StripeActor, map[string]any{"refunded_cents": ev.RefundedCents}); err != nil {
		return err
	}
	if err := s.voidDiscount(tx, c, ev.PaymentIntentID, ev.RefundedCents); err != nil {
		return err
	}
	return s.settleStatus(tx, c)
}

// Dispute states, in the only order they may move.
var disputeRank = map[string]int{"open": 1, "won": 2, "lost": 2}

// applyDispute tracks a chargeback. An open dispute flags the case for an
// agent; a lost one gives the money back to the balance (a row of minus the
// disputed amount); a won one leaves the payment standing.
func (s *Service) applyDispute(tx *gorm.DB, ev payments.Event) error {
	c, err := s.caseOf(tx, ev)
	if errors.Is(err, portal.ErrNotFound) {
		return ErrEventNotReady
	}
	if err != nil {
		return err
	}
	state := "open"
	if ev.Kind == payments.KindDisputeClosed {
		switch ev.DisputeStatus {
		case "lost":
			state = "lost"
		default:
			state = "won"
		}
	}
	amount := int64(0)
	if state == "lost" {
		amount = -ev.AmountCents
	}
	key := "dispute:" + ev.DisputeID
	now := s.now()
	var cur portal.Payment
	err = tx.Where("stripe_object_id = ?", key).Take(&cur).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		cur = portal.Payment{CaseID: c.ID, Kind: portal.PaymentDispute, AmountCents: amount, Currency: c.Currency, StripeObjectID: key,
			PaymentIntentID: ev.PaymentIntentID, State: state, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&cur).Error; err != nil {
			return err
		}
	case err != nil:
		return err
	case disputeRank[cur.State] >= disputeRank[state]:
		return nil // a late "created" after "closed", or a repeat
	default:
		if err := tx.Model(&portal.Payment{}).Where("id = ?", cur.ID).Updates(map[string]any{"amount_cents": amount, "state": state, "updated_at": now}).Error; err != nil {
			return err
		}
	}
	kind := portal.EventChargebackOpened
	switch state {
	case "won":
		kind = portal.EventChargebackWon
	case "lost":
		kind = portal.EventChargebackLost
	}
	if err := portal.Record(tx, now, c.ID, kind, portal.StripeActor, map[string]any{"amount_cents": ev.AmountCents, "reason": ev.DisputeReason}); err != nil {
		return err
	}
	if state == "lost" {
		if err := s.voidDiscount(tx, c, ev.PaymentIntentID, ev.AmountCents); err != nil {
			return err
		}
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
func (s *Service) applySettlement(tx *gorm.DB, c portal.Case, objectID, sessionID string) error {
	if sessionID == "" {
		return nil
	}
	var cs portal.CheckoutSession
	err := tx.Where("stripe_session_id = ? AND case_id = ?", sessionID, c.ID).Take(&cs).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || err == nil && cs.Purpose != "settlement" {
		return nil
	}
	if err != nil {
		return err
	}
	var paid portal.Payment
	if err := tx.Where("stripe_object_id = ?", objectID).Take(&paid).Error; err != nil {
		return err
	}
	if paid.AmountCents < cs.AmountCents {
		return nil
	}
	b, err := portal.BalanceTx(tx, c.ID)
	if err != nil {
		return err
	}
	if b.Cents() <= 0 {
		return nil
	}
	now := s.now()
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&portal.Payment{CaseID: c.ID, Kind: portal.PaymentDiscount, AmountCents: b.Cents(),
		Currency: c.Currency, StripeObjectID: "discount:" + objectID, PaymentIntentID: paid.PaymentIntentID, CreatedAt: now, UpdatedAt: now})
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	return portal.Record(tx, now, c.ID, portal.EventSettlementAccepted, portal.StripeActor, map[string]any{"paid_cents": paid.AmountCents, "waived_cents": b.Cents()})
}

// voidDiscount cancels the settlement discount of a payment whose money
// went back to the debtor (full refund, lost chargeback): the deal was to
// waive the rest for that payment, so without it the full debt is owed.
func (s *Service) voidDiscount(tx *gorm.DB, c portal.Case, paymentIntentID string, returnedCents int64) error {
	if paymentIntentID == "" {
		return nil
	}
	var paid portal.Payment
	err := tx.Where("payment_intent_id = ? AND kind IN ?", paymentIntentID, []string{portal.PaymentCard, portal.PaymentInstalment}).Take(&paid).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil || returnedCents < paid.AmountCents {
		return err
	}
	res := tx.Model(&portal.Payment{}).Where("stripe_object_id = ? AND amount_cents <> 0", "discount:"+paid.StripeObjectID).
		Updates(map[string]any{"amount_cents": 0, "updated_at": s.now()})
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	return portal.Record(tx, s.now(), c.ID, portal.EventSettlementVoided, portal.StripeActor, nil)
}
