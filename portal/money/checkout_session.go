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

// How long a request creating a session holds its slot (longer than any
// Stripe call should take; a claim whose process died lapses by itself),
// and how long another request for the slot waits for that session.
const (
	claimTTL  = time.Minute
	claimWait = 20 * time.Second
	claimPoll = 25 * time.Millisecond
)

// errCheckoutBusy: the slot's session is still being created elsewhere
// after claimWait; the debtor is asked to try again, as for a Stripe error.
var errCheckoutBusy = errors.New("another request is still creating this checkout session")

// name is the slot's identity among the case's claims.
func (slot checkoutSlot) name() string {
	n := slot.purpose + ":" + strconv.FormatInt(slot.amount, 10)
	if slot.planID != nil {
		n += ":plan-" + strconv.FormatInt(*slot.planID, 10)
	}
	if slot.instalmentID != nil {
		n += ":instalment-" + strconv.FormatInt(*slot.instalmentID, 10)
	}
	return n
}

// openCheckout is the one session-reuse algorithm for every Checkout Reglo
// opens. An unexpired session of the slot is reused. Otherwise one request
// claims the slot in the database (a row per case and slot, taken with a
// conditional update, so exactly one of any number of concurrent requests,
// in any number of processes, wins); it alone calls Stripe, outside any
// transaction, and records the session and frees the claim together. The
// others wait for that session and reuse it. The idempotency key names the
// slot and the try (the count of the slot's sessions so far plus one), so a
// retry after a failed call sends Stripe the same key.
func (s *Service) openCheckout(ctx context.Context, slot checkoutSlot, create func(key string) (payments.CheckoutSession, error)) (string, error) {
	q := s.db(ctx).Model(&portal.CheckoutSession{}).Where("case_id = ? AND purpose = ? AND amount_cents = ?", slot.caseID, slot.purpose, slot.amount)
	if slot.planID != nil {
		q = q.Where("plan_id = ?", *slot.planID)
	}
	if slot.instalmentID != nil {
		q = q.Where("instalment_id = ?", *slot.instalmentID)
	}
	q = q.Session(&gorm.Session{})
	reusable := func() (string, error) {
		var existing portal.CheckoutSession
		err := q.Where("expires_at > ?", s.now().Add(reuseMargin)).Order("id DESC").Take(&existing).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return "", nil
		}
		return existing.URL, err
	}
	name := slot.name()
	giveUp := time.Now().Add(claimWait)
	for {
		url, err := reusable()
		if url != "" || err != nil {
			return url, err
		}
		claimed, err := s.claimSlot(ctx, slot.caseID, name)
		if err != nil {
			return "", err
		}
		if claimed {
			break
		}
		if time.Now().After(giveUp) {
			return "", fmt.Errorf("checkout for case %d (%s): %w", slot.caseID, slot.purpose, errCheckoutBusy)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(claimPoll):
		}
	}
	release := func(tx *gorm.DB) error {
		return tx.Model(&portal.CheckoutClaim{}).Where("case_id = ? AND slot = ?", slot.caseID, name).Update("claimed_until", nil).Error
	}
	// A session recorded between the look and the claim is reused.
	if url, err := reusable(); url != "" || err != nil {
		_ = release(s.db(context.WithoutCancel(ctx)))
		return url, err
	}
	var tries int64
	if err := q.Count(&tries).Error; err != nil {
		_ = release(s.db(context.WithoutCancel(ctx)))
		return "", err
	}
	key := slot.key(strconv.FormatInt(tries+1, 10))
	cs, err := create(key)
	if err != nil {
		_ = release(s.db(context.WithoutCancel(ctx)))
		return "", fmt.Errorf("checkout for case %d (%s): %w", slot.caseID, slot.purpose, err)
	}
	now := s.now()
	row := portal.CheckoutSession{CaseID: slot.caseID, PlanID: slot.planID, StripeSessionID: cs.ID, IdempotencyKey: key, URL: cs.URL,
		AmountCents: slot.amount, Purpose: slot.purpose, InstalmentID: slot.instalmentID, CreatedAt: now, ExpiresAt: now.Add(sessionTTL)}
	err = s.core.Store.Tx(context.WithoutCancel(ctx), func(tx *gorm.DB) error {
		if err := release(tx); err != nil {
			return err
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // recorded already (stripe-mock gives every session one id)
		}
		return portal.Record(tx, now, slot.caseID, slot.event, portal.DebtorActor, slot.data)
	})
	if err != nil {
		return "", err
	}
	return cs.URL, nil
}

// claimSlot takes a case's slot for the caller if nobody holds it (or the
// holder's claim lapsed), and reports whether it did.
func (s *Service) claimSlot(ctx context.Context, caseID int64, name string) (bool, error) {
	now := s.now()
	db := s.db(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&portal.CheckoutClaim{CaseID: caseID, Slot: name}).Error; err != nil {
		return false, err
	}
	res := db.Model(&portal.CheckoutClaim{}).Where("case_id = ? AND slot = ? AND (claimed_until IS NULL OR claimed_until < ?)", caseID, name, now).
		Update("claimed_until", now.Add(claimTTL))
	return res.RowsAffected == 1, res.Error
}
