package portal

import (
	"errors"
	"testing"
)

// TestTransitionTable walks every (from, to) pair: Move refuses exactly the
// moves the table leaves out, and a move to the same status is no move.
func TestTransitionTable(t *testing.T) {
	allowed := map[[2]Status]bool{}
	for _, p := range [][2]Status{
		{StatusOpen, StatusPlanRequested}, {StatusOpen, StatusPlanActive}, {StatusOpen, StatusPromised},
		{StatusOpen, StatusDisputed}, {StatusOpen, StatusPaid}, {StatusOpen, StatusClosed},
		{StatusPlanRequested, StatusOpen}, {StatusPlanRequested, StatusPlanActive}, {StatusPlanRequested, StatusDisputed},
		{StatusPlanRequested, StatusPaid}, {StatusPlanRequested, StatusClosed},
		{StatusPlanActive, StatusOpen}, {StatusPlanActive, StatusPlanRequested}, {StatusPlanActive, StatusDisputed},
		{StatusPlanActive, StatusPaid}, {StatusPlanActive, StatusClosed},
		{StatusPromised, StatusOpen}, {StatusPromised, StatusPlanRequested}, {StatusPromised, StatusPlanActive},
		{StatusPromised, StatusDisputed}, {StatusPromised, StatusPaid}, {StatusPromised, StatusClosed},
		{StatusDisputed, StatusOpen}, {StatusDisputed, StatusPlanActive}, {StatusDisputed, StatusPaid}, {StatusDisputed, StatusClosed},
		{StatusPaid, StatusOpen}, {StatusPaid, StatusPlanActive}, {StatusPaid, StatusClosed},
	} {
		allowed[p] = true
	}
	if len(transitions) != len(Statuses) {
		t.Fatalf("the table has %d rows for %d statuses", len(transitions), len(Statuses))
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			if from == to {
				continue
			}
			want := allowed[[2]Status{from, to}]
			if got := CanMove(from, to); got != want {
				t.Errorf("%s → %s: CanMove = %v, want %v", from, to, got, want)
			}
		}
	}
}

// TestMayEveryPair answers the rulebook question for every status and
// action, with and without money owed.
func TestMayEveryPair(t *testing.T) {
	type want struct{ owed, zero error }
	ok, none, paused, plan, contested := error(nil), ErrNothingToPay, ErrPaymentsPaused, ErrHasPlan, ErrAlreadyContested
	table := map[Status]map[Action]want{
		StatusOpen:          {ActionPay: {ok, none}, ActionPlan: {ok, none}, ActionPromise: {ok, none}, ActionContest: {ok, ok}, ActionCannotPay: {ok, ok}, ActionCollect: {ok, none}},
		StatusPlanRequested: {ActionPay: {ok, none}, ActionPlan: {ok, none}, ActionPromise: {plan, plan}, ActionContest: {ok, ok}, ActionCannotPay: {ok, ok}, ActionCollect: {ok, none}},
		StatusPlanActive:    {ActionPay: {ok, none}, ActionPlan: {ok, none}, ActionPromise: {plan, plan}, ActionContest: {ok, ok}, ActionCannotPay: {ok, ok}, ActionCollect: {ok, none}},
		StatusPromised:      {ActionPay: {ok, none}, ActionPlan: {ok, none}, ActionPromise: {ok, none}, ActionContest: {ok, ok}, ActionCannotPay: {ok, ok}, ActionCollect: {ok, none}},
		StatusDisputed:      {ActionPay: {paused, paused}, ActionPlan: {paused, paused}, ActionPromise: {paused, paused}, ActionContest: {contested, contested}, ActionCannotPay: {ok, ok}, ActionCollect: {paused, paused}},
		StatusPaid:          {ActionPay: {none, none}, ActionPlan: {none, none}, ActionPromise: {none, none}, ActionContest: {none, none}, ActionCannotPay: {none, none}, ActionCollect: {none, none}},
		StatusClosed:        {ActionPay: {none, none}, ActionPlan: {none, none}, ActionPromise: {none, none}, ActionContest: {none, none}, ActionCannotPay: {none, none}, ActionCollect: {none, none}},
	}
	for _, st := range Statuses {
		for _, a := range Actions {
			w, found := table[st][a]
			if !found {
				t.Fatalf("no expectation for (%s, %s)", st, a)
			}
			if got := May(st, 1000, a); !errors.Is(got, w.owed) && got != w.owed {
				t.Errorf("May(%s, owed, %s) = %v, want %v", st, a, got, w.owed)
			}
			if got := May(st, 0, a); !errors.Is(got, w.zero) && got != w.zero {
				t.Errorf("May(%s, nothing owed, %s) = %v, want %v", st, a, got, w.zero)
			}
		}
	}
}

// TestChoicesFollowMay checks that the page buttons are the rulebook's answers.
func TestChoicesFollowMay(t *testing.T) {
	for _, st := range Statuses {
		for _, bal := range []int64{0, 500} {
			c := ChoicesFor(st, bal)
			for a, shown := range map[Action]bool{ActionPay: c.Pay, ActionPlan: c.Plan, ActionPromise: c.Promise, ActionContest: c.Contest, ActionCannotPay: c.CannotPay} {
				if shown != (May(st, bal, a) == nil) {
					t.Errorf("%s with %d owed: button %s = %v, rulebook says %v", st, bal, a, shown, May(st, bal, a))
				}
			}
		}
	}
}
