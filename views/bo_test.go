package views

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
)

func init() {
	areaSamples["admin_login"] = func() []any {
		out := []any{BoLoginView{Next: "/admin"}}
		for _, p := range BoLoginProblems {
			out = append(out, BoLoginView{Email: "agent@example.org", Problem: p, Next: "/admin"})
		}
		return out
	}
	areaSamples["admin_search"] = func() []any {
		u := BoUser{Email: "agent@example.org", Role: "agent"}
		var rows []BoCaseRow
		for _, st := range statusNames() {
			rows = append(rows, BoCaseRow{URL: "/admin/cases/1", Reference: "R-1", DebtorName: "Hélène Côté", Creditor: "Atelier",
				Status: st, Postcode: "75011", Email: "h@example.org", Phone: "06 12 34 56 78", Balance: eur(12345)})
		}
		return []any{
			BoSearchView{User: u, Limit: 50},
			BoSearchView{User: BoUser{Email: "admin@example.org", Role: "admin"}, Query: "h", Limit: 50},
			BoSearchView{User: u, Query: "hel", Searched: true, Limit: 50},
			BoSearchView{User: u, Query: "hel", Searched: true, Results: rows, Limit: len(rows)},
		}
	}
	areaSamples["admin_timeline"] = func() []any {
		return []any{BoTimelineView{URL: "/admin/cases/1/timeline"}, sampleBoTimeline()}
	}
	areaSamples["admin_case_show"] = func() []any {
		var out []any
		out = append(out, sampleBoCase("", ""))
		for i, st := range BoPlanStatuses {
			c := sampleBoCase("", "")
			c.Plan.Status, c.Plan.Frequency = st, BoFrequencies[i%len(BoFrequencies)]
			out = append(out, c)
		}
		for _, p := range BoSendProblems {
			out = append(out, sampleBoCase(p, ""))
		}
		for _, n := range BoNotices {
			out = append(out, sampleBoCase("", n))
		}
		{
			c := sampleBoCase("", "")
			c.Errors = FieldErrors{{Field: "note-1", Key: "adm.err.unmatched_note_required"}, {Field: "note-2", Key: "adm.err.unmatched_note_too_long"}}
			out = append(out, c)
		}
		bare := BoCaseView{Reference: "R-2", DebtorName: "X", Status: "open", DebtorKind: "business", Balance: eur(1), Total: eur(1), Paid: eur(0)}
		return append(out, bare)
	}
	areaSamples["admin_link_shown"] = func() []any {
		v := BoLinkShownView{User: BoUser{Email: "a@example.org", Role: "agent"}, CaseURL: "/admin/cases/1", Reference: "R-1",
			URL: "https://reglo.example/l/abc", ExpiresAt: time.Date(2026, 7, 4, 0, 0, 0, 0, time.UTC)}
		w := v
		w.QR = "data:image/png;base64,iVBORw0KGgo="
		return []any{v, w}
	}
}

func sampleBoTimeline() BoTimelineView {
	at := time.Date(2026, 6, 4, 10, 0, 0, 0, time.UTC)
	v := BoTimelineView{URL: "/admin/cases/1/timeline"}
	for i, k := range append(eventKindNames(), "some_future_kind") {
		a := BoActors[i%len(BoActors)]
		e := BoEventView{Kind: k, Known: i < len(portal.EventKinds), Actor: a, At: at, Detail: "sms"}
		if a == "user" {
			e.Who = "agent@example.org"
		}
		v.Events = append(v.Events, e)
	}
	return v
}

func sampleBoCase(problem, notice string) BoCaseView {
	c := sampleCase(StateOpen, "", true)
	day := time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC)
	v := BoCaseView{User: BoUser{Email: "agent@example.org", Role: "agent"}, ID: 1, Reference: "R-1", Status: "open",
		Creditor: "Atelier", DebtorName: "Hélène Côté", DebtorKind: "consumer", Email: "h@example.org", Phone: "06 12 34 56 78",
		Postcode: "75011", Language: "fr", Balance: eur(124950), Total: eur(124950), Paid: eur(0),
		Invoices: c.Invoices, Documents: c.Documents, Payments: c.Payments,
		Plan:       &BoPlanView{Status: "active", Frequency: "monthly", Instalments: []BoInstalmentView{{Seq: 1, DueOn: day, Amount: eur(1000), Status: "paid"}}},
		Timeline:   sampleBoTimeline(),
		LinkAction: "/admin/cases/1/links", SendProblem: problem, Notice: notice, Channel: "email", SMSOff: true,
	}
	v.Unmatched = sampleUnmatched()
	for _, st := range BoInstalmentStatuses {
		v.Plan.Instalments = append(v.Plan.Instalments, BoInstalmentView{Seq: 9, DueOn: day, Amount: eur(1000), Status: st})
	}
	for _, s := range BoLinkStates {
		l := BoLinkView{ID: 1, Channel: "sms", CreatedAt: day, ExpiresAt: day, State: s, Opened: s == "active"}
		if s == "active" {
			l.RevokeURL = "/admin/cases/1/links/1/revoke"
		}
		v.Links = append(v.Links, l)
	}
	return v
}

// The global sample test forbids "<script" (no inline script); the back
// office loads one external, same-origin script as progressive
// enhancement, checked here.
func TestBackOfficeScriptIsExternalOnly(t *testing.T) {
	r := MustNew()
	for _, page := range []string{"admin_case_show", "admin_link_shown"} {
		var v any = sampleBoCase("", "")
		if page == "admin_link_shown" {
			v = BoLinkShownView{CaseURL: "/admin/cases/1", URL: "https://x/l/a", ScriptURL: "/static/backoffice.js"}
		} else {
			c := v.(BoCaseView)
			c.ScriptURL = "/static/backoffice.js"
			v = c
		}
		var buf bytes.Buffer
		if err := r.Render(&buf, page, Page{Lang: "en", CSRF: "tok", Data: v}); err != nil {
			t.Fatal(err)
		}
		html := buf.String()
		if n := strings.Count(html, "<script"); n != 1 || !strings.Contains(html, `<script src="/static/backoffice.js" defer></script>`) {
			t.Errorf("%s: want exactly one external script, got %d in %s", page, n, html)
		}
	}
	if _, ok := StaticAsset("backoffice.js"); !ok {
		t.Error("backoffice.js is not embedded")
	}
}

func TestBackOfficeKeysExist(t *testing.T) {
	ids, err := MessageIDs()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		known := set(ids[lang])
		var want []string
		for _, k := range eventKindNames() {
			want = append(want, "bo.event."+k)
		}
		for _, k := range statusNames() {
			want = append(want, "bo.status."+k)
		}
		for _, k := range BoActors {
			want = append(want, "bo.actor."+k)
		}
		for _, k := range want {
			if !known[k] {
				t.Errorf("%s: message %q is missing", lang, k)
			}
		}
	}
}

// statusNames and eventKindNames are the core's lists, which the labels of
// the catalogues must cover.
func statusNames() []string {
	var out []string
	for _, st := range portal.Statuses {
		out = append(out, string(st))
	}
	return out
}

func eventKindNames() []string {
	var out []string
	for _, k := range portal.EventKinds {
		out = append(out, string(k))
	}
	return out
}

// sampleUnmatched is unmatched money of every reason, one resolved and
// one whose resolution just failed.
func sampleUnmatched() []BoUnmatched {
	day := time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC)
	var out []BoUnmatched
	for i, r := range BoUnmatchedReasons {
		out = append(out, BoUnmatched{ID: int64(i + 1), Reason: r, Amount: eur(5000), Since: day,
			Stripe: []string{"pi_3Pq8xYZ2eZvKYlo2C0fFfQnL", "ch_3Pq8xYZ2eZvKYlo2C1aBcDeF"}, ResolveURL: fmt.Sprintf("/admin/unmatched/%d/resolve", i+1),
			Failed: i == 1, Note: "Remboursé"})
	}
	out = append(out, BoUnmatched{ID: 9, Reason: "excess", Amount: eur(100), Since: day, ResolvedAt: day, Note: "Renvoyé au créancier"})
	return out
}
