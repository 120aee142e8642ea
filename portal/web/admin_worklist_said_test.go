package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/storetest"
)

// admSaidSignIn returns a browser of the fixture's app signed in as a new
// back-office user (English pages).
func admSaidSignIn(t *testing.T, f *debtorFixture, email, role string, creditorID *int64) *debtorBrowser {
	t.Helper()
	if _, err := f.Core.CreateUser(context.Background(), portal.NewUser{Email: email, Password: admPassword, Role: role, CreditorID: creditorID}); err != nil {
		t.Fatal(err)
	}
	b := newDebtorBrowser(t, f.srv.App)
	b.headers["Accept-Language"] = "en"
	b.get("/admin/login")
	if r := b.post("/admin/login", url.Values{"email": {email}, "password": {admPassword}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d %s", email, r.status, r.body)
	}
	return b
}

// The worklist shows what the debtor said (contest, budget, missed
// promise), and an agent resolves a contest from it: rejecting needs
// reasons, which the debtor then reads on their case page.
func TestAdminWorklistShowsWordsAndResolvesDisputes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		ctx := context.Background()
		if _, err := f.Choices.RequestHelp(ctx, f.caseID, choices.Hardship{Reason: "illness", Pause: true,
			Budget: &choices.Budget{IncomeCents: 150000, HousingCents: 60000, FoodCents: 30000}}); err != nil {
			t.Fatal(err)
		}
		d, err := f.Choices.Contest(ctx, f.caseID, choices.Contest{Reason: "already_paid", Text: "Paid by transfer on 2 May."})
		if err != nil {
			t.Fatal(err)
		}
		agent := admSaidSignIn(t, f, "agent@example.org", portal.RoleAgent, nil)
		resolve := fmt.Sprintf("/admin/worklist/disputes/%d/resolve", d.ID)
		r := agent.get("/admin/worklist")
		wantPageStatus(t, "worklist", r, http.StatusOK)
		pageHas(t, "worklist", r.body, "Debt contested", "I have already paid", "Paid by transfer on 2 May.",
			"I am ill, or someone close to me is", "€1,500.00", "€900.00", "€600.00", "a pause", `action="`+resolve+`"`)

		// Rejecting without reasons changes nothing.
		bad := agent.post(resolve, url.Values{"decision": {"rejected"}, "reasons": {"  "}})
		wantPageStatus(t, "rejected without reasons", bad, http.StatusUnprocessableEntity)
		pageHas(t, "rejected without reasons", bad.body, "error-summary", fmt.Sprintf(`href="#dispute-reasons-%d"`, d.ID), "Write the reasons for the debtor")
		noDecision := agent.post(resolve, url.Values{"reasons": {"x"}})
		wantPageStatus(t, "no decision", noDecision, http.StatusUnprocessableEntity)
		pageHas(t, "no decision", noDecision.body, fmt.Sprintf(`href="#decision-%d"`, d.ID))
		var still choices.Dispute
		store.DB.Take(&still, d.ID)
		if still.Status != choices.DisputeOpen {
			t.Fatalf("dispute after refused decisions: %s", still.Status)
		}

		// Without the CSRF field: refused.
		wantPageStatus(t, "no CSRF", agent.postRaw(resolve, url.Values{"decision": {"rejected"}, "reasons": {"No"}}), http.StatusForbidden)

		// Another organisation's user cannot see it.
		other, _, err := f.Core.CreateCreditor(ctx, portal.NewCreditor{Name: "Autre", Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		stranger := admSaidSignIn(t, f, "other@example.org", portal.RoleAdmin, &other.ID)
		stranger.get("/admin/worklist")
		wantPageStatus(t, "another organisation", stranger.post(resolve, url.Values{"decision": {"rejected"}, "reasons": {"No"}}), http.StatusNotFound)

		reasons := "No transfer came in on 2 May; the bank statement is in your case."
		agent.get("/admin/worklist")
		ok := agent.post(resolve, url.Values{"decision": {"rejected"}, "reasons": {reasons}})
		wantPageStatus(t, "rejected", ok, http.StatusSeeOther)
		var c portal.Case
		store.DB.Take(&c, f.caseID)
		if c.Status != portal.StatusOpen {
			t.Errorf("case after the rejection: %s", c.Status)
		}
		r = agent.get("/admin/worklist?notice=dispute_rejected")
		pageHas(t, "after the rejection", r.body, "collection resumes")
		pageLacks(t, "after the rejection", r.body, `action="`+resolve+`"`)

		debtor := f.visitor()
		debtor.signIn(f.token)
		pageHas(t, "debtor's case page", debtor.get("/case").body, "No transfer came in on 2 May")

		// A missed promise shows its date and amount.
		now := time.Now()
		p := choices.Promise{CaseID: f.caseID, DueOn: portal.DateOf(time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)), AmountCents: 5000,
			Status: choices.PromiseMissed, CreatedAt: now, ResolvedAt: &now}
		if err := store.DB.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
		r = agent.get("/admin/worklist")
		pageHas(t, "missed promise", r.body, "Promise to pay missed", "€50.00")
	})
}
