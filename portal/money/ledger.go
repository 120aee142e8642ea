package money

import (
	"errors"
	"sort"

	"gorm.io/gorm"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
)

// The ledger rule: every amount applied to a case is matched to money
// Reglo recorded, in the same currency. Refunds and chargebacks are first
// kept as Stripe reported them (stripe_returns), then applied to the
// payment they name, capped together at what that payment brought in.
// Whatever cannot be applied (an unknown charge, another currency, more
// than was paid) is unmatched money: held for an agent, never in a
// balance. A late payment event lets earlier returns match after all, so
// the same events in any order give the same balance.

// Dispute states, in the only order they may move.
var disputeRank = map[string]int{"open": 1, "won": 2, "lost": 2}

// moved is the money a return took back: a charge's refunds, or the
// amount of a lost chargeback (an open or won one takes nothing).
func moved(r portal.StripeReturn) int64 {
	if r.Kind == portal.PaymentRefund || r.State == "lost" {
		return r.AmountCents
	}
	return 0
}

// applyRefund keeps a charge's cumulative refunded amount (it only grows,
// so late or repeated charge.refunded events never count twice) and
// applies it.
func (s *Service) applyRefund(tx *gorm.DB, ev payments.Event) error {
	key := "refund:" + ev.ChargeID
	if ev.ChargeID == "" {
		key = "refund:" + ev.PaymentIntentID
	}
	return s.keepReturn(tx, ev, portal.StripeReturn{ReturnKey: key, Kind: portal.PaymentRefund, AmountCents: ev.RefundedCents})
}

// applyDispute keeps a chargeback's stage (open, then won or lost) and
// applies it: an open one flags the case for an agent, a lost one takes
// its amount back, a won one leaves the payment standing.
func (s *Service) applyDispute(tx *gorm.DB, ev payments.Event) error {
	state := "open"
	if ev.Kind == payments.KindDisputeClosed {
		state = "won"
		if ev.DisputeStatus == "lost" {
			state = "lost"
		}
	}
	return s.keepReturn(tx, ev, portal.StripeReturn{ReturnKey: "dispute:" + ev.DisputeID, Kind: portal.PaymentDispute,
		DisputeID: ev.DisputeID, AmountCents: ev.AmountCents, State: state, Reason: ev.DisputeReason})
}

// keepReturn records what Stripe reported, if it moves the return forward,
// then applies it to its payment or holds it as unmatched.
func (s *Service) keepReturn(tx *gorm.DB, ev payments.Event, r portal.StripeReturn) error {
	now := s.now()
	r.PaymentIntentID, r.ChargeID, r.Currency, r.StripeEventID = ev.PaymentIntentID, ev.ChargeID, ev.Currency, ev.ID
	if ev.CaseID != 0 {
		id := ev.CaseID
		r.CaseHint = &id
	}
	r.CreatedAt, r.UpdatedAt = now, now
	var cur portal.StripeReturn
	err := tx.Where("return_key = ?", r.ReturnKey).Take(&cur).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		forward := r.Kind == portal.PaymentRefund && r.AmountCents > cur.AmountCents ||
			r.Kind == portal.PaymentDispute && disputeRank[r.State] > disputeRank[cur.State]
		if !forward {
			return nil // an older or repeated event
		}
		set := map[string]any{"amount_cents": r.AmountCents, "state": r.State, "reason": r.Reason, "stripe_event_id": ev.ID, "updated_at": now}
		if cur.PaymentIntentID == "" {
			set["payment_intent_id"] = r.PaymentIntentID
		} else {
			r.PaymentIntentID = cur.PaymentIntentID
		}
		if cur.ChargeID == "" {
			set["charge_id"] = r.ChargeID
		} else {
			r.ChargeID = cur.ChargeID
		}
		if err := tx.Model(&portal.StripeReturn{}).Where("return_key = ?", r.ReturnKey).Updates(set).Error; err != nil {
			return err
		}
		r.CreatedAt = cur.CreatedAt
	}
	p, err := paymentOf(tx, r.PaymentIntentID, r.ChargeID)
	if errors.Is(err, portal.ErrNotFound) {
		return s.holdReturn(tx, ev, r)
	}
	if err != nil {
		return err
	}
	c, err := lockCase(tx, p.CaseID)
	if err != nil {
		return err
	}
	if err := s.matchReturns(tx, c, p); err != nil {
		return err
	}
	return s.settleStatus(tx, c)
}

// holdReturn holds a return that names no payment Reglo recorded, on the
// case its metadata names if there is one.
func (s *Service) holdReturn(tx *gorm.DB, ev payments.Event, r portal.StripeReturn) error {
	var caseID int64
	if r.CaseHint != nil {
		c, err := lockCase(tx, *r.CaseHint)
		if err != nil && !errors.Is(err, portal.ErrNotFound) {
			return err
		}
		caseID = c.ID
	}
	_, err := s.holdUnmatched(tx, ev, unmatched{key: "return:" + r.ReturnKey, caseID: caseID, reason: portal.UnmatchedUnknownPayment,
		cents: moved(r), currency: r.Currency, disputeID: r.DisputeID})
	return err
}

// matchReturns applies every return that names payment p, refunds first,
// each up to what p has left, and holds the rest as unmatched. It is
// computed afresh from what Stripe reported each time, so it gives the same
// rows whatever order the events came in.
func (s *Service) matchReturns(tx *gorm.DB, c portal.Case, p portal.Payment) error {
	var rs []portal.StripeReturn
	var q *gorm.DB
	switch {
	case p.PaymentIntentID != "" && p.ChargeID != "":
		q = tx.Where("payment_intent_id = ? OR charge_id = ?", p.PaymentIntentID, p.ChargeID)
	case p.PaymentIntentID != "":
		q = tx.Where("payment_intent_id = ?", p.PaymentIntentID)
	case p.ChargeID != "":
		q = tx.Where("charge_id = ?", p.ChargeID)
	default:
		return nil // nothing can name it yet
	}
	if err := q.Find(&rs).Error; err != nil {
		return err
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Kind != rs[j].Kind {
			return rs[i].Kind == portal.PaymentRefund
		}
		return rs[i].ReturnKey < rs[j].ReturnKey
	})
	left := p.AmountCents
	for _, r := range rs {
		ev := payments.Event{ID: r.StripeEventID, PaymentIntentID: p.PaymentIntentID, ChargeID: r.ChargeID}
		hold := unmatched{key: "return:" + r.ReturnKey, caseID: c.ID, reason: portal.UnmatchedExcess, currency: r.Currency, disputeID: r.DisputeID}
		applied := int64(0)
		if r.Currency == p.Currency {
			applied = min(moved(r), left)
			left -= applied
		} else {
			hold.reason = portal.UnmatchedCurrency
		}
		hold.cents = moved(r) - applied
		if err := s.writeReturn(tx, c, p, r, applied); err != nil {
			return err
		}
		if _, err := s.holdUnmatched(tx, ev, hold); err != nil {
			return err
		}
	}
	if left <= 0 && len(rs) > 0 {
		return s.voidDiscount(tx, c, p)
	}
	return nil
}

// writeReturn keeps the ledger row of one return (minus what it took back)
// and tells the timeline when it moved.
func (s *Service) writeReturn(tx *gorm.DB, c portal.Case, p portal.Payment, r portal.StripeReturn, applied int64) error {
	now := s.now()
	var cur portal.Payment
	err := tx.Where("stripe_object_id = ?", r.ReturnKey).Take(&cur).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		if r.Kind == portal.PaymentRefund && applied == 0 {
			return nil
		}
		cur = portal.Payment{CaseID: c.ID, Kind: r.Kind, AmountCents: -applied, Currency: p.Currency, StripeObjectID: r.ReturnKey,
			PaymentIntentID: p.PaymentIntentID, ChargeID: r.ChargeID, State: r.State, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&cur).Error; err != nil {
			return err
		}
	case err != nil:
		return err
	case cur.AmountCents == -applied && cur.State == r.State:
		return nil
	default:
		if err := tx.Model(&portal.Payment{}).Where("id = ?", cur.ID).Updates(map[string]any{"amount_cents": -applied, "state": r.State, "updated_at": now}).Error; err != nil {
			return err
		}
		if r.Kind == portal.PaymentDispute && cur.State == r.State {
			return nil // the same stage, another share of the payment
		}
	}
	if r.Kind == portal.PaymentRefund {
		return portal.Record(tx, now, c.ID, portal.EventRefunded, portal.StripeActor, map[string]any{"refunded_cents": applied, "payment_id": p.ID})
	}
	kind := portal.EventChargebackOpened
	switch r.State {
	case "won":
		kind = portal.EventChargebackWon
	case "lost":
		kind = portal.EventChargebackLost
	}
	return portal.Record(tx, now, c.ID, kind, portal.StripeActor, map[string]any{"amount_cents": r.AmountCents, "reason": r.Reason, "payment_id": p.ID})
}

// unmatched is what holdUnmatched keeps: the amount Stripe reported that no
// case balance may take, under a key naming what it is about.
type unmatched struct {
	key       string
	caseID    int64 // 0 when no case could be named
	reason    string
	cents     int64
	currency  string
	disputeID string
}

// holdUnmatched keeps one unmatched amount up to date and reports whether
// it grew. An amount that grows after an agent resolved it is open again;
// one that drops to zero was matched after all.
func (s *Service) holdUnmatched(tx *gorm.DB, ev payments.Event, u unmatched) (bool, error) {
	now := s.now()
	var caseID *int64
	if u.caseID != 0 {
		caseID = &u.caseID
	}
	var cur portal.UnmatchedMoney
	err := tx.Where("money_key = ?", u.key).Take(&cur).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		if u.cents == 0 {
			return false, nil
		}
		row := portal.UnmatchedMoney{MoneyKey: u.key, CaseID: caseID, Reason: u.reason, AmountCents: u.cents, Currency: u.currency,
			StripeEventID: ev.ID, PaymentIntentID: ev.PaymentIntentID, ChargeID: ev.ChargeID, CheckoutSessionID: ev.CheckoutSessionID,
			DisputeID: u.disputeID, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return false, err
		}
	case err != nil:
		return false, err
	case cur.AmountCents == u.cents && cur.Reason == u.reason:
		return false, nil
	default:
		set := map[string]any{"amount_cents": u.cents, "reason": u.reason, "case_id": caseID, "stripe_event_id": ev.ID, "updated_at": now}
		if u.cents > cur.AmountCents && cur.ResolvedAt != nil {
			set["resolved_at"], set["resolved_by"], set["resolution_note"] = nil, nil, ""
		}
		if err := tx.Model(&portal.UnmatchedMoney{}).Where("id = ?", cur.ID).Updates(set).Error; err != nil {
			return false, err
		}
		if u.cents <= cur.AmountCents {
			return false, nil
		}
	}
	s.core.Log.Warn("unmatched stripe money", "reason", u.reason, "amount_cents", u.cents, "currency", u.currency, "case_id", u.caseID,
		"stripe_event", ev.ID, "payment_intent", ev.PaymentIntentID, "charge", ev.ChargeID, "checkout_session", ev.CheckoutSessionID, "dispute", u.disputeID)
	if u.caseID == 0 {
		return true, nil
	}
	return true, portal.Record(tx, now, u.caseID, portal.EventUnmatchedMoney, portal.StripeActor, map[string]any{"reason": u.reason, "amount_cents": u.cents, "currency": u.currency})
}
