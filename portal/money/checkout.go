package money

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
)

// Settlement is a creditor's reduced amount for paying everything at once.
type Settlement struct {
	AmountCents int64
	ValidUntil  portal.Date
}

// SettlementOffer returns the settlement offer on a case while it is valid.
// The offer runs from the case's creation for the policy's valid days.
func (s *Service) SettlementOffer(d portal.CaseDetail) (Settlement, bool) {
	if portal.May(d.Case.Status, d.Balance.Cents(), portal.ActionPay) != nil {
		return Settlement{}, false
	}
	// A case with any payment already made is no longer offered the
	// discount: it was for settling the whole debt in one go.
	if d.Balance.PaidCents > 0 || d.Balance.Cents() <= 0 {
		return Settlement{}, false
	}
	p := s.core.PolicyFor(d)
	amount, ok := plans.Settlement(d.Balance.Cents(), p)
	if !ok {
		return Settlement{}, false
	}
	until := plans.SettlementValidUntil(plans.DateOf(d.Case.CreatedAt), p)
	if portal.DateOf(s.now()).After(until) {
		return Settlement{}, false
	}
	return Settlement{AmountCents: amount, ValidUntil: portal.DateOf(until)}, true
}

// StartPayment opens (or reuses) a Stripe Checkout Session for paying a
// case in full, or for its settlement offer when settle is true and the
// offer is valid, and returns the URL to send the debtor to.
//
// A double tap or two tabs give one session: an unexpired session for the
// same amount is reused, and a race between two requests sends the same
// idempotency key, so Stripe itself answers both with one session.
func (s *Service) StartPayment(ctx context.Context, caseID int64, settle bool, lang string) (string, error) {
	if !s.CardEnabled() {
		return "", portal.ErrCardNotConfigured
	}
	d, err := s.core.CaseDetail(ctx, caseID)
	if err != nil {
		return "", err
	}
	if err := portal.May(d.Case.Status, d.Balance.Cents(), portal.ActionPay); err != nil {
		return "", err
	}
	amount := d.Balance.Cents()
	purpose := "full"
	label := fmt.Sprintf("%s — %s", d.Creditor.Name, d.Case.Reference)
	if settle {
		offer, ok := s.SettlementOffer(d)
		if !ok {
			return "", portal.Invalid("choice", "settlement_expired", "the settlement offer is no longer valid")
		}
		amount, purpose = offer.AmountCents, "settlement"
	}
	if amount <= 0 {
		return "", portal.ErrNothingToPay
	}
	base := strings.TrimRight(s.core.BaseURL, "/")
	slot := checkoutSlot{caseID: caseID, amount: amount, purpose: purpose, event: portal.EventPaymentStarted,
		data: map[string]any{"amount_cents": amount, "purpose": purpose},
		key:  func(try string) string { return payments.CheckoutKey(caseID, amount, purpose+"-"+try) }}
	return s.openCheckout(ctx, slot, func(key string) (payments.CheckoutSession, error) {
		return s.stripe.CreateCheckout(ctx, payments.CheckoutRequest{
			CaseID:            caseID,
			Currency:          d.Case.Currency,
			Lines:             []payments.Line{{Name: label, AmountCents: amount}},
			Locale:            lang,
			CustomerEmail:     d.Case.DebtorEmail,
			CustomerID:        d.Case.StripeCustomerID,
			ClientReferenceID: "case-" + strconv.FormatInt(caseID, 10),
			SuccessURL:        base + "/case/paid?session_id={CHECKOUT_SESSION_ID}",
			CancelURL:         base + "/case",
			IdempotencyKey:    key,
		})
	})
}

// CheckoutResult says what a debtor returning from Stripe should see.
type CheckoutResult struct {
	// Confirmed is true once the webhook recorded the payment.
	Confirmed   bool
	AmountCents int64
	PaymentID   int64
}

// CheckoutStatus reports whether the payment of a session the case opened
// has been confirmed by Stripe's webhook. Sessions of other cases are
// ErrNotFound.
func (s *Service) CheckoutStatus(ctx context.Context, caseID int64, stripeSessionID string) (CheckoutResult, error) {
	var cs portal.CheckoutSession
	if err := s.db(ctx).Where("case_id = ? AND stripe_session_id = ?", caseID, stripeSessionID).Take(&cs).Error; err != nil {
		return CheckoutResult{}, portal.NotFound(err)
	}
	res := CheckoutResult{AmountCents: cs.AmountCents}
	var p portal.Payment
	err := s.db(ctx).Where("case_id = ? AND checkout_session_id = ?", caseID, stripeSessionID).Take(&p).Error
	switch {
	case err == nil:
		res.Confirmed, res.PaymentID = true, p.ID
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return res, err
	}
	return res, nil
}
