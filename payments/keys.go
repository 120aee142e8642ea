package payments

import "fmt"

// Idempotency keys.
//
// Every request that creates something at Stripe carries an Idempotency-Key
// derived from what it pays for, never a random one: Stripe answers a
// repeated key with the first answer instead of creating a second object, so
//
//   - a debtor who taps "Pay" twice gets one Checkout Session, not two;
//   - a scheduler that crashed after Stripe charged but before it recorded
//     the result retries with the same key and gets the same PaymentIntent
//     back, instead of charging the instalment a second time.
//
// Shapes (all begin with "reglo:" so they are recognisable in Stripe's logs):
//
//	reglo:checkout:case:<case>:amount:<cents>:<attempt>
//	reglo:setup:case:<case>:plan:<plan>:<attempt>
//	reglo:instalment:<instalment>:attempt:<n>
//	reglo:customer:case:<case>
//	reglo:refund:<payment_intent>:amount:<cents>:<attempt>
//
// The amount is part of the checkout key because the balance can change
// between two taps (a payment lands, an agent edits a line): a new amount
// must give a new session, never an old session for a stale amount.
//
// Stripe refuses a reused key whose parameters differ (idempotency_error),
// so a caller keeps everything else about a request stable for a given key,
// or changes the attempt. Stripe forgets keys after 24 hours: idempotency
// protects retries within a day; beyond that the caller relies on what it
// recorded (the PaymentIntent id of an instalment, the session of a pending
// checkout) and on the unique Stripe ids it stores.

// CheckoutKey is the idempotency key for a pay-now Checkout Session for
// amount (minor units) on a case. attempt names the debtor's try: the caller
// keeps it for as long as the same session may be shown again (for example
// the id of the pending payment row created on the first tap) and takes a new
// one when the previous session expired or was abandoned.
func CheckoutKey(caseID int64, amount int64, attempt string) string {
	return fmt.Sprintf("reglo:checkout:case:%d:amount:%d:%s", caseID, amount, attempt)
}

// SetupKey is the idempotency key for a setup-mode Checkout Session that
// saves or replaces the card of a plan; attempt works as for CheckoutKey.
func SetupKey(caseID, planID int64, attempt string) string {
	return fmt.Sprintf("reglo:setup:case:%d:plan:%d:%s", caseID, planID, attempt)
}

// InstalmentKey is the idempotency key for charging one instalment off
// session. attempt is a counter the scheduler stores before it calls Stripe
// and increments only after it has recorded an outcome (a decline, a
// requirement to authenticate), so a retry after a crash reuses the key and a
// deliberate new try after a decline gets a new one.
func InstalmentKey(instalmentID int64, attempt int) string {
	return fmt.Sprintf("reglo:instalment:%d:attempt:%d", instalmentID, attempt)
}

// CustomerKey is the idempotency key for creating the Stripe customer of a
// case, so two racing requests create one customer.
func CustomerKey(caseID int64) string {
	return fmt.Sprintf("reglo:customer:case:%d", caseID)
}

// RefundKey is the idempotency key for refunding amount (minor units) of a
// PaymentIntent; attempt names the refund decision (for example the id of
// the agent's refund request), so two clicks refund once.
func RefundKey(paymentIntentID string, amount int64, attempt string) string {
	return fmt.Sprintf("reglo:refund:%s:amount:%d:%s", paymentIntentID, amount, attempt)
}
