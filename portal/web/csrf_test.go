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
