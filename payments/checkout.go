package payments

import (
	"context"
	"fmt"

	"github.com/stripe/stripe-go/v76"
)

// Line is one line a debtor sees on Stripe's Checkout page.
type Line struct {
	Name        string
	AmountCents int64
}

// CheckoutRequest describes a Checkout Session in payment mode: the debtor
// pays the balance (or a settlement offer, or the first instalment of a
// plan) now.
type CheckoutRequest struct {
	CaseID       int64
	InstalmentID int64 // 0 when the payment is not a plan instalment
	PlanID       int64 // 0 when no plan is involved
	// Currency is an ISO 4217 code such as "EUR"; it is sent lower-case.
	Currency string
	Lines    []Line
	// Locale is the language of Stripe's page: "fr" or "en"; empty lets
	// Stripe pick from the browser.
	Locale        string
	CustomerEmail string
	// CustomerID is an existing Stripe customer (cus_...), optional.
	CustomerID        string
	ClientReferenceID string
	SuccessURL        string
	CancelURL         string
	// SaveCardForLater keeps the payment method for off-session instalment
	// charges: it sets payment_intent_data.setup_future_usage=off_session and
	// attaches the payment to CustomerID, or has Checkout create a customer.
	SaveCardForLater bool
	// IdempotencyKey is required; see CheckoutKey.
	IdempotencyKey string
}

// SetupRequest describes a Checkout Session in setup mode: the debtor saves
// or replaces the card used for a plan's instalments without paying now.
type SetupRequest struct {
	CaseID       int64
	PlanID       int64
	InstalmentID int64 // 0 unless the card is replaced to pay one instalment
	// Currency is required by Stripe in setup mode to choose payment methods.
	Currency string
	Locale   string
	// CustomerID is the Stripe customer to attach the card to; when empty,
	// Checkout creates one (from CustomerEmail when given).
	CustomerID        string
	CustomerEmail     string
	ClientReferenceID string
	SuccessURL        string
	CancelURL         string
	// IdempotencyKey is required; see SetupKey.
	IdempotencyKey string
}

// CheckoutSession is what the portal needs of a created session: its id, to
// match the webhook, and the Stripe-hosted URL to redirect the debtor to.
type CheckoutSession struct {
	ID  string
	URL string
}

// CreateCheckout creates a Checkout Session in payment mode. The session and
// its PaymentIntent both carry metadata case_id (and plan_id and
// installment_id when set), so that checkout.session.* events and the later
// payment_intent.* and charge.* events all name the case.
func (c *Client) CreateCheckout(ctx context.Context, r CheckoutRequest) (CheckoutSession, error) {
	if err := c.ready(); err != nil {
		return CheckoutSession{}, err
	}
	cur, err := stripeCurrency(r.Currency)
	if err != nil {
		return CheckoutSession{}, err
	}
	if err := checkCommon(r.CaseID, r.SuccessURL, r.CancelURL, r.Locale, r.IdempotencyKey); err != nil {
		return CheckoutSession{}, err
	}
	if len(r.Lines) == 0 {
		return CheckoutSession{}, invalid("checkout for case %d has no lines", r.CaseID)
	}
	meta := withRef(metadata(r.CaseID, r.PlanID, r.InstalmentID), r.IdempotencyKey)
	p := &stripe.CheckoutSessionParams{
		Mode:       stripe.String(string(stripe.CheckoutSessionModePayment)),
		SuccessURL: stripe.String(r.SuccessURL),
		CancelURL:  stripe.String(r.CancelURL),
		Locale:     stripe.String(locale(r.Locale)),
		SubmitType: stripe.String(string(stripe.CheckoutSessionSubmitTypePay)),
		Metadata:   meta,
		PaymentIntentData: &stripe.CheckoutSessionPaymentIntentDataParams{
			Metadata: copyMap(meta),
		},
	}
	for _, l := range r.Lines {
		if l.AmountCents <= 0 || l.Name == "" {
			return CheckoutSession{}, invalid("checkout line %q of %d cents", l.Name, l.AmountCents)
		}
		p.LineItems = append(p.LineItems, &stripe.CheckoutSessionLineItemParams{
			Quantity: stripe.Int64(1),
			PriceData: &stripe.CheckoutSessionLineItemPriceDataParams{
				Currency:    stripe.String(cur),
				UnitAmount:  stripe.Int64(l.AmountCents),
				ProductData: &stripe.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripe.String(l.Name)},
			},
		})
	}
	if r.ClientReferenceID != "" {
		p.ClientReferenceID = stripe.String(r.ClientReferenceID)
	}
	// Stripe accepts either an existing customer or an email to prefill, not
	// both.
	switch {
	case r.CustomerID != "":
		p.Customer = stripe.String(r.CustomerID)
	case r.CustomerEmail != "":
		p.CustomerEmail = stripe.String(r.CustomerEmail)
	}
	if r.SaveCardForLater {
		p.PaymentIntentData.SetupFutureUsage = stripe.String(string(stripe.PaymentIntentSetupFutureUsageOffSession))
		if r.CustomerID == "" {
			// A saved card is only usable off session through a customer.
			p.CustomerCreation = stripe.String(string(stripe.CheckoutSessionCustomerCreationAlways))
		}
	}
	p.Context = ctx
	p.SetIdempotencyKey(r.IdempotencyKey)
	s, err := c.api.CheckoutSessions.New(p)
	if err != nil {
		return CheckoutSession{}, fmt.Errorf("payments: create checkout for case %d: %w", r.CaseID, reduceStripe(err))
	}
	return CheckoutSession{ID: s.ID, URL: s.URL}, nil
}

// CreateSetupCheckout creates a Checkout Session in setup mode, used to
// change the card of a plan or to save one when nothing is due today. The
// session and its SetupIntent carry the same metadata as CreateCheckout.
func (c *Client) CreateSetupCheckout(ctx context.Context, r SetupRequest) (CheckoutSession, error) {
	if err := c.ready(); err != nil {
		return CheckoutSession{}, err
	}
	cur, err := stripeCurrency(r.Currency)
	if err != nil {
		return CheckoutSession{}, err
	}
	if err := checkCommon(r.CaseID, r.SuccessURL, r.CancelURL, r.Locale, r.IdempotencyKey); err != nil {
		return CheckoutSession{}, err
	}
	meta := metadata(r.CaseID, r.PlanID, r.InstalmentID)
	p := &stripe.CheckoutSessionParams{
		Mode:            stripe.String(string(stripe.CheckoutSessionModeSetup)),
		Currency:        stripe.String(cur),
		SuccessURL:      stripe.String(r.SuccessURL),
		CancelURL:       stripe.String(r.CancelURL),
		Locale:          stripe.String(locale(r.Locale)),
		Metadata:        meta,
		SetupIntentData: &stripe.CheckoutSessionSetupIntentDataParams{Metadata: copyMap(meta)},
	}
	if r.ClientReferenceID != "" {
		p.ClientReferenceID = stripe.String(r.ClientReferenceID)
	}
	if r.CustomerID != "" {
		p.Customer = stripe.String(r.CustomerID)
	} else {
		p.CustomerCreation = stripe.String(string(stripe.CheckoutSessionCustomerCreationAlways))
		if r.CustomerEmail != "" {
			p.CustomerEmail = stripe.String(r.CustomerEmail)
		}
	}
	p.Context = ctx
	p.SetIdempotencyKey(r.IdempotencyKey)
	s, err := c.api.CheckoutSessions.New(p)
	if err != nil {
		return CheckoutSession{}, fmt.Errorf("payments: create setup checkout for case %d: %w", r.CaseID, reduceStripe(err))
	}
	return CheckoutSession{ID: s.ID, URL: s.URL}, nil
}

// CustomerRequest describes the Stripe customer created for a case, to which
// a plan's saved card is attached.
type CustomerRequest struct {
	Email string
	Name  string
	// CaseID is stored as metadata case_id on the customer.
	CaseID int64
	// IdempotencyKey is required; see CustomerKey.
	IdempotencyKey string
}

// CreateCustomer creates a Stripe customer for a case and returns its id
// (cus_...).
func (c *Client) CreateCustomer(ctx context.Context, r CustomerRequest) (string, error) {
	if err := c.ready(); err != nil {
		return "", err
	}
	if r.CaseID <= 0 {
		return "", invalid("customer without a case")
	}
	if err := checkKey(r.IdempotencyKey); err != nil {
		return "", err
	}
	p := &stripe.CustomerParams{Metadata: metadata(r.CaseID, 0, 0)}
	if r.Email != "" {
		p.Email = stripe.String(r.Email)
	}
	if r.Name != "" {
		p.Name = stripe.String(r.Name)
	}
	p.Context = ctx
	p.SetIdempotencyKey(r.IdempotencyKey)
	cus, err := c.api.Customers.New(p)
	if err != nil {
		return "", fmt.Errorf("payments: create customer for case %d: %w", r.CaseID, reduceStripe(err))
	}
	return cus.ID, nil
}

func checkCommon(caseID int64, successURL, cancelURL, loc, key string) error {
	if caseID <= 0 {
		return invalid("checkout without a case")
	}
	if successURL == "" || cancelURL == "" {
		return invalid("checkout for case %d needs a success and a cancel URL", caseID)
	}
	switch loc {
	case "", "fr", "en":
	default:
		return invalid("locale %q is neither fr nor en", loc)
	}
	return checkKey(key)
}

func locale(l string) string {
	if l == "" {
		return "auto"
	}
	return l
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// SavedMethod is the Stripe customer and payment method that a debtor saved
// for off-session instalment charges.
type SavedMethod struct {
	CustomerID      string
	PaymentMethodID string
}

// SavedPaymentMethod looks up the payment method saved by a completed
// checkout: from its SetupIntent for KindCheckoutSetup (the session object
// names only the SetupIntent), else from its PaymentIntent for a payment
// made with SaveCardForLater.
func (c *Client) SavedPaymentMethod(ctx context.Context, e Event) (SavedMethod, error) {
	if err := c.ready(); err != nil {
		return SavedMethod{}, err
	}
	var cus *stripe.Customer
	var pm *stripe.PaymentMethod
	switch {
	case e.SetupIntentID != "":
		p := &stripe.SetupIntentParams{}
		p.Context = ctx
		si, err := c.api.SetupIntents.Get(e.SetupIntentID, p)
		if err != nil {
			return SavedMethod{}, fmt.Errorf("payments: get setup intent %s: %w", e.SetupIntentID, reduceStripe(err))
		}
		cus, pm = si.Customer, si.PaymentMethod
	case e.PaymentIntentID != "":
		p := &stripe.PaymentIntentParams{}
		p.Context = ctx
		pi, err := c.api.PaymentIntents.Get(e.PaymentIntentID, p)
		if err != nil {
			return SavedMethod{}, fmt.Errorf("payments: get payment intent %s: %w", e.PaymentIntentID, reduceStripe(err))
		}
		cus, pm = pi.Customer, pi.PaymentMethod
	default:
		return SavedMethod{}, invalid("event %s names no setup or payment intent", e.ID)
	}
	var out SavedMethod
	if cus != nil {
		out.CustomerID = cus.ID
	}
	if pm != nil {
		out.PaymentMethodID = pm.ID
	}
	if out.CustomerID == "" {
		out.CustomerID = e.CustomerID
	}
	if out.PaymentMethodID == "" {
		return SavedMethod{}, fmt.Errorf("payments: event %s: no payment method was saved", e.ID)
	}
	return out, nil
}
