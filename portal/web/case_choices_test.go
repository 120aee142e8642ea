package web_test

import (
	"net/http"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// TestCasePageOffersWhatTheRulebookAllows: the case page's buttons are the
// case core's answers, not the page's own idea. An open case offers every
// choice; a case with a plan under way is not offered a promise (the plan
// already says when the debtor pays), but still a contest and "I can't pay".
func TestCasePageOffersWhatTheRulebookAllows(t *testing.T) {
	tests := []struct {
		name   string
		status portal.Status
		want   []string
		lacks  []string
	}{
		{"an open case offers every choice", portal.StatusOpen,
			[]string{`href="/case/plan"`, `href="/case/cannot-pay"`, `href="/case/contest"`, `href="/case/promise"`}, nil},
		{"a case with an active plan is offered no promise", portal.StatusPlanActive,
			[]string{`href="/case/plan"`, `href="/case/cannot-pay"`, `href="/case/contest"`}, []string{`href="/case/promise"`}},
		{"a case waiting for a plan answer is offered no promise", portal.StatusPlanRequested,
			[]string{`href="/case/contest"`}, []string{`href="/case/promise"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, store *portal.Store) {
				f := newDebtorFixture(t, store)
				f.setStatus(tt.status)
				b := f.visitor()
				b.signIn(f.token)
				r := b.get("/case")
				wantPageStatus(t, "case", r, http.StatusOK)
				pageHas(t, "case", r.body, tt.want...)
				if len(tt.lacks) > 0 {
					pageLacks(t, "case", r.body, tt.lacks...)
				}
			})
		})
	}
}
