package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/storetest"
)

// A contested case says when the creditor will answer; a rejected contest
// shows the creditor's reasons when collection resumes.
func TestCasePageFollowsTheContest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		ctx := context.Background()
		d, err := f.Choices.Contest(ctx, f.caseID, choices.Contest{Reason: "already_paid", Text: "J'ai payé par virement le 2 mai."})
		if err != nil {
			t.Fatal(err)
		}
		b := f.visitor()
		b.signIn(f.token)
		r := b.get("/case")
		wantPageStatus(t, "contested case", r, http.StatusOK)
		pageHas(t, "contested case", r.body, "Vous aurez une réponse au plus tard le")
		pageLacks(t, "contested case", r.body, `action="/case/pay"`)

		admin, err := f.Core.CreateUser(ctx, portal.NewUser{Email: "agent@example.fr", Password: "correct horse battery", Role: portal.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		reasons := "Aucun virement reçu à cette date ; le relevé bancaire est joint."
		if _, err := f.Choices.ResolveDispute(ctx, admin, d.ID, false, "", reasons, portal.UserActor(admin.ID)); err != nil {
			t.Fatal(err)
		}
		r = b.get("/case")
		pageHas(t, "rejected contest", r.body, "répond à votre contestation", "Aucun virement reçu à cette date")
	})
}
