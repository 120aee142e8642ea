package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/views"
)

func TestCasePageWithoutASessionExplainsHowToGetANewLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		tests := []struct {
			name   string
			cookie string
		}{
			{"no cookie", ""},
			{"forged cookie", "eyJhbGciOiJIUzI1NiJ9.e30.forged"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := f.visitor()
				if tt.cookie != "" {
					b.cookies["reglo_session"] = &http.Cookie{Name: "reglo_session", Value: tt.cookie}
				}
				r := b.get("/case")
				wantPageStatus(t, "case", r, http.StatusUnauthorized)
				pageHas(t, "401 page", r.body, "Votre session est terminée", "Comment obtenir un nouveau lien", "dernier SMS ou e-mail")
				pageLacks(t, "401 page", r.body, debtorBalanceFR, debtorName, debtorReference)
				if r.header.Get("Cache-Control") != "no-store" {
					t.Error("401 page must not be cached")
				}
				if tt.cookie != "" {
					if c, ok := r.cookies["reglo_session"]; !ok || c.Value != "" {
						t.Error("a dead session cookie must be cleared")
					}
				}
			})
		}
	})
}

func TestCasePageShowsTheWholeCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		b.signIn(f.token)
		r := b.get("/case")
		wantPageStatus(t, "case", r, http.StatusOK)
		pageHas(t, "case page", r.body,
			// who is asking
			debtorCreditor, "Atelier Dupont SARL", "SIREN 123 456 789", "12 rue de la Paix", "75002 Paris",
			`href="tel:+33123456789"`, "bonjour@atelier-dupont.example", "Du lundi au vendredi",
			// the debt
			debtorReference, debtorName, debtorBalanceFR,
			"Facture F-2026-001", "4 avril 2026", "4 juin 2026", "Réparation de la toiture",
			"Somme due", "Intérêts", "Frais", "1\u202f234,50\u00a0€", "10,00\u00a0€", "5,00\u00a0€",
			"Paiements déjà reçus", "Aucun paiement",
			// documents
			debtorPDFTitle, "/case/documents/", "PDF",
			// four choices
			`href="#other-ways"`, `href="/case/plan"`, `href="/case/cannot-pay"`, `href="/case/contest"`,
			// law and help
			"les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier", "L111-8",
			"https://www.mesquestionsdargent.fr/budget/points-conseil-budget", "https://particuliers.banque-france.fr/surendettement",
			// Stripe is not configured in these tests
			"Le paiement par carte n'est pas encore disponible", "IBAN FR76",
			// sign out
			`action="/case/logout"`)
		pageLacks(t, "case page", r.body, otherCasePDFTitle, "DUP-2026-0099", "<script", "style=", `action="/case/pay"`)
		if n, m := strings.Count(r.body, "<form"), strings.Count(r.body, `name="_csrf" value="`+b.csrf+`"`); n == 0 || n != m {
			t.Errorf("%d forms, %d carry the CSRF token", n, m)
		}
		if r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", r.header.Get("Cache-Control"))
		}
	})
}

func TestCasePageStates(t *testing.T) {
	tests := []struct {
		name   string
		status portal.Status
		kind   string
		card   bool
		want   []string
		lacks  []string
	}{
		{name: "card payment configured offers a pay form", status: portal.StatusOpen, card: true,
			want: []string{`<form method="post" action="/case/pay"><input type="hidden" name="_csrf"`}, lacks: []string{"pas encore disponible"}},
		{name: "paid case thanks warmly and offers no payment", status: portal.StatusPaid,
			card: true, want: []string{"Merci, tout est réglé"}, lacks: []string{`action="/case/pay"`, `href="/case/plan"`}},
		{name: "disputed case explains the pause instead of asking to pay", status: portal.StatusDisputed,
			card: true, want: []string{"Nous regardons votre question", "rien à payer"}, lacks: []string{`action="/case/pay"`, `href="/case/plan"`}},
		{name: "closed case says nothing is to be done", status: portal.StatusClosed,
			want: []string{"Ce dossier est fermé"}, lacks: []string{`action="/case/pay"`}},
		{name: "requested plan is mentioned and choices stay", status: portal.StatusPlanRequested,
			want: []string{"va vous répondre", `href="/case/plan"`}},
		{name: "business debtor gets no consumer statement", status: portal.StatusOpen, kind: "business",
			want: []string{`href="/case/contest"`}, lacks: []string{"L111-8"}},
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := newDebtorFixture(t, store, fixtureOptions{kind: tt.kind, cardPayment: tt.card})
				f.setStatus(tt.status)
				b := f.visitor()
				b.signIn(f.token)
				r := b.get("/case")
				wantPageStatus(t, "case", r, http.StatusOK)
				pageHas(t, "case page", r.body, tt.want...)
				pageLacks(t, "case page", r.body, tt.lacks...)
			})
		}
	})
}

// TestCasePageFitsTheBudget holds the weight budget: the case page's
// HTML and its stylesheet under 30 KB, uncompressed.
func TestCasePageFitsTheBudget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		b.signIn(f.token)
		page := b.get("/case")
		wantPageStatus(t, "case", page, http.StatusOK)
		css := b.get("/static/reglo.css?v=" + views.StyleVersion)
		wantPageStatus(t, "css", css, http.StatusOK)
		if total := len(page.body) + len(css.body); total >= 30*1024 {
			t.Errorf("case page %d B + CSS %d B = %d B, budget 30 KB", len(page.body), len(css.body), total)
		}
	})
}

func TestSessionCookieFlags(t *testing.T) {
	tests := []struct {
		name    string
		baseURL string
		secure  bool
	}{
		{"plain http for local use", "http://localhost:8080", false},
		{"https base URL makes it Secure", "https://pay.example.com", true},
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := newDebtorFixture(t, store, fixtureOptions{baseURL: tt.baseURL})
				b := f.visitor()
				b.get("/l/" + f.token)
				r := b.post("/l/"+f.token, url.Values{"answer": {debtorPostcode}})
				wantPageStatus(t, "answer", r, http.StatusSeeOther)
				c, ok := r.cookies["reglo_session"]
				if !ok {
					t.Fatal("no reglo_session cookie")
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != tt.secure {
					t.Errorf("cookie HttpOnly=%v SameSite=%v Path=%q Secure=%v", c.HttpOnly, c.SameSite, c.Path, c.Secure)
				}
				want := f.Clock.Now().Add(portal.SessionAbsolute)
				if d := c.Expires.Sub(want); d < -2*time.Second || d > 2*time.Second {
					t.Errorf("cookie expires %v, want %v", c.Expires, want)
				}
			})
		}
	})
}

func TestSessionEnds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		t.Run("after 30 idle minutes", func(t *testing.T) {
			f := newDebtorFixture(t, store)
			b := f.visitor()
			b.signIn(f.token)
			f.Clock.Add(29 * time.Minute)
			wantPageStatus(t, "after 29 minutes", b.get("/case"), http.StatusOK)
			f.Clock.Add(29 * time.Minute)
			wantPageStatus(t, "29 minutes after the last page", b.get("/case"), http.StatusOK)
			f.Clock.Add(31 * time.Minute)
			r := b.get("/case")
			wantPageStatus(t, "31 idle minutes", r, http.StatusUnauthorized)
			pageHas(t, "401", r.body, "nouveau lien")
		})
		t.Run("after 12 hours however active", func(t *testing.T) {
			f := newDebtorFixture(t, store)
			b := f.visitor()
			b.signIn(f.token)
			for elapsed := time.Duration(0); elapsed < portal.SessionAbsolute-25*time.Minute; elapsed += 25 * time.Minute {
				f.Clock.Add(25 * time.Minute)
				if r := b.get("/case"); r.status != http.StatusOK {
					t.Fatalf("after %v: status %d", elapsed+25*time.Minute, r.status)
				}
			}
			f.Clock.Add(25 * time.Minute)
			// The cookie would be gone from a real browser; send it anyway.
			b.cookies["reglo_session"].Expires = time.Time{}
			wantPageStatus(t, "after 12 hours", b.get("/case"), http.StatusUnauthorized)
		})
	})
}

func TestChoicePagesAreNotDeadEnds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		for _, path := range []string{"/case/plan", "/case/cannot-pay", "/case/contest"} {
			wantPageStatus(t, path+" without a session", b.get(path), http.StatusUnauthorized)
		}
		b.signIn(f.token)
		for _, path := range []string{"/case/plan", "/case/cannot-pay", "/case/contest"} {
			r := b.get(path)
			wantPageStatus(t, path, r, http.StatusOK)
			pageHas(t, path, r.body, "Contacter "+debtorCreditor, `href="tel:+33123456789"`, "bonjour@atelier-dupont.example",
				"Du lundi au vendredi", `href="/case"`, "Points conseil budget")
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s Cache-Control %q", path, r.header.Get("Cache-Control"))
			}
		}
	})
}

func TestSignOutEndsTheSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		b.signIn(f.token)
		b.get("/case")
		stolen := b.cookies["reglo_session"].Value
		r := b.post("/case/logout", nil)
		wantPageStatus(t, "sign out", r, http.StatusSeeOther)
		if r.header.Get("Location") != "/signed-out" {
			t.Errorf("Location %q", r.header.Get("Location"))
		}
		if c, ok := r.cookies["reglo_session"]; !ok || c.Value != "" || c.Path != "/" {
			t.Errorf("session cookie not cleared: %+v", c)
		}
		page := b.get("/signed-out")
		wantPageStatus(t, "signed out page", page, http.StatusOK)
		pageHas(t, "signed out page", page.body, "Vous êtes déconnecté")
		// A copy of the cookie is worthless now: the row is revoked.
		b.cookies["reglo_session"] = &http.Cookie{Name: "reglo_session", Value: stolen}
		wantPageStatus(t, "old cookie", b.get("/case"), http.StatusUnauthorized)
	})
}
