package money

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
)

// sessionTTL is how long Reglo offers a Checkout Session it created; Stripe
// keeps them 24 hours.
const sessionTTL = 23 * time.Hour

// reuseMargin is how long a reused session must still live: a debtor sent
// to it has this long to pay.
const reuseMargin = 10 * time.Minute

// checkoutSlot is what one Checkout Session pays for: a case, a purpose
// (full, settlement, a plan's first payment, an instalment, a card), the
// plan and instalment for plan sessions, and the amount. Two requests for
// the same slot get one session.
type checkoutSlot struct {
	caseID       int64
	planID       *int64
	instalmentID *int64
	amount       int64
	purpose      string
	// key is the idempotency key of the slot's n-th try ("1", "2"...).
	key func(try string) string
	// event and data are what the timeline records once the session exists.
	event portal.EventKind
	data  map[string]any
}

// openCheckout is the one session-reuse algorithm for every Checkout Reglo
// opens. An unexpired session of the slot is reused. Otherwise the try
// number is the count of the slot's sessions so far plus one, and the key
// names the slot and the try: a double tap or two tabs send Stripe the same
// key, so Stripe answers both with one session, and the second row insert
// finds the first (unique on the Stripe session id) and records nothing.
// Stripe is called outside any transaction.
func (s *Service) openCheckout(ctx context.Context, slot checkoutSlot, create func(key string) (payments.CheckoutSession, error)) (string, error) {
	now := s.now()
	q := s.db(ctx).Model(&portal.CheckoutSession{}).Where("case_id = ? AND purpose = ? AND amount_cents = ?", slot.caseID, slot.purpose, slot.amount)
	if slot.planID != nil {
		q = q.Where("plan_id = ?", *slot.planID)
	}
	if slot.instalmentID != nil {
		q = q.Where("instalment_id = ?", *slot.instalmentID)
	}
	q = q.Session(&gorm.Session{})
	var existing portal.CheckoutSession
	err := q.Where("expires_at > ?", now.Add(reuseMargin)).Order("id DESC").Take(&existing).Error
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
	key := slot.key(strconv.FormatInt(tries+1, 10))
	cs, err := create(key)
	if err != nil {
		return "", fmt.Errorf("checkout for case %d (%s): %w", slot.caseID, slot.purpose, err)
	}
	row := portal.CheckoutSession{CaseID: slot.caseID, PlanID: slot.planID, StripeSessionID: cs.ID, IdempotencyKey: key, URL: cs.URL,
		AmountCents: slot.amount, Purpose: slot.purpose, InstalmentID: slot.instalmentID, CreatedAt: now, ExpiresAt: now.Add(sessionTTL)}
	err = s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // the other tab recorded the same session
		}
		return portal.Record(tx, now, slot.caseID, slot.event, portal.DebtorActor, slot.data)
	})
	if err != nil {
		return "", err
	}
	return cs.URL, nil
}
