package portal

import "errors"

// Action is something a debtor (or an agent or the scheduler on the case's
// behalf) may want to do with a case.
type Action string

// The actions the rulebook answers for.
const (
	// ActionPay is paying by card: in full, the settlement offer or a part.
	ActionPay Action = "pay"
	// ActionPlan is setting up or requesting a payment plan.
	ActionPlan Action = "plan"
	// ActionPromise is promising to pay on a date.
	ActionPromise Action = "promise"
	// ActionContest is saying "I don't think I owe this".
	ActionContest Action = "contest"
	// ActionCannotPay is saying "I can't pay now" (hardship, callback, pause).
	ActionCannotPay Action = "cannot_pay"
	// ActionCollect is the system collecting: reminders and instalment charges.
	ActionCollect Action = "collect"
)

// Actions lists every action, for the table test and the pages.
var Actions = []Action{ActionPay, ActionPlan, ActionPromise, ActionContest, ActionCannotPay, ActionCollect}

// May is the one rulebook question: may a case in status st, owing
// balanceCents, take action a now? It answers nil, or the domain error
// that says why not (ErrPaymentsPaused, ErrNothingToPay, a conflict).
func May(st Status, balanceCents int64, a Action) error {
	if st == StatusPaid || st == StatusClosed {
		return ErrNothingToPay
	}
	switch a {
	case ActionContest:
		if st == StatusDisputed {
			return ErrAlreadyContested
		}
		return nil
	case ActionCannotPay:
		return nil
	}
	if st == StatusDisputed {
		return ErrPaymentsPaused
	}
	if a == ActionPromise && (st == StatusPlanRequested || st == StatusPlanActive) {
		return ErrHasPlan
	}
	if balanceCents <= 0 {
		return ErrNothingToPay
	}
	return nil
}

// RefusalText is a rulebook refusal in plain English for API clients and
// conflict messages; it never repeats an internal error's text.
func RefusalText(err error) string {
	var ce *ConflictError
	switch {
	case errors.Is(err, ErrNothingToPay):
		return "nothing is owed on this case"
	case errors.Is(err, ErrPaymentsPaused):
		return "collection is paused while the debt is contested"
	case errors.As(err, &ce):
		return ce.Message
	}
	return "the case's state does not allow it"
}

// Choices is what a case page offers: one flag per button, from May.
type Choices struct {
	Pay, Plan, Promise, Contest, CannotPay bool
}

// ChoicesFor asks the rulebook about every button a page shows.
func ChoicesFor(st Status, balanceCents int64) Choices {
	ok := func(a Action) bool { return May(st, balanceCents, a) == nil }
	return Choices{Pay: ok(ActionPay), Plan: ok(ActionPlan), Promise: ok(ActionPromise), Contest: ok(ActionContest), CannotPay: ok(ActionCannotPay)}
}

// PageState is what the debtor's case page shows above everything else.
type PageState string

// Page states; the views name them the same.
const (
	PageOpen     PageState = "open"
	PagePaid     PageState = "paid"
	PageDisputed PageState = "disputed"
	PageClosed   PageState = "closed"
)

// PageStateFor says what the case page leads with: the four choices while
// money is owed (with a note for a plan or promise under way), a warm word
// once it is paid, a calm one while a dispute or a closure pauses
// everything. A case whose lines are all paid reads as paid even before the
// webhook that moves its status has landed.
func PageStateFor(st Status, b Balance) (PageState, Status) {
	switch {
	case st == StatusPaid, b.TotalCents > 0 && b.Cents() <= 0:
		return PagePaid, ""
	case st == StatusDisputed:
		return PageDisputed, ""
	case st == StatusClosed:
		return PageClosed, ""
	case st == StatusPlanRequested, st == StatusPlanActive, st == StatusPromised:
		return PageOpen, st
	}
	return PageOpen, ""
}
