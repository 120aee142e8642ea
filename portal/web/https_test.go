package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/web"
)

// Behind a TLS-terminating load balancer, the whole debtor journey works:
// Fiber's CSRF middleware demands a same-host Referer on https POSTs, which
// Referrer-Policy: same-origin keeps while sending nothing to other sites.
func TestHTTPSBehindTrustedProxy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store, fixtureOptions{baseURL: "https://pay.example.com"})
		srv := web.New(web.Config{Services: f.Services, BaseURL: "https://pay.example.com", Log: quietLog, TrustedProxies: []string{"0.0.0.0/0", "::/0"}})
		b := newDebtorBrowser(t, srv.App)
		b.headers["X-Forwarded-Proto"] = "https"
		b.headers["X-Forwarded-Host"] = "pay.example.com"
		r := b.get("/l/" + f.token)
		wantPageStatus(t, "landing", r, http.StatusOK)
		for h, want := range map[string]string{
			"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
			"Referrer-Policy":           "same-origin",
		} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if c, ok := r.cookies["__Host-reglo_csrf"]; !ok || !c.Secure || c.Path != "/" {
			t.Fatalf("CSRF cookie under https: %+v", r.cookies)
		}
		r = b.post("/l/"+f.token, url.Values{"answer": {debtorPostcode}})
		wantPageStatus(t, "answer without Referer", r, http.StatusForbidden)

		b.headers["Referer"] = "https://evil.example/l/" + f.token
		r = b.post("/l/"+f.token, url.Values{"answer": {debtorPostcode}})
		wantPageStatus(t, "answer from another site", r, http.StatusForbidden)

		b.headers["Referer"] = "https://pay.example.com/l/" + f.token
		r = b.post("/l/"+f.token, url.Values{"answer": {debtorPostcode}})
		wantPageStatus(t, "answer from our own page", r, http.StatusSeeOther)
		if c := r.cookies["reglo_session"]; c == nil || !c.Secure {
			t.Fatalf("session cookie under https: %+v", c)
		}
	})
}

// Without a trusted proxy, forwarded headers are not believed: a client
// cannot claim another address or scheme.
func TestForwardedHeadersIgnoredWithoutTrustedProxy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		b.headers["X-Forwarded-Proto"] = "https"
		b.get("/l/" + f.token)
		r := b.post("/l/"+f.token, url.Values{"answer": {debtorPostcode}})
		wantPageStatus(t, "answer", r, http.StatusSeeOther)
		if r.header.Get("Strict-Transport-Security") != "" {
			t.Fatal("HSTS sent on plain http")
		}
	})
}
