package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// TestRouteGroupsCarryTheRequirements: the /case group needs a debtor
// session and the /admin group a user, exactly for their own routes; a
// path that only shares the prefix ("/cases", "/administration") is not
// theirs and is simply not found.
func TestRouteGroupsCarryTheRequirements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		tests := []struct {
			name, path string
			status     int
			location   string
		}{
			{"the case page without a session is 401", "/case", http.StatusUnauthorized, ""},
			{"a case action without a session is 401", "/case/promise", http.StatusUnauthorized, ""},
			{"a look-alike of /case is no case route", "/cases", http.StatusNotFound, ""},
			{"the sign-in page needs no user", "/admin/login", http.StatusOK, ""},
			{"the back office without a user sends to sign in", "/admin/worklist", http.StatusSeeOther, "/admin/login"},
			{"a look-alike of /admin is no back-office route", "/administration", http.StatusNotFound, ""},
		}
		for _, tt := range tests {
			r := f.visitor().get(tt.path)
			if r.status != tt.status {
				t.Errorf("%s: GET %s = %d, want %d", tt.name, tt.path, r.status, tt.status)
			}
			if loc := r.header.Get("Location"); tt.location != "" && !strings.HasPrefix(loc, tt.location) {
				t.Errorf("%s: Location %q, want %s", tt.name, loc, tt.location)
			}
		}
	})
}
