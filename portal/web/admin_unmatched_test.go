package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// signIn returns a browser of the money app signed in as a new user.
func (e *moneyEnv) signIn(email, role string, creditorID *int64) *debtorBrowser {
	e.t.Helper()
	if _, err := e.Core.CreateUser(context.Background(), portal.NewUser{Email: email, Password: admPassword, Role: role, CreditorID: creditorID}); err != nil {
		e.t.Fatal(err)
	}
	b := newDebtorBrowser(e.t, e.srv.App)
	b.headers["Accept-Language"] = "en"
	b.get("/admin/login")
	if r := b.post("/admin/login", url.Values{"email": {email}, "password": {admPassword}}); r.status != http.StatusSeeOther {
		e.t.Fatalf("sign in %s: %d %s", email, r.status, r.body)
	}
	return b
}

// caseJSON is the creditor API's view of the case.
func (e *moneyEnv) caseJSON() map[string]any {
	e.t.Helper()
	req := httptest.NewRequest("GET", fmt.Sprintf("/api/v1/cases/%d", e.cs.Case.ID), nil)
	req.Header.Set("Authorization", "Bearer "+e.key)
	resp, err := e.srv.App.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &out) != nil {
		e.t.Fatalf("case JSON: %d %s", resp.StatusCode, raw)
	}
	return out
}

func (e *moneyEnv) unmatched() []portal.UnmatchedMoney {
	e.t.Helper()
	var out []portal.UnmatchedMoney
	if err := e.Store.DB.Order("id").Find(&out).Error; err != nil {
		e.t.Fatal(err)
	}
	return out
}

// Money Stripe reports that no balance takes (a refund of a charge Reglo
// never recorded, a payment for a case that does not exist) is shown to
// the agent on the case page and the worklist, counted in the case JSON,
// and resolved with a note; bad notes change nothing, other organisations
// see none of it.
func TestAgentSeesAndResolvesUnmatchedMoney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newMoneyEnv(t, store, "")
		ctx := context.Background()
		if st := e.post(e.refunded("evt_ghost_refund", "pi_ghost", 8000, 5000)); st != http.StatusOK {
			t.Fatalf("refund of an unknown charge: %d", st)
		}
		noCase := e.event("evt_nocase", "checkout.session.completed", map[string]any{
			"id": "cs_nocase", "object": "checkout.session", "mode": "payment", "payment_status": "paid", "status": "complete",
			"amount_total": 2500, "currency": "eur", "payment_intent": "pi_nocase", "metadata": map[string]any{"case_id": "987654321"},
		})
		if st := e.post(noCase); st != http.StatusOK {
			t.Fatalf("payment for no case: %d", st)
		}
		e.wantState(portal.StatusOpen, 12345)
		held := e.unmatched()
		if len(held) != 2 || held[0].CaseID == nil || held[1].CaseID != nil {
			t.Fatalf("unmatched money: %+v", held)
		}
		onCase, orphan := held[0], held[1]
		if got := e.caseJSON()["unmatched_cents"]; got != float64(5000) {
			t.Fatalf("unmatched_cents = %v, want 5000", got)
		}

		agent := e.signIn("agent@example.org", portal.RoleAgent, nil)
		casePath := fmt.Sprintf("/admin/cases/%d", e.cs.Case.ID)
		resolveCase := fmt.Sprintf("/admin/unmatched/%d/resolve", onCase.ID)
		resolveOrphan := fmt.Sprintf("/admin/unmatched/%d/resolve", orphan.ID)
		r := agent.get(casePath)
		wantPageStatus(t, "case page", r, http.StatusOK)
		pageHas(t, "case page", r.body, `id="unmatched-h"`, "Money not matched", "€50.00", "pi_ghost", "ch_pi_ghost",
			"A refund or chargeback for a payment Reglo did not record", `action="`+resolveCase+`"`)
		w := agent.get("/admin/worklist")
		wantPageStatus(t, "worklist", w, http.StatusOK)
		pageHas(t, "worklist", w.body, "Money from Stripe that matches nothing this case paid", casePath+"#unmatched-h",
			"Money from Stripe for no known case", "€25.00", "pi_nocase", "A payment for a case that does not exist", `action="`+resolveOrphan+`"`)

		// A note is required, and bounded; a refused note changes nothing.
		bad := agent.post(resolveCase, url.Values{"note": {"   "}})
		wantPageStatus(t, "empty note", bad, http.StatusUnprocessableEntity)
		pageHas(t, "empty note", bad.body, "error-summary", fmt.Sprintf(`href="#note-%d"`, onCase.ID), "Say how the money was dealt with")
		long := agent.post(resolveCase, url.Values{"note": {strings.Repeat("é", 2001)}})
		wantPageStatus(t, "long note", long, http.StatusUnprocessableEntity)
		pageHas(t, "long note", long.body, "The note is too long")
		wantPageStatus(t, "no CSRF", agent.postRaw(resolveCase, url.Values{"note": {"Refunded by hand"}}), http.StatusForbidden)
		if e.unmatched()[0].ResolvedAt != nil {
			t.Fatal("refused resolutions resolved the money")
		}

		// Another organisation's user sees neither.
		other, _, err := e.Core.CreateCreditor(ctx, portal.NewCreditor{Name: "Autre", Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		stranger := e.signIn("other@example.org", portal.RoleAdmin, &other.ID)
		ws := stranger.get("/admin/worklist")
		pageLacks(t, "another organisation's worklist", ws.body, "pi_nocase", "pi_ghost")
		wantPageStatus(t, "another organisation, case money", stranger.post(resolveCase, url.Values{"note": {"x"}}), http.StatusNotFound)
		wantPageStatus(t, "another organisation, money of no case", stranger.post(resolveOrphan, url.Values{"note": {"x"}}), http.StatusNotFound)

		// Resolved: said on the page and the timeline, gone from the worklist.
		note := "Charge ch_pi_ghost belongs to another portal; sent back to the creditor."
		ok := agent.post(resolveCase, url.Values{"note": {note}})
		wantPageStatus(t, "resolve", ok, http.StatusSeeOther)
		if loc := ok.header.Get("Location"); loc != casePath+"?notice=unmatched_resolved#unmatched-h" {
			t.Fatalf("after resolving: Location %q", loc)
		}
		r = agent.get(casePath + "?notice=unmatched_resolved")
		pageHas(t, "resolved", r.body, "The money is marked as resolved, with your note.", "Resolved on", note)
		pageLacks(t, "resolved", r.body, `action="`+resolveCase+`"`)
		if got := e.caseJSON()["unmatched_cents"]; got != float64(0) {
			t.Fatalf("unmatched_cents after resolving = %v, want 0", got)
		}
		e.wantState(portal.StatusOpen, 12345)
		evs, err := e.Core.Timeline(ctx, e.cs.Case.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := evs[len(evs)-1]; last.Kind != portal.EventUnmatchedResolved || last.ActorKind != portal.ActorUser || strings.Contains(last.Data, "sent back") {
			t.Fatalf("last event %+v: want the resolution, by the agent, without the note's words", last)
		}
		wantPageStatus(t, "resolve twice", agent.post(resolveCase, url.Values{"note": {note}}), http.StatusConflict)
		w = agent.get("/admin/worklist")
		pageLacks(t, "worklist after", w.body, casePath+"#unmatched-h")

		ok = agent.post(resolveOrphan, url.Values{"note": {"Refunded in Stripe's dashboard."}})
		wantPageStatus(t, "resolve money of no case", ok, http.StatusSeeOther)
		if loc := ok.header.Get("Location"); loc != "/admin/worklist?notice=unmatched_resolved" {
			t.Fatalf("after resolving money of no case: Location %q", loc)
		}
		w = agent.get("/admin/worklist?notice=unmatched_resolved")
		pageHas(t, "worklist notice", w.body, "The money is marked as resolved, with your note.")
		pageLacks(t, "worklist notice", w.body, "pi_nocase")
	})
}
