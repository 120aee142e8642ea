package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/views"
)

func TestStylesheetIsServedForAYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		r := b.get("/static/reglo.css?v=" + views.StyleVersion)
		wantPageStatus(t, "css", r, http.StatusOK)
		if ct := r.header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("Cache-Control %q", cc)
		}
		if len(r.cookies) != 0 {
			t.Errorf("static files set no cookie (CSRF skips them); got %v", r.cookies)
		}
		pageHas(t, "css", r.body, ":focus-visible")
		for _, p := range []string{"/static/nope.css", "/static/../go.mod", "/static/%2e%2e/views.go", "/static/"} {
			if r := b.get(p); r.status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", p, r.status)
			}
		}
	})
}
