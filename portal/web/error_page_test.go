package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

func TestErrorPagesAreCalmAndTranslated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		tests := []struct {
			name   string
			path   string
			accept string
			status int
			want   []string
		}{
			{"unknown page in French", "/nowhere", "", http.StatusNotFound, []string{`<html lang="fr">`, "Page introuvable", `href="/case"`}},
			{"unknown page in English", "/nowhere", "en", http.StatusNotFound, []string{`<html lang="en">`, "We cannot find this page"}},
			{"ended session", "/case", "", http.StatusUnauthorized, []string{"Votre session est terminée"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := f.visitor()
				if tt.accept != "" {
					b.headers["Accept-Language"] = tt.accept
				}
				r := b.get(tt.path)
				wantPageStatus(t, tt.name, r, tt.status)
				pageHas(t, tt.name, r.body, tt.want...)
				if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || r.header.Get("Cache-Control") != "no-store" {
					t.Errorf("headers %v", r.header)
				}
			})
		}
	})
}

func TestInternalErrorPageShowsOnlyTheRequestID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		b.signIn(f.token)
		// A case page whose database has gone away.
		sqlDB, err := store.DB.DB()
		if err != nil {
			t.Fatal(err)
		}
		sqlDB.Close()
		r := b.get("/case/plan")
		wantPageStatus(t, "broken database", r, http.StatusInternalServerError)
		id := r.header.Get("X-Request-Id")
		pageHas(t, "500 page", r.body, "Un problème est survenu de notre côté", "<code>"+id+"</code>")
		pageLacks(t, "500 page", r.body, "sql", "database", "closed")
	})
}

func TestAPIErrorsStayJSON(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		r := f.visitor().get("/api/v1/cases/1")
		wantPageStatus(t, "api without key", r, http.StatusUnauthorized)
		var body map[string]any
		if err := json.Unmarshal([]byte(r.body), &body); err != nil {
			t.Fatalf("not JSON: %s", r.body)
		}
	})
}
