package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/storetest"
)

// newPlanPagesFixture is a signed-in debtor owing 1 249,50 € with Stripe
// behind a counting proxy; like Stripe, the PaymentIntent a Checkout paid
// names the card that was saved on it.
func newPlanPagesFixture(t *testing.T, store *portal.Store) *payFixture {
	t.Helper()
	f := newPayFixture(t, store)
	f.proxy.Rewrite("GET", "/v1/payment_intents/", func(o map[string]any) {
		o["payment_method"] = "pm_card_visa"
		if o["customer"] == nil {
			o["customer"] = "cus_from_intent"
		}
	})
	return f
}

// planHowMuch finds the amounts of a schedule on a page.
var planHowMuch = regexp.MustCompile(`<span class="how-much">([^<]*)</span>`)

// planCents reads a French amount as the page shows it ("208,25 €") into
// cents, by its digits only: the test must not share the code it checks.
func planCents(t *testing.T, s string) int64 {
	t.Helper()
	var digits strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	n, err := strconv.ParseInt(digits.String(), 10, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return n
}

func (f *payFixture) planView() money.PlanView {
	f.t.Helper()
	v, err := f.Money.PlanSchedule(context.Background(), f.caseID)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func (f *payFixture) planCount() int64 {
	f.t.Helper()
	var n int64
	if err := f.Store.DB.Model(&portal.Plan{}).Where("case_id = ?", f.caseID).Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestPlanChosenPaidAndActive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newPlanPagesFixture(t, store)
		b := f.browser

		r := b.get("/case/plan")
		wantPageStatus(t, "chooser", r, http.StatusOK)
		pageHas(t, "chooser", r.body, "Payer en plusieurs fois", "Toutes les semaines", "Toutes les deux semaines", "Tous les mois",
			`name="frequency" value="monthly" checked`, "Combien pouvez-vous payer chaque mois ?", "Contacter "+debtorCreditor)

		r = b.get("/case/plan?frequency=weekly")
		wantPageStatus(t, "weekly options", r, http.StatusOK)
		pageHas(t, "weekly options", r.body, `value="weekly" checked`, "Plans avec un paiement par semaine", "count=12&amp;frequency=weekly")

		r = b.get("/case/plan?frequency=monthly")
		pageHas(t, "monthly options", r.body, "10 paiements de 124,95\u00a0€", "Total : "+debtorBalanceFR, `href="/case/plan/check?count=10&amp;frequency=monthly"`)

		r = b.get("/case/plan/check?frequency=monthly&count=6")
		wantPageStatus(t, "check", r, http.StatusOK)
		pageHas(t, "check", r.body, "Vérifiez votre plan", "Paiement 6", "Si un paiement ne passe pas",
			"nous essayons à nouveau 3 jours plus tard", "Si 2 paiements ne sont pas payés, le plan s'arrête",
			"Confirmer et payer 208,25\u00a0€", `name="frequency" value="monthly"`, `name="count" value="6"`)
		var sum int64
		amounts := planHowMuch.FindAllStringSubmatch(r.body, -1)
		for _, m := range amounts {
			sum += planCents(t, m[1])
		}
		if len(amounts) != 6 || sum != 124950 {
			t.Fatalf("schedule shows %d payments summing to %d, want 6 summing to 124950", len(amounts), sum)
		}
		if f.planCount() != 0 || f.proxy.Count("/v1/") != 0 {
			t.Fatal("looking at options and the check page changed something")
		}

		r = b.post("/case/plan", url.Values{"frequency": {"monthly"}, "count": {"6"}})
		wantPageStatus(t, "confirm", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "https://checkout.stripe.com/") {
			t.Fatalf("confirm went to %q", loc)
		}
		pv := f.planView()
		if pv.Plan.Status != portal.PlanStatusPending || len(pv.Plan.Instalments) != 6 {
			t.Fatalf("plan after confirm: %s with %d instalments", pv.Plan.Status, len(pv.Plan.Instalments))
		}
		first := pv.Plan.Instalments[0]
		reqs := f.proxy.Requests("/v1/checkout/sessions")
		if len(reqs) != 1 {
			t.Fatalf("%d checkout requests", len(reqs))
		}
		for k, want := range map[string]string{
			"payment_intent_data[setup_future_usage]": "off_session", "mode": "payment",
			"metadata[case_id]": fmt.Sprint(f.caseID), "metadata[plan_id]": fmt.Sprint(pv.Plan.ID), "metadata[installment_id]": fmt.Sprint(first.ID),
			"line_items[0][price_data][unit_amount]": fmt.Sprint(first.AmountCents), "locale": "fr",
			"success_url": "http://localhost:8080/case/plan/done?session_id={CHECKOUT_SESSION_ID}", "cancel_url": "http://localhost:8080/case/plan",
		} {
			if got := reqs[0].Form.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		if reqs[0].Form.Get("customer") == "" {
			t.Error("the session names no Stripe customer")
		}

		// Left Stripe without paying: the plan page offers to carry on,
		// with the same session.
		r = b.get("/case/plan")
		pageHas(t, "pending plan", r.body, "Votre plan est prêt à commencer", `action="/case/plan/confirm"`, "Choisir un autre plan")
		r = b.post("/case/plan/confirm", nil)
		wantPageStatus(t, "continue", r, http.StatusSeeOther)
		if r.header.Get("Location") != "https://checkout.stripe.com/c/pay/cs_test_1" {
			t.Fatalf("continue went to %q", r.header.Get("Location"))
		}

		// Back from Stripe before the webhook: nothing is claimed.
		r = b.get("/case/plan/done?session_id=cs_test_1")
		wantPageStatus(t, "return", r, http.StatusOK)
		pageHas(t, "return before webhook", r.body, "Nous confirmons votre plan", `href="/case/plan/done?session_id=cs_test_1"`, "Vérifier à nouveau")

		st := f.webhook("checkout.session.completed", map[string]any{
			"id": "cs_test_1", "object": "checkout.session", "mode": "payment", "payment_status": "paid", "status": "complete",
			"amount_total": first.AmountCents, "currency": "eur", "payment_intent": "pi_plan_first", "customer": "cus_plan",
			"metadata": map[string]any{"case_id": fmt.Sprint(f.caseID), "plan_id": fmt.Sprint(pv.Plan.ID), "installment_id": fmt.Sprint(first.ID)},
		})
		if st != http.StatusOK {
			t.Fatalf("webhook: %d", st)
		}
		if s, bal := f.caseState(); s != portal.StatusPlanActive || bal != 124950-first.AmountCents {
			t.Fatalf("after webhook: case %s, balance %d", s, bal)
		}
		if pv := f.planView(); pv.Plan.Status != portal.PlanStatusActive || pv.PaidCount != 1 {
			t.Fatalf("after webhook: plan %s, %d paid", pv.Plan.Status, pv.PaidCount)
		}

		r = b.get("/case/plan/done?session_id=cs_test_1")
		pageHas(t, "return after webhook", r.body, "Votre plan est en place", "nous avons bien reçu votre paiement de 208,25\u00a0€", "Payé")

		r = b.get("/case/plan")
		wantPageStatus(t, "self-service", r, http.StatusOK)
		pageHas(t, "self-service", r.body, "Votre plan de paiement", "Vous avez payé 208,25\u00a0€ sur "+debtorBalanceFR+" (1 paiement sur 6)",
			`<span class="state state-paid">Payé</span>`, "Prochain paiement", `action="/case/plan/pay-next"`, `action="/case/plan/card"`)
		if n := strings.Count(r.body, `state-scheduled`); n != 5 {
			t.Errorf("%d planned payments shown, want 5", n)
		}
		// The check page of another plan sends an active plan back here.
		r = b.get("/case/plan/check?frequency=monthly&count=3")
		wantPageStatus(t, "check with an active plan", r, http.StatusSeeOther)

		r = b.post("/case/plan/pay-next", nil)
		wantPageStatus(t, "pay next", r, http.StatusSeeOther)
		next := f.proxy.Requests("/v1/checkout/sessions")
		if got := next[len(next)-1].Form.Get("metadata[installment_id]"); got != fmt.Sprint(pv.Plan.Instalments[1].ID) {
			t.Errorf("paying early opened a session for instalment %s", got)
		}
		r = b.post("/case/plan/card", nil)
		wantPageStatus(t, "change card", r, http.StatusSeeOther)
		last := f.proxy.Requests("/v1/checkout/sessions")
		if got := last[len(last)-1].Form.Get("mode"); got != "setup" {
			t.Errorf("changing the card opened a %q session", got)
		}
		// A second plan cannot be asked for while one runs.
		b.get("/case/plan")
		r = b.post("/case/plan", url.Values{"frequency": {"monthly"}, "count": {"3"}})
		wantPageStatus(t, "second plan", r, http.StatusSeeOther)
		if r.header.Get("Location") != "/case/plan" || f.planCount() != 1 {
			t.Fatalf("second plan: to %q, %d plans", r.header.Get("Location"), f.planCount())
		}
	})
}

func TestPlanFailedInstalmentShowsCalmly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newPlanPagesFixture(t, store)
		b := f.browser
		b.get("/case/plan/check?frequency=monthly&count=6")
		b.post("/case/plan", url.Values{"frequency": {"monthly"}, "count": {"6"}})
		pv := f.planView()
		first := pv.Plan.Instalments[0]
		f.webhook("checkout.session.completed", map[string]any{
			"id": "cs_test_1", "object": "checkout.session", "mode": "payment", "payment_status": "paid", "status": "complete",
			"amount_total": first.AmountCents, "currency": "eur", "payment_intent": "pi_plan_first", "customer": "cus_plan",
			"metadata": map[string]any{"case_id": fmt.Sprint(f.caseID), "plan_id": fmt.Sprint(pv.Plan.ID), "installment_id": fmt.Sprint(first.ID)},
		})
		// The scheduler's charge of the second instalment was declined.
		second := pv.Plan.Instalments[1]
		if err := store.DB.Model(&portal.Instalment{}).Where("id = ?", second.ID).Update("status", portal.InstalmentFailed).Error; err != nil {
			t.Fatal(err)
		}
		r := b.get("/case/plan")
		wantPageStatus(t, "failed instalment", r, http.StatusOK)
		pageHas(t, "failed instalment", r.body, "Un paiement n'est pas passé", "Cela arrive", "Payer 208,25\u00a0€ maintenant",
			`<span class="state state-failed">Pas passé</span>`)
		pageLacks(t, "failed instalment", r.body, "retard", "pénalité", "huissier")
	})
}

func TestPlanOutsideLimitsWaitsForTheCreditor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newPlanPagesFixture(t, store)
		b := f.browser
		// 50 € a month is 25 payments; the creditor offers 12 at most.
		r := b.get("/case/plan/check?frequency=monthly&afford=50")
		wantPageStatus(t, "check outside limits", r, http.StatusOK)
		loc, _ := time.LoadLocation(f.creditor.TimeZone)
		answerBy := plans.DateOf(f.Clock.Now().In(loc))
		for n := 0; n < portal.PlanReviewWorkingDays; {
			answerBy = answerBy.AddDate(0, 0, 1)
			if wd := answerBy.Weekday(); wd != time.Saturday && wd != time.Sunday {
				n++
			}
		}
		by := fmt.Sprintf("%d %s %d", answerBy.Day(), []string{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
			"septembre", "octobre", "novembre", "décembre"}[answerBy.Month()], answerBy.Year())
		pageHas(t, "check outside limits", r.body, "25 paiements de 49,98\u00a0€", "propose d'habitude 12 paiements au plus",
			"Ce plan doit d'abord être regardé par "+debtorCreditor, "au plus tard le "+by, "Envoyer ma demande", `name="afford" value="50"`)

		r = b.post("/case/plan", url.Values{"frequency": {"monthly"}, "afford": {"50"}})
		wantPageStatus(t, "request", r, http.StatusSeeOther)
		if r.header.Get("Location") != "/case/plan/requested" {
			t.Fatalf("request went to %q", r.header.Get("Location"))
		}
		r = b.get("/case/plan/requested")
		wantPageStatus(t, "requested", r, http.StatusOK)
		pageHas(t, "requested", r.body, "Votre demande est envoyée", "Vous aurez une réponse au plus tard le "+by,
			"propose d'habitude 12 paiements au plus", "Rien n'est pris tant que votre plan n'est pas accepté")
		if st, _ := f.caseState(); st != portal.StatusPlanRequested {
			t.Fatalf("case is %s, want plan_requested", st)
		}
		// The plan page says the same until the creditor answers.
		pageHas(t, "plan page while requested", b.get("/case/plan").body, "Votre demande est envoyée", `href="/case/plan?change=1"`)
		if n := f.proxy.Count("/v1/"); n != 0 {
			t.Fatalf("%d requests reached Stripe for a request outside limits", n)
		}
	})
}

func TestPlanBadAnswersChangeNothing(t *testing.T) {
	tests := []struct {
		name   string
		send   func(b *debtorBrowser) debtorResponse
		status int
		says   []string
	}{
		{"an amount in words is shown back with the error", func(b *debtorBrowser) debtorResponse {
			return b.get("/case/plan/check?frequency=monthly&afford=cinquante")
		}, http.StatusUnprocessableEntity, []string{"Il y a un problème", `href="#afford"`, "Écrivez la somme avec des chiffres", `value="cinquante"`, `aria-invalid="true"`}},
		{"an empty amount asks for one", func(b *debtorBrowser) debtorResponse {
			return b.get("/case/plan/check?frequency=weekly&afford=")
		}, http.StatusUnprocessableEntity, []string{"Indiquez la somme que vous pouvez payer", `value="weekly" checked`}},
		{"a posted amount with three decimals is refused", func(b *debtorBrowser) debtorResponse {
			b.get("/case/plan")
			return b.post("/case/plan", url.Values{"frequency": {"monthly"}, "afford": {"9,3,5"}})
		}, http.StatusUnprocessableEntity, []string{"Il y a un problème", `value="9,3,5"`}},
		{"an unknown frequency is refused", func(b *debtorBrowser) debtorResponse {
			b.get("/case/plan")
			return b.post("/case/plan", url.Values{"frequency": {"daily"}, "count": {"3"}})
		}, http.StatusUnprocessableEntity, []string{`href="#frequency"`, "Choisissez tous les combien"}},
		{"a form without a CSRF token is refused", func(b *debtorBrowser) debtorResponse {
			return b.postRaw("/case/plan", url.Values{"frequency": {"monthly"}, "count": {"6"}})
		}, http.StatusForbidden, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, store *portal.Store) {
				f := newPlanPagesFixture(t, store)
				r := tc.send(f.browser)
				wantPageStatus(t, tc.name, r, tc.status)
				pageHas(t, tc.name, r.body, tc.says...)
				if f.planCount() != 0 || f.proxy.Count("/v1/") != 0 {
					t.Fatal("a bad answer saved a plan or reached Stripe")
				}
				if st, _ := f.caseState(); st != portal.StatusOpen {
					t.Fatalf("case is %s", st)
				}
			})
		})
	}
}

func TestPlanRefusedCalmly(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(f *payFixture)
		status int
		says   string
	}{
		{"a contested case is not asked for a plan", func(f *payFixture) { f.setStatus(portal.StatusDisputed) }, http.StatusConflict, "Le paiement est en pause"},
		{"a paid case has nothing to plan", func(f *payFixture) { f.setStatus(portal.StatusPaid) }, http.StatusConflict, "Il n'y a rien à payer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, store *portal.Store) {
				f := newPlanPagesFixture(t, store)
				tc.setup(f)
				r := f.browser.get("/case/plan")
				wantPageStatus(t, "plan page", r, tc.status)
				pageHas(t, "plan page", r.body, tc.says)
				r = f.browser.post("/case/plan", url.Values{"frequency": {"monthly"}, "count": {"6"}})
				wantPageStatus(t, "plan request", r, tc.status)
				pageHas(t, "plan request", r.body, tc.says)
				if f.planCount() != 0 || f.proxy.Count("/v1/") != 0 {
					t.Fatal("a refused plan was saved or reached Stripe")
				}
			})
		})
	}
}

func TestPlanPagesNeedASession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		for _, path := range []string{"/case/plan", "/case/plan?frequency=monthly", "/case/plan/check?frequency=monthly&count=6",
			"/case/plan/requested", "/case/plan/done?session_id=cs_1"} {
			wantPageStatus(t, path, b.get(path), http.StatusUnauthorized)
		}
		b.get("/l/" + f.token)
		for _, path := range []string{"/case/plan", "/case/plan/confirm", "/case/plan/pay-next", "/case/plan/card"} {
			wantPageStatus(t, "POST "+path, b.post(path, url.Values{"frequency": {"monthly"}, "count": {"6"}}), http.StatusUnauthorized)
		}
	})
}

func TestPlanPagesInEnglish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store, fixtureOptions{language: "en", cardPayment: true})
		b := f.visitor()
		b.signIn(f.token)
		r := b.get("/case/plan")
		wantPageStatus(t, "chooser", r, http.StatusOK)
		pageHas(t, "chooser", r.body, `<html lang="en">`, "Pay in several parts", "Every week", "Every two weeks", "Every month",
			"10 payments of €124.95", "How much can you pay each month?")
		r = b.get("/case/plan/check?frequency=monthly&count=6")
		pageHas(t, "check", r.body, "Check your plan", "we try again 3 days later", "If 2 payments are not made, the plan stops", "Confirm and pay €208.25")
		r = b.get("/case/plan/check?frequency=weekly&afford=20.5")
		pageHas(t, "check outside limits", r.body, "needs to look at this plan first", "Send my request")
		pageLacks(t, "english pages", r.body, "paiement")
		// Switching language drops the query: back to the plans, no error.
		r = b.get("/case/plan/check?lang=fr")
		wantPageStatus(t, "check without a plan", r, http.StatusSeeOther)
		if r.header.Get("Location") != "/case/plan" {
			t.Fatalf("check without a plan went to %q", r.header.Get("Location"))
		}
	})
}
