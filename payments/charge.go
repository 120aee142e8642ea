package payments

import (
	"context"
	"errors"
	"fmt"

	"github.com/stripe/stripe-go/v76"
)

// OffSessionCharge describes one plan instalment charged by the scheduler on
// the card the debtor saved, while the debtor is not there.
type OffSessionCharge struct {
	CaseID       int64
	PlanID       int64
	InstalmentID int64
	AmountCents  int64
	// Currency is an ISO 4217 code such as "EUR"; it is sent lower-case.
	Currency        string
	CustomerID      string
	PaymentMethodID string
	// IdempotencyKey is required; see InstalmentKey.
	IdempotencyKey string
}

// Outcome is what an off-session charge came to, as the scheduler needs it.
type Outcome string

// The outcomes of an off-session charge.
const (
	// OutcomeSucceeded: the money is taken; payment_intent.succeeded follows.
	OutcomeSucceeded Outcome = "succeeded"
	// OutcomeProcessing: the payment method settles later (a bank debit);
	// the webhook tells how it ends.
	OutcomeProcessing Outcome = "processing"
	// OutcomeRequiresAction: the bank wants the debtor to authenticate
	// (authentication_required); send them a link to pay this instalment.
	OutcomeRequiresAction Outcome = "requires_action"
	// OutcomeDeclined: the card was declined; DeclineCode says why.
	OutcomeDeclined Outcome = "declined"
)

// ChargeResult is the answer to ChargeOffSession. A decline or a request to
// authenticate is a result, not an error: the scheduler records it and moves
// the instalment on.
type ChargeResult struct {
	// PaymentIntentID is set whenever Stripe created a PaymentIntent, also
	// for declines, so the attempt can be matched with later webhooks.
	PaymentIntentID string
	// Status is the PaymentIntent's status as Stripe gave it.
	Status  string
	Outcome Outcome
	// DeclineCode is the issuer's decline code (insufficient_funds...) or,
	// when there is none, Stripe's error code (authentication_required,
	// card_declined, expired_card...).
	DeclineCode string
	// Message is Stripe's explanation, fit for an agent, not for a debtor.
	Message string
}

// ChargeOffSession charges a saved payment method for one instalment with a
// PaymentIntent confirmed at once and flagged off_session, carrying metadata
// case_id, plan_id and installment_id.
//
// Card errors come back as a ChargeResult with OutcomeRequiresAction (code
// authentication_required) or OutcomeDeclined and a nil error. A non-nil
// error means the outcome is unknown (network, Stripe unavailable, invalid
// request): retry later with the same idempotency key, which cannot charge
// twice.
func (c *Client) ChargeOffSession(ctx context.Context, r OffSessionCharge) (ChargeResult, error) {
	if err := c.ready(); err != nil {
		return ChargeResult{}, err
	}
	cur, err := stripeCurrency(r.Currency)
	if err != nil {
		return ChargeResult{}, err
	}
	switch {
	case r.CaseID <= 0:
		return ChargeResult{}, invalid("off-session charge without a case")
	case r.AmountCents <= 0:
		return ChargeResult{}, invalid("off-session charge of %d cents", r.AmountCents)
	case r.CustomerID == "" || r.PaymentMethodID == "":
		return ChargeResult{}, invalid("off-session charge for case %d needs a customer and a payment method", r.CaseID)
	}
	if err := checkKey(r.IdempotencyKey); err != nil {
		return ChargeResult{}, err
	}
	p := &stripe.PaymentIntentParams{
		Amount:        stripe.Int64(r.AmountCents),
		Currency:      stripe.String(cur),
		Customer:      stripe.String(r.CustomerID),
		PaymentMethod: stripe.String(r.PaymentMethodID),
		Confirm:       stripe.Bool(true),
		OffSession:    stripe.Bool(true),
		// Nobody is there to follow a redirect; a method that would need
		// one must fail rather than wait for a return_url.
		AutomaticPaymentMethods: &stripe.PaymentIntentAutomaticPaymentMethodsParams{
			Enabled:        stripe.Bool(true),
			AllowRedirects: stripe.String(string(stripe.PaymentIntentAutomaticPaymentMethodsAllowRedirectsNever)),
		},
		Metadata: withRef(metadata(r.CaseID, r.PlanID, r.InstalmentID), r.IdempotencyKey),
	}
	p.Context = ctx
	p.SetIdempotencyKey(r.IdempotencyKey)
	pi, err := c.api.PaymentIntents.New(p)
	if err != nil {
		var se *stripe.Error
		if errors.As(err, &se) && se.Type == stripe.ErrorTypeCard {
			return cardErrorResult(se), nil
		}
		return ChargeResult{}, fmt.Errorf("payments: charge instalment %d: %w", r.InstalmentID, reduceStripe(err))
	}
	return intentResult(pi), nil
}

func cardErrorResult(se *stripe.Error) ChargeResult {
	res := ChargeResult{Outcome: OutcomeDeclined, DeclineCode: string(se.DeclineCode), Message: se.Msg}
	if res.DeclineCode == "" {
		res.DeclineCode = string(se.Code)
	}
	if se.Code == stripe.ErrorCodeAuthenticationRequired || se.DeclineCode == stripe.DeclineCodeAuthenticationRequired {
		res.Outcome = OutcomeRequiresAction
	}
	if se.PaymentIntent != nil {
		res.PaymentIntentID = se.PaymentIntent.ID
		res.Status = string(se.PaymentIntent.Status)
	}
	return res
}

func intentResult(pi *stripe.PaymentIntent) ChargeResult {
	res := ChargeResult{PaymentIntentID: pi.ID, Status: string(pi.Status)}
	switch pi.Status {
	case stripe.PaymentIntentStatusSucceeded:
		res.Outcome = OutcomeSucceeded
	case stripe.PaymentIntentStatusRequiresAction:
		res.Outcome = OutcomeRequiresAction
	case stripe.PaymentIntentStatusRequiresPaymentMethod, stripe.PaymentIntentStatusCanceled:
		res.Outcome = OutcomeDeclined
		if e := pi.LastPaymentError; e != nil {
			res.DeclineCode = string(e.DeclineCode)
			if res.DeclineCode == "" {
				res.DeclineCode = string(e.Code)
			}
			res.Message = e.Msg
			if e.Code == stripe.ErrorCodeAuthenticationRequired {
				res.Outcome = OutcomeRequiresAction
			}
		}
	default:
		// processing, and states a confirmed automatic-capture intent should
		// not be in: wait for the webhook rather than guess.
		res.Outcome = OutcomeProcessing
	}
	return res
}

// Refund refunds amountCents of a PaymentIntent (0 refunds what is left) and
// returns the refund's id (re_...). The charge.refunded webhook that follows
// is what changes the case's balance.
func (c *Client) Refund(ctx context.Context, paymentIntentID string, amountCents int64, idempotencyKey string) (string, error) {
	if err := c.ready(); err != nil {
		return "", err
	}
	if paymentIntentID == "" || amountCents < 0 {
		return "", invalid("refund of %d cents of payment intent %q", amountCents, paymentIntentID)
	}
	if err := checkKey(idempotencyKey); err != nil {
		return "", err
	}
	p := &stripe.RefundParams{PaymentIntent: stripe.String(paymentIntentID)}
	if amountCents > 0 {
		p.Amount = stripe.Int64(amountCents)
	}
	p.Context = ctx
	p.SetIdempotencyKey(idempotencyKey)
	re, err := c.api.Refunds.New(p)
	if err != nil {
		return "", fmt.Errorf("payments: refund %s: %w", paymentIntentID, reduceStripe(err))
	}
	return re.ID, nil
}
