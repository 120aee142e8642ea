package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// TestDebtorFormsRejectAMissingCSRFToken posts every debtor form without
// its token (and with a wrong one) and checks the answer is 403 and that
// nothing changed.
func TestDebtorFormsRejectAMissingCSRFToken(t *testing.T) {
	tokens := []struct {
		name  string
		field func(b *debtorBrowser) url.Values
	}{
		{"missing token", func(*debtorBrowser) url.Values { return url.Values{} }},
		{"wrong token", func(*debtorBrowser) url.Values { return url.Values{"_csrf": {"not-the-token"}} }},
		{"token without its cookie", func(b *debtorBrowser) url.Values {
			tok := b.csrf
			delete(b.cookies, "reglo_csrf")
			return url.Values{"_csrf": {tok}}
		}},
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		for _, tk := range tokens {
			t.Run("identity answer/"+tk.name, func(t *testing.T) {
				f := newDebtorFixture(t, store)
				b := f.visitor()
				b.get("/l/" + f.token)
				for _, answer := range []string{"99999", debtorPostcode} {
					form := tk.field(b)
					form.Set("answer", answer)
					r := b.postRaw("/l/"+f.token, form)
					wantPageStatus(t, "answer without CSRF", r, http.StatusForbidden)
					pageHas(t, "403 page", r.body, "Cette page a expiré", "réessayez")
					if _, ok := r.cookies["reglo_session"]; ok {
						t.Fatal("a session was opened without a CSRF token")
					}
				}
				var l portal.Link
				if err := store.DB.Where("token_hash = ?", portal.HashToken(f.token)).Take(&l).Error; err != nil {
					t.Fatal(err)
				}
				if l.FailedAttempts != 0 {
					t.Errorf("failed attempts %d: a rejected form must count nothing", l.FailedAttempts)
				}
			})
			t.Run("sign out/"+tk.name, func(t *testing.T) {
				f := newDebtorFixture(t, store)
				b := f.visitor()
				b.signIn(f.token)
				b.get("/case")
				r := b.postRaw("/case/logout", tk.field(b))
				wantPageStatus(t, "sign out without CSRF", r, http.StatusForbidden)
				if c, ok := r.cookies["reglo_session"]; ok {
					t.Errorf("session cookie touched: %+v", c)
				}
				b.get("/l/" + f.token) // gets the CSRF cookie back if the case removed it
				wantPageStatus(t, "case after refused sign out", b.get("/case"), http.StatusOK)
			})
		}
	})
}

// TestCSRFTokenOnlyFromTheFormBody sends a valid token everywhere but the
// form body (the query string, a header): each is refused with 403 and
// changes nothing, while the same token in the body is accepted.
func TestCSRFTokenOnlyFromTheFormBody(t *testing.T) {
	elsewhere := []struct {
		name string
		send func(b *debtorBrowser, path string, form url.Values) debtorResponse
	}{
		{"query string", func(b *debtorBrowser, path string, form url.Values) debtorResponse {
			return b.postRaw(path+"?_csrf="+url.QueryEscape(b.csrf), form)
		}},
		{"header", func(b *debtorBrowser, path string, form url.Values) debtorResponse {
			b.headers["X-Csrf-Token"] = b.csrf
			defer delete(b.headers, "X-Csrf-Token")
			return b.postRaw(path, form)
		}},
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		for _, e := range elsewhere {
			t.Run("identity answer/"+e.name, func(t *testing.T) {
				f := newDebtorFixture(t, store)
				b := f.visitor()
				b.get("/l/" + f.token)
				if b.csrf == "" {
					t.Fatal("the landing page gave no CSRF token")
				}
				r := e.send(b, "/l/"+f.token, url.Values{"answer": {debtorPostcode}})
				wantPageStatus(t, "token in the "+e.name, r, http.StatusForbidden)
				if _, ok := r.cookies["reglo_session"]; ok {
					t.Fatal("a session was opened with a token outside the body")
				}
				var l portal.Link
				if err := store.DB.Where("token_hash = ?", portal.HashToken(f.token)).Take(&l).Error; err != nil {
					t.Fatal(err)
				}
				var sessions int64
				if err := store.DB.Model(&portal.Session{}).Where("link_id = ?", l.ID).Count(&sessions).Error; err != nil {
					t.Fatal(err)
				}
				if l.FailedAttempts != 0 || sessions != 0 {
					t.Errorf("failed attempts %d, sessions %d: a refused form must change nothing", l.FailedAttempts, sessions)
				}
				// The same token in the body is the one that works.
				r = b.post("/l/"+f.token, url.Values{"answer": {debtorPostcode}})
				wantPageStatus(t, "token in the body", r, http.StatusSeeOther)
			})
			t.Run("sign out/"+e.name, func(t *testing.T) {
				f := newDebtorFixture(t, store)
				b := f.visitor()
				b.signIn(f.token)
				b.get("/case")
				r := e.send(b, "/case/logout", url.Values{})
				wantPageStatus(t, "sign out with the token in the "+e.name, r, http.StatusForbidden)
				if c, ok := r.cookies["reglo_session"]; ok {
					t.Errorf("session cookie touched: %+v", c)
				}
				wantPageStatus(t, "case after refused sign out", b.get("/case"), http.StatusOK)
			})
		}
	})
}
