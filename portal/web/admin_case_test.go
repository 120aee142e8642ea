package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/storetest"
)

func TestBackOfficeCreditorLimitedAdminNeverSeesAnotherCreditorsCases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "fr")
		admin := e.signIn(boAdminAEmail)

		for _, path := range []string{boCasePath(e.caseB.ID), boCasePath(e.caseB.ID, "/timeline"), "/admin/cases/999999", "/admin/cases/nope"} {
			r := admin.get(path)
			wantPageStatus(t, "GET "+path, r, http.StatusNotFound)
			pageLacks(t, "GET "+path, r.body, boRefB, boDebtorB, boCreditorB)
		}
		admin.get("/admin")
		before := len(e.boLinks(e.caseB.ID))
		r := admin.post(boCasePath(e.caseB.ID, "/links"), url.Values{"channel": {"copy"}})
		wantPageStatus(t, "link for another creditor's case", r, http.StatusNotFound)
		pageLacks(t, "link for another creditor's case", r.body, "/l/")
		if n := len(e.boLinks(e.caseB.ID)); n != before {
			t.Errorf("a link was made for another creditor's case: %d links", n)
		}
		l, err := e.Core.CreateLink(context.Background(), e.caseB.ID, "copy", 0, portal.SystemActor)
		if err != nil {
			t.Fatal(err)
		}
		admin.get("/admin")
		r = admin.post(boCasePath(e.caseB.ID, "/links/", itoa(l.Link.ID), "/revoke"), nil)
		wantPageStatus(t, "revoke another creditor's link", r, http.StatusNotFound)
		if ls := e.boLinks(e.caseB.ID); ls[0].RevokedAt != nil {
			t.Error("another creditor's link was revoked")
		}

		// Searches never show creditor B's cases, whatever matches them.
		for _, q := range []string{"helene", "Hélène", boRefB, "ATM", "69001", "06 98 76", "bernard@example"} {
			r := admin.get("/admin?q=" + url.QueryEscape(q))
			wantPageStatus(t, "search "+q, r, http.StatusOK)
			pageLacks(t, "search "+q, r.body, ">"+boRefB+"</a>", boDebtorB, boCreditorB, boCasePath(e.caseB.ID)+`"`)
		}
		r = admin.get("/admin?q=helene")
		pageHas(t, "search helene", r.body, boRefA, boDebtorA, boCasePath(e.caseA.ID))

		// The organisation's agent sees both.
		agent := e.signIn(boAgentEmail)
		r = agent.get("/admin?q=helene")
		pageHas(t, "agent search", r.body, boRefA, boRefB, "2 cases found")
		wantPageStatus(t, "agent on case B", agent.get(boCasePath(e.caseB.ID)), http.StatusOK)
	})
}

func TestBackOfficeSearchFindsACaseDuringACall(t *testing.T) {
	tests := []struct {
		name string
		q    string
		want bool
	}{
		{"reference", boRefA, true},
		{"part of the reference in lower case", "nrg-2026", true},
		{"name without accents", "helene cote", true},
		{"name with other accents", "HÉLÈNE CÔTÉ", true},
		{"part of the email", "cote@exa", true},
		{"phone as said on the phone", "06 12 34 56 78", true},
		{"phone in international form", "+33612345678", true},
		{"postcode", "75011", true},
		{"something else", "dupont", false},
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "fr")
		b := e.signIn(boAgentEmail)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := b.get("/admin?q=" + url.QueryEscape(tt.q))
				wantPageStatus(t, "search", r, http.StatusOK)
				pageHas(t, "search page", r.body, `value="`+tt.q+`"`)
				if tt.want {
					pageHas(t, "search", r.body, boCasePath(e.caseA.ID)+`"`, boDebtorA, "€1,234.50")
				} else {
					pageHas(t, "search", r.body, "0 cases found")
					pageLacks(t, "search", r.body, boCasePath(e.caseA.ID)+`"`)
				}
			})
		}
	})
}

func TestBackOfficeCaseViewShowsTheLiveTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "en")
		b := e.signIn(boAgentEmail)
		r := b.get(boCasePath(e.caseA.ID))
		wantPageStatus(t, "case page", r, http.StatusOK)
		pageHas(t, "case page", r.body,
			"<h1>"+boRefA+" · "+boDebtorA+"</h1>", boCreditorA, "€1,234.50", boEmailA, boPhoneA, "75011",
			"Consommation d'électricité", "Timeline", "Case created", "by the creditor (API)",
			`<script src="/static/backoffice.js" defer></script>`, `data-src="`+boCasePath(e.caseA.ID, "/timeline")+`"`,
			"Send a link", `name="_csrf"`)
		pageLacks(t, "case page", r.body, "Link opened")

		// The debtor opens a link while the agent watches: the fragment the
		// script fetches shows it, newest first, without a reload.
		l, err := e.Core.CreateLink(context.Background(), e.caseA.ID, "sms", 0, portal.SystemActor)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Core.OpenLink(context.Background(), l.Token); err != nil {
			t.Fatal(err)
		}
		b.headers["X-Reglo-Fragment"] = "1"
		r = b.get(boCasePath(e.caseA.ID, "/timeline"))
		delete(b.headers, "X-Reglo-Fragment")
		wantPageStatus(t, "timeline fragment", r, http.StatusOK)
		pageHas(t, "timeline fragment", r.body, `id="timeline"`, "Link opened", "by the debtor", "Case created")
		if i, j := indexOf(r.body, "Link opened"), indexOf(r.body, "Case created"); i > j {
			t.Error("the timeline is not newest first")
		}
		pageLacks(t, "timeline fragment", r.body, l.Token)
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("timeline Cache-Control = %q", cc)
		}
	})
}
