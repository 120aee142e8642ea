package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

func TestLinkLandingShowsNoAmountBeforeTheIdentityCheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		r := b.get("/l/" + f.token)
		wantPageStatus(t, "landing", r, http.StatusOK)
		pageHas(t, "landing", r.body, debtorCreditor, `name="answer"`, `name="_csrf"`, "code postal", `<html lang="fr">`)
		pageLacks(t, "landing", r.body,
			"1\u202f249", "1 249", "1249", "124950", "€", // no amount in any form
			debtorName, "Camille", debtorPostcode, debtorReference, "F-2026-001", "camille@example.org", // nothing personal
			"toiture", "<script", "style=")
		if got := r.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", got)
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		// Opening the link consumed nothing: a scanner's prefetch is harmless.
		b.get("/l/" + f.token)
		b.signIn(f.token)
	})
}

func TestUnusableLinksAllGetTheSamePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		expired := f.newLink(f.caseID, time.Hour)
		revoked := f.newLink(f.caseID, 0)
		var l portal.Link
		if err := store.DB.Where("token_hash = ?", portal.HashToken(revoked)).Take(&l).Error; err != nil {
			t.Fatal(err)
		}
		if err := f.Core.RevokeLink(context.Background(), f.caseID, l.ID, portal.SystemActor); err != nil {
			t.Fatal(err)
		}
		f.Clock.Add(2 * time.Hour)

		tokens := map[string]string{
			"unknown": portal.RandomToken(),
			"expired": expired,
			"revoked": revoked,
		}
		bodies := map[string]string{}
		for name, tok := range tokens {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				b := f.visitor()
				b.get("/l/" + f.token) // a CSRF token for the post
				var r debtorResponse
				if method == http.MethodGet {
					r = b.get("/l/" + tok)
				} else {
					r = b.post("/l/"+tok, url.Values{"answer": {debtorPostcode}})
				}
				wantPageStatus(t, name+" "+method, r, http.StatusNotFound)
				pageHas(t, name, r.body, "Ce lien ne fonctionne plus", "Comment obtenir un nouveau lien")
				pageLacks(t, name, r.body, debtorCreditor, `name="answer"`)
				if _, ok := r.cookies["reglo_session"]; ok {
					t.Errorf("%s %s set a session cookie", name, method)
				}
				bodies[name+" "+method] = r.body
			}
		}
		for k, body := range bodies {
			if body != bodies["unknown GET"] {
				t.Errorf("%q page differs from the unknown token's page", k)
			}
		}
	})
}

func TestIdentityCheck(t *testing.T) {
	tests := []struct {
		name       string
		answer     string
		status     int
		want       []string
		signedIn   bool
		attemptsOf int // failed attempts recorded afterwards
	}{
		{name: "right postcode opens the case", answer: debtorPostcode, status: http.StatusSeeOther, signedIn: true},
		{name: "postcode matched whatever the spaces", answer: " 75 011 ", status: http.StatusSeeOther, signedIn: true},
		{name: "wrong postcode shows the form again with the answer kept", answer: "75012", status: http.StatusUnprocessableEntity,
			want: []string{"ne correspond pas", "Il vous reste 4 essais", `value="75012"`, `aria-invalid="true"`}, attemptsOf: 1},
		{name: "empty answer asks again without counting", answer: "  ", status: http.StatusUnprocessableEntity,
			want: []string{"Écrivez votre code postal"}, attemptsOf: 0},
		{name: "answer is escaped when shown again", answer: `"><b>x`, status: http.StatusUnprocessableEntity,
			want: []string{`value="&#34;&gt;&lt;b&gt;x"`}, attemptsOf: 1},
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := newDebtorFixture(t, store)
				tok := f.newLink(f.caseID, 0)
				b := f.visitor()
				b.get("/l/" + tok)
				r := b.post("/l/"+tok, url.Values{"answer": {tt.answer}})
				wantPageStatus(t, "answer", r, tt.status)
				pageHas(t, "answer page", r.body, tt.want...)
				if tt.signedIn {
					if loc := r.header.Get("Location"); loc != "/case" {
						t.Errorf("Location %q, want /case (and no token)", loc)
					}
					if strings.Contains(r.header.Get("Location"), tok) {
						t.Error("the token must leave the address bar")
					}
					if _, ok := r.cookies["reglo_session"]; !ok {
						t.Fatal("no session cookie")
					}
					c := b.get("/case")
					wantPageStatus(t, "case", c, http.StatusOK)
					pageHas(t, "case", c.body, debtorBalanceFR)
					return
				}
				if _, ok := r.cookies["reglo_session"]; ok {
					t.Error("a wrong answer must not set a session cookie")
				}
				var l portal.Link
				if err := store.DB.Where("token_hash = ?", portal.HashToken(tok)).Take(&l).Error; err != nil {
					t.Fatal(err)
				}
				if l.FailedAttempts != tt.attemptsOf {
					t.Errorf("failed attempts %d, want %d", l.FailedAttempts, tt.attemptsOf)
				}
			})
		}
	})
}

// TestWrongAnswersLockTheLinkAcrossProcesses runs two services and apps on
// one database, as two processes behind a load balancer would be: the
// wrong answers are spread over both, and the lock holds in both.
func TestWrongAnswersLockTheLinkAcrossProcesses(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dbURL := storetest.URL(t, dialect)
			open := func() *portal.Store {
				s, err := portal.Open(context.Background(), dbURL)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			f := newDebtorFixture(t, open())
			second := newDebtorApp(newDebtorService(t, open(), "http://localhost:8080", f.Clock, nil), "http://localhost:8080")
			procs := []*debtorBrowser{f.visitor(), newDebtorBrowser(t, second.App)}
			for _, b := range procs {
				b.get("/l/" + f.token)
			}
			for i := 1; i <= 4; i++ {
				b := procs[i%2]
				b.headers["X-Forwarded-For"] = "203.0.113." + string(rune('0'+i)) // not trusted: changes nothing
				r := b.post("/l/"+f.token, url.Values{"answer": {"99999"}})
				wantPageStatus(t, "wrong answer", r, http.StatusUnprocessableEntity)
				left := 5 - i
				want := "Il vous reste " + string(rune('0'+left)) + " essai"
				pageHas(t, "wrong answer", r.body, want)
			}
			r := procs[1].post("/l/"+f.token, url.Values{"answer": {"99999"}})
			wantPageStatus(t, "fifth wrong answer", r, http.StatusLocked)
			pageHas(t, "locked page", r.body, "bloqué pour votre sécurité", debtorCreditor, "nouveau lien")

			for i, b := range procs {
				r := b.post("/l/"+f.token, url.Values{"answer": {debtorPostcode}})
				wantPageStatus(t, "right answer on a locked link", r, http.StatusLocked)
				if _, ok := r.cookies["reglo_session"]; ok {
					t.Errorf("process %d opened a session on a locked link", i+1)
				}
				g := b.get("/l/" + f.token)
				wantPageStatus(t, "locked landing", g, http.StatusLocked)
				pageLacks(t, "locked landing", g.body, `name="answer"`)
				// The locked page says whom to call for a new link.
				pageHas(t, "locked landing", g.body, "+33 1 23 45 67 89", "bonjour@atelier-dupont.example")
			}
			kinds := strings.Join(f.timelineKinds(f.caseID), ",")
			if !strings.Contains(kinds, "link_locked") || strings.Count(kinds, "identity_failed") != 5 {
				t.Errorf("timeline %s: want 5 identity_failed and link_locked", kinds)
			}
		})
	}
}

func TestLinkAnswersAreRateLimitedPerAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		b.get("/l/" + f.token)
		var last debtorResponse
		for i := 0; i < 21; i++ {
			// Different links, so the per-link lock is not what stops us.
			last = b.post("/l/"+portal.RandomToken(), url.Values{"answer": {"00000"}})
			if i < 20 && last.status != http.StatusNotFound {
				t.Fatalf("answer %d: status %d", i+1, last.status)
			}
		}
		wantPageStatus(t, "21st answer in a minute", last, http.StatusTooManyRequests)
		pageHas(t, "rate limit page", last.body, "Trop d'essais", "Attendez une minute")
	})
}
