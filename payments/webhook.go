package payments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// ErrBadSignature wraps every reason a webhook delivery is not proven to come
// from Stripe: no or unreadable Stripe-Signature header, a signature made with
// another secret, or a timestamp older than SignatureTolerance (a replay).
// The caller answers 400.
var ErrBadSignature = errors.New("payments: webhook signature is not valid")

// ErrMalformedEvent wraps the error for an event that is correctly signed but
// lacks a field Reglo needs (or has it in an unexpected shape), typically
// because the webhook endpoint's API version drifted from the one this code
// was written for. The caller answers with a non-2xx status (500) and logs
// loudly: Stripe retries non-2xx deliveries for three days, so the event is
// delivered again once the code is fixed, instead of being silently dropped.
var ErrMalformedEvent = errors.New("payments: webhook event lacks fields Reglo needs")

// SignatureTolerance is how old a webhook signature's timestamp may be;
// older deliveries are refused as possible replays.
const SignatureTolerance = 5 * time.Minute

// Kind is what a Stripe event means for Reglo.
type Kind string

// The kinds of events Reglo acts upon; every other event is KindIgnored.
const (
	// KindCheckoutPaid: a payment-mode Checkout Session is paid
	// (checkout.session.completed with payment_status "paid", or
	// checkout.session.async_payment_succeeded). Record the payment.
	KindCheckoutPaid Kind = "checkout_paid"
	// KindCheckoutPending: the debtor completed Checkout with a method that
	// settles later (payment_status "unpaid"); the async_payment_* event
	// tells how it ends.
	KindCheckoutPending Kind = "checkout_pending"
	// KindCheckoutSetup: a setup-mode Checkout Session completed; the card
	// is saved on SetupIntentID for CustomerID (see SavedPaymentMethod).
	KindCheckoutSetup Kind = "checkout_setup"
	// KindCheckoutFailed: an async payment started in Checkout failed
	// (checkout.session.async_payment_failed).
	KindCheckoutFailed Kind = "checkout_failed"
	// KindPaymentSucceeded: payment_intent.succeeded, including off-session
	// instalment charges.
	KindPaymentSucceeded Kind = "payment_succeeded"
	// KindPaymentFailed: payment_intent.payment_failed; FailureCode says why
	// (authentication_required, card_declined...).
	KindPaymentFailed Kind = "payment_failed"
	// KindRefunded: charge.refunded; RefundedCents is the charge's
	// cumulative amount_refunded, not this refund's amount.
	KindRefunded Kind = "refunded"
	// KindDisputeOpened: charge.dispute.created (a chargeback).
	KindDisputeOpened Kind = "dispute_opened"
	// KindDisputeClosed: charge.dispute.closed; DisputeStatus is "won" or
	// "lost" (or "warning_closed" for an inquiry that ended).
	KindDisputeClosed Kind = "dispute_closed"
	// KindIgnored: anything else; answer 2xx and do nothing.
	KindIgnored Kind = "ignored"
)

// Event is the part of a Stripe event that Reglo acts upon. Ids and amounts
// that the event does not carry are left empty or zero.
type Event struct {
	ID       string // evt_..., unique: record it so a second delivery changes nothing
	Type     string // Stripe's type, e.g. "checkout.session.completed"
	Kind     Kind
	Created  time.Time
	Livemode bool

	// CaseID, PlanID and InstalmentID come from the object's metadata
	// (case_id, plan_id, installment_id); 0 when absent or unparsable.
	// Disputes carry no metadata of ours: find the payment by
	// PaymentIntentID or ChargeID instead.
	CaseID       int64
	PlanID       int64
	InstalmentID int64
	// Ref is metadata reglo_ref: the idempotency key Reglo created the
	// Checkout Session or PaymentIntent with, carried by both, so the
	// session's and the PaymentIntent's events name one payment even when
	// the session's payment_intent is still null. Empty on objects Reglo
	// did not create (and on charges and disputes).
	Ref string

	// AmountCents is the amount paid or attempted in minor units: a
	// session's amount_total, a PaymentIntent's amount_received (amount if
	// none was received), a charge's or a dispute's amount.
	AmountCents int64
	// Currency is the ISO 4217 code, upper-case ("EUR").
	Currency string

	PaymentIntentID   string
	ChargeID          string
	CheckoutSessionID string
	CustomerID        string
	PaymentMethodID   string
	SetupIntentID     string
	DisputeID         string
	// Saved is the customer and card the checkout saved, when the event
	// does not name them and the caller looked them up (SavedPaymentMethod)
	// before applying it; never filled by ParseEvent.
	Saved *SavedMethod

	// DisputeStatus is the dispute's status (needs_response, won, lost...).
	DisputeStatus string
	// DisputeReason is the reason the debtor's bank gave (fraudulent...).
	DisputeReason string
	// RefundedCents is charge.amount_refunded: everything refunded on the
	// charge so far, so a late or repeated event never counts twice.
	RefundedCents int64

	// FailureCode is last_payment_error.code of a failed PaymentIntent
	// (authentication_required, card_declined...) or a charge's failure_code.
	FailureCode string
	// DeclineCode is the issuer's decline code, when there is one.
	DeclineCode    string
	FailureMessage string

	// Mode is the Checkout Session's mode: "payment" or "setup".
	Mode string
}

// ParseEvent verifies a webhook delivery's Stripe-Signature header against
// the webhook secret and turns the event into an Event.
//
// API versions: stripe-go v76 refuses by default events whose api_version is
// not the one it was generated for (2023-10-16). A webhook endpoint's version
// is set in Stripe's dashboard and drifts independently of this code, and a
// refused event would be lost to Reglo even though Stripe took the money. So
// the version check is off (IgnoreAPIVersionMismatch), stripe-go's typed
// objects are not used, and only the few fields Reglo needs are decoded, each
// accepting both an id and an expanded object where Stripe allows either. If a
// field needed for the event's kind is missing, ParseEvent returns
// ErrMalformedEvent rather than guess, so the delivery fails visibly and
// Stripe retries it.
//
// Errors: ErrNotConfigured without a webhook secret; ErrBadSignature (400);
// ErrMalformedEvent (500).
func (c *Client) ParseEvent(payload []byte, sigHeader string) (Event, error) {
	if c == nil || c.webhookSecret == "" {
		return Event{}, fmt.Errorf("%w: no webhook secret", ErrNotConfigured)
	}
	// stripe-go refuses signatures older than the tolerance but not ones
	// dated ahead of it; a timestamp far in the future is no more a fresh
	// delivery than an old one.
	if t, ok := signatureTime(sigHeader); ok && t.After(time.Now().Add(SignatureTolerance)) {
		return Event{}, fmt.Errorf("%w: timestamp in the future", ErrBadSignature)
	}
	se, err := webhook.ConstructEventWithOptions(payload, sigHeader, c.webhookSecret, webhook.ConstructEventOptions{
		Tolerance:                SignatureTolerance,
		IgnoreAPIVersionMismatch: true,
	})
	if err != nil {
		if errors.Is(err, webhook.ErrNotSigned) || errors.Is(err, webhook.ErrInvalidHeader) ||
			errors.Is(err, webhook.ErrNoValidSignature) || errors.Is(err, webhook.ErrTooOld) {
			return Event{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		// Signed, but not even the event envelope decodes.
		return Event{}, fmt.Errorf("%w: %w", ErrMalformedEvent, err)
	}
	return decodeEvent(se.ID, string(se.Type), se.Created, se.Livemode, se.Data)
}

// DecodeEvent reads an event Stripe's API returned (GET /v1/events), for
// which there is no signature to check: the caller fetched it from Stripe
// with its own key. It gives the same Event as ParseEvent for the same
// event, so a webhook and a reconciliation apply it alike.
func DecodeEvent(se *stripe.Event) (Event, error) {
	if se == nil {
		return Event{}, fmt.Errorf("%w: no event", ErrMalformedEvent)
	}
	return decodeEvent(se.ID, string(se.Type), se.Created, se.Livemode, se.Data)
}

func decodeEvent(id, typ string, created int64, livemode bool, data *stripe.EventData) (Event, error) {
	if id == "" || typ == "" || data == nil || len(bytes.TrimSpace(data.Raw)) == 0 {
		return Event{}, fmt.Errorf("%w: event without id, type or data.object", ErrMalformedEvent)
	}
	ev := Event{
		ID:       id,
		Type:     typ,
		Kind:     KindIgnored,
		Created:  time.Unix(created, 0).UTC(),
		Livemode: livemode,
	}
	if !handled[ev.Type] {
		return ev, nil
	}
	var o object
	if err := json.Unmarshal(data.Raw, &o); err != nil {
		return Event{}, fmt.Errorf("%w: %s %s: %w", ErrMalformedEvent, ev.Type, ev.ID, err)
	}
	if o.ID == "" {
		return Event{}, missing(ev, "data.object.id")
	}
	ev.CaseID = o.Metadata.id(MetaCaseID)
	ev.PlanID = o.Metadata.id(MetaPlanID)
	ev.InstalmentID = o.Metadata.id(MetaInstalmentID)
	ev.Ref = strings.TrimSpace(o.Metadata[MetaRef])
	ev.Currency = strings.ToUpper(o.Currency)
	ev.CustomerID = string(o.Customer)
	ev.PaymentMethodID = string(o.PaymentMethod)

	switch {
	case strings.HasPrefix(ev.Type, "checkout.session."):
		return checkoutEvent(ev, o)
	case strings.HasPrefix(ev.Type, "payment_intent."):
		return paymentIntentEvent(ev, o)
	case ev.Type == "charge.refunded":
		return refundEvent(ev, o)
	default:
		return disputeEvent(ev, o)
	}
}

// handled lists the Stripe event types that map to a Kind other than
// KindIgnored.
var handled = map[string]bool{
	"checkout.session.completed":               true,
	"checkout.session.async_payment_succeeded": true,
	"checkout.session.async_payment_failed":    true,
	"payment_intent.succeeded":                 true,
	"payment_intent.payment_failed":            true,
	"charge.refunded":                          true,
	"charge.dispute.created":                   true,
	"charge.dispute.closed":                    true,
}

func checkoutEvent(ev Event, o object) (Event, error) {
	ev.CheckoutSessionID = o.ID
	ev.PaymentIntentID = string(o.PaymentIntent)
	ev.SetupIntentID = string(o.SetupIntent)
	ev.Mode = o.Mode
	if o.AmountTotal != nil {
		ev.AmountCents = *o.AmountTotal
	}
	if ev.Mode == "" {
		return Event{}, missing(ev, "mode")
	}
	switch ev.Type {
	case "checkout.session.completed":
		switch ev.Mode {
		case "setup":
			if ev.SetupIntentID == "" {
				return Event{}, missing(ev, "setup_intent")
			}
			ev.Kind = KindCheckoutSetup
			return ev, nil
		case "payment":
		default:
			return ev, nil // subscriptions: not Reglo's
		}
		switch o.PaymentStatus {
		case "paid":
			ev.Kind = KindCheckoutPaid
		case "unpaid":
			ev.Kind = KindCheckoutPending
		case "":
			return Event{}, missing(ev, "payment_status")
		default:
			return ev, nil // no_payment_required: nothing was paid
		}
	case "checkout.session.async_payment_succeeded":
		ev.Kind = KindCheckoutPaid
	case "checkout.session.async_payment_failed":
		ev.Kind = KindCheckoutFailed
		return ev, nil
	}
	if ev.Mode != "payment" {
		ev.Kind = KindIgnored
		return ev, nil
	}
	if o.AmountTotal == nil {
		return Event{}, missing(ev, "amount_total")
	}
	if ev.Currency == "" {
		return Event{}, missing(ev, "currency")
	}
	return ev, nil
}

func paymentIntentEvent(ev Event, o object) (Event, error) {
	ev.PaymentIntentID = o.ID
	ev.ChargeID = string(o.LatestCharge)
	if o.AmountReceived != nil && *o.AmountReceived > 0 {
		ev.AmountCents = *o.AmountReceived
	} else if o.Amount != nil {
		ev.AmountCents = *o.Amount
	}
	if e := o.LastPaymentError; e != nil {
		ev.FailureCode = e.Code
		ev.DeclineCode = e.DeclineCode
		ev.FailureMessage = e.Message
		if ev.ChargeID == "" {
			ev.ChargeID = string(e.Charge)
		}
	}
	if ev.Type == "payment_intent.payment_failed" {
		ev.Kind = KindPaymentFailed
		return ev, nil
	}
	ev.Kind = KindPaymentSucceeded
	if o.Amount == nil && o.AmountReceived == nil {
		return Event{}, missing(ev, "amount")
	}
	if ev.Currency == "" {
		return Event{}, missing(ev, "currency")
	}
	return ev, nil
}

func refundEvent(ev Event, o object) (Event, error) {
	ev.Kind = KindRefunded
	ev.ChargeID = o.ID
	ev.PaymentIntentID = string(o.PaymentIntent)
	ev.FailureCode = o.FailureCode
	ev.FailureMessage = o.FailureMessage
	if o.Amount != nil {
		ev.AmountCents = *o.Amount
	}
	if o.AmountRefunded == nil {
		return Event{}, missing(ev, "amount_refunded")
	}
	ev.RefundedCents = *o.AmountRefunded
	if ev.Currency == "" {
		return Event{}, missing(ev, "currency")
	}
	return ev, nil
}

func disputeEvent(ev Event, o object) (Event, error) {
	ev.Kind = KindDisputeOpened
	if ev.Type == "charge.dispute.closed" {
		ev.Kind = KindDisputeClosed
	}
	ev.DisputeID = o.ID
	ev.ChargeID = string(o.Charge)
	ev.PaymentIntentID = string(o.PaymentIntent)
	ev.DisputeStatus = o.Status
	ev.DisputeReason = o.Reason
	if o.Amount != nil {
		ev.AmountCents = *o.Amount
	}
	switch {
	case ev.ChargeID == "" && ev.PaymentIntentID == "":
		return Event{}, missing(ev, "charge")
	case ev.DisputeStatus == "":
		return Event{}, missing(ev, "status")
	case o.Amount == nil:
		return Event{}, missing(ev, "amount")
	case ev.Currency == "":
		return Event{}, missing(ev, "currency")
	}
	return ev, nil
}

func missing(ev Event, field string) error {
	return fmt.Errorf("%w: %s %s has no %s", ErrMalformedEvent, ev.Type, ev.ID, field)
}

// object is the union of the fields Reglo reads from the Checkout Sessions,
// PaymentIntents, charges and disputes inside events. Pointers tell a
// missing amount from a zero one.
type object struct {
	ID               string        `json:"id"`
	Mode             string        `json:"mode"`
	PaymentStatus    string        `json:"payment_status"`
	Status           string        `json:"status"`
	Reason           string        `json:"reason"`
	AmountTotal      *int64        `json:"amount_total"`
	Amount           *int64        `json:"amount"`
	AmountReceived   *int64        `json:"amount_received"`
	AmountRefunded   *int64        `json:"amount_refunded"`
	Currency         string        `json:"currency"`
	PaymentIntent    ref           `json:"payment_intent"`
	SetupIntent      ref           `json:"setup_intent"`
	Customer         ref           `json:"customer"`
	PaymentMethod    ref           `json:"payment_method"`
	LatestCharge     ref           `json:"latest_charge"`
	Charge           ref           `json:"charge"`
	FailureCode      string        `json:"failure_code"`
	FailureMessage   string        `json:"failure_message"`
	LastPaymentError *paymentError `json:"last_payment_error"`
	Metadata         meta          `json:"metadata"`
}

type paymentError struct {
	Code        string `json:"code"`
	DeclineCode string `json:"decline_code"`
	Message     string `json:"message"`
	Charge      ref    `json:"charge"`
}

// ref is a reference to another Stripe object, which Stripe sends either as
// its id or, when expanded, as the object itself.
type ref string

func (r *ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*r = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*r = ref(s)
		return nil
	}
	var o struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return fmt.Errorf("reference is neither an id nor an object: %w", err)
	}
	*r = ref(o.ID)
	return nil
}

// meta is an object's metadata. Stripe sends string values; anything else
// (or a metadata that is not an object) is tolerated and reads as absent, as
// metadata is a hint the caller checks against what it stored.
type meta map[string]string

func (m *meta) UnmarshalJSON(b []byte) error {
	var raw map[string]any
	if json.Unmarshal(b, &raw) != nil {
		*m = nil
		return nil
	}
	out := make(meta, len(raw))
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case float64:
			out[k] = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	*m = out
	return nil
}

// id reads a positive integer id; 0 when absent or unparsable.
func (m meta) id(key string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(m[key]), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// signatureTime reads the t= timestamp of a Stripe-Signature header.
func signatureTime(header string) (time.Time, bool) {
	for _, part := range strings.Split(header, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "t="); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return time.Time{}, false
			}
			return time.Unix(n, 0), true
		}
	}
	return time.Time{}, false
}
