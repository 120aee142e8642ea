package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/storetest"
)

func TestBackOfficeLoginForm(t *testing.T) {
	tests := []struct {
		name       string
		email      string
		password   string
		csrf       string // "" sends the page's token
		wantStatus int
		wantText   []string
		signedIn   bool
	}{
		{name: "right password opens a session", email: boAgentEmail, password: boPassword, wantStatus: http.StatusSeeOther, signedIn: true},
		{name: "email is not case sensitive", email: "  AGENT@reglo.example ", password: boPassword, wantStatus: http.StatusSeeOther, signedIn: true},
		{name: "wrong password keeps the email, never the password", email: boAgentEmail, password: "not-the-password", wantStatus: http.StatusUnprocessableEntity,
			wantText: []string{"There is a problem", "The email address or the password is wrong", `value="` + boAgentEmail + `"`, `href="#password"`}},
		{name: "unknown email says the same as a wrong password", email: "nobody@reglo.example", password: boPassword, wantStatus: http.StatusUnprocessableEntity,
			wantText: []string{"The email address or the password is wrong"}},
		{name: "empty fields are asked for", email: "", password: "", wantStatus: http.StatusUnprocessableEntity,
			wantText: []string{"Enter your email address and your password", `aria-invalid="true"`}},
		{name: "missing CSRF token is refused", email: boAgentEmail, password: boPassword, csrf: "-", wantStatus: http.StatusForbidden},
		{name: "wrong CSRF token is refused", email: boAgentEmail, password: boPassword, csrf: "forged", wantStatus: http.StatusForbidden},
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "fr")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := e.browser()
				if r := b.get("/admin/login"); r.status != http.StatusOK {
					t.Fatalf("login page: status %d", r.status)
				}
				form := url.Values{"email": {tt.email}, "password": {tt.password}}
				switch tt.csrf {
				case "":
					form.Set("_csrf", b.csrf)
				case "-":
				default:
					form.Set("_csrf", tt.csrf)
				}
				r := b.postRaw("/admin/login", form)
				wantPageStatus(t, "login", r, tt.wantStatus)
				pageHas(t, "login answer", r.body, tt.wantText...)
				if tt.password != "" {
					pageLacks(t, "login answer", r.body, tt.password)
				}
				c, ok := r.cookies["reglo_admin"]
				if ok != tt.signedIn {
					t.Fatalf("session cookie set = %v, want %v", ok, tt.signedIn)
				}
				if !tt.signedIn {
					if r := b.get("/admin"); r.status != http.StatusSeeOther {
						t.Errorf("search page without a session: status %d", r.status)
					}
					return
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/admin" {
					t.Errorf("session cookie flags: %+v", c)
				}
				if loc := r.header.Get("Location"); loc != "/admin" {
					t.Errorf("redirect to %q", loc)
				}
				r = b.get("/admin")
				wantPageStatus(t, "search page", r, http.StatusOK)
				pageHas(t, "search page", r.body, "Find a case", boAgentEmail, "Sign out")
			})
		}
	})
}

func TestBackOfficeLoginLocksAfterFiveWrongPasswords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "fr")
		b := e.browser()
		b.get("/admin/login")
		login := func(password string) debtorResponse {
			return b.post("/admin/login", url.Values{"email": {boAgentEmail}, "password": {password}})
		}
		for i := 1; i < portal.MaxLoginFailures; i++ {
			r := login("wrong-password-" + strings.Repeat("x", i))
			wantPageStatus(t, "wrong password", r, http.StatusUnprocessableEntity)
			pageHas(t, "wrong password", r.body, "The email address or the password is wrong")
		}
		r := login("wrong-password-last")
		wantPageStatus(t, "fifth wrong password", r, http.StatusUnprocessableEntity)
		pageHas(t, "fifth wrong password", r.body, "this account is locked for 15 minutes")

		r = login(boPassword)
		wantPageStatus(t, "right password while locked", r, http.StatusUnprocessableEntity)
		pageHas(t, "right password while locked", r.body, "this account is locked")
		if _, ok := r.cookies["reglo_admin"]; ok {
			t.Fatal("a locked account got a session")
		}
		// The lock is in the database: another process (another app on
		// the same store) refuses too.
		other := newBoApp(e)
		other.get("/admin/login")
		r = other.post("/admin/login", url.Values{"email": {boAgentEmail}, "password": {boPassword}})
		wantPageStatus(t, "right password on another process", r, http.StatusUnprocessableEntity)

		e.Clock.Add(portal.LoginLockout + time.Second)
		r = login(boPassword)
		wantPageStatus(t, "right password after the lock", r, http.StatusSeeOther)
		if _, ok := r.cookies["reglo_admin"]; !ok {
			t.Fatal("no session after the lock ended")
		}
	})
}

func TestBackOfficePagesNeedASession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "fr")
		b := e.browser()
		r := b.get(boCasePath(e.caseA.ID))
		wantPageStatus(t, "case page without a session", r, http.StatusSeeOther)
		want := "/admin/login?next=" + url.QueryEscape(boCasePath(e.caseA.ID))
		if loc := r.header.Get("Location"); loc != want {
			t.Fatalf("redirect to %q, want %q", loc, want)
		}
		// The form carries next, and signing in comes back to the case.
		r = b.get(want)
		pageHas(t, "login page", r.body, `name="next" value="`+boCasePath(e.caseA.ID)+`"`)
		r = b.post("/admin/login", url.Values{"email": {boAgentEmail}, "password": {boPassword}, "next": {boCasePath(e.caseA.ID)}})
		if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || loc != boCasePath(e.caseA.ID) {
			t.Fatalf("after login: status %d, location %q", r.status, loc)
		}

		// The script's fragment request gets 401, not a login page.
		anon := e.browser()
		anon.headers["X-Reglo-Fragment"] = "1"
		r = anon.get(boCasePath(e.caseA.ID, "/timeline"))
		wantPageStatus(t, "timeline fragment without a session", r, http.StatusUnauthorized)
		pageLacks(t, "timeline fragment without a session", r.body, boDebtorA)
	})
}

func TestBackOfficeLoginNeverRedirectsOffSite(t *testing.T) {
	nexts := []string{"https://evil.example/", "/admin/%2e%2e/l/x", "//evil.example/admin", "/admin/../l/x", `/admin\evil`, "/adminx", "/admin/login", "/case"}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "fr")
		for _, next := range nexts {
			b := e.browser()
			b.get("/admin/login")
			r := b.post("/admin/login", url.Values{"email": {boAgentEmail}, "password": {boPassword}, "next": {next}})
			if loc := r.header.Get("Location"); loc != "/admin" {
				t.Errorf("next %q: redirect to %q, want /admin", next, loc)
			}
		}
	})
}

func TestBackOfficeLogoutEndsTheSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "fr")
		b := e.signIn(boAgentEmail)
		stolen := b.cookies["reglo_admin"].Value
		b.get("/admin")
		r := b.post("/admin/logout", nil)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/login" {
			t.Fatalf("logout: status %d, location %q", r.status, r.header.Get("Location"))
		}
		// The old cookie no longer works, even if someone kept it.
		thief := e.browser()
		thief.cookies["reglo_admin"] = &http.Cookie{Name: "reglo_admin", Value: stolen}
		if r := thief.get("/admin"); r.status != http.StatusSeeOther {
			t.Fatalf("search page with an ended session: status %d", r.status)
		}
	})
}

// newBoApp is a browser on a second app over the same service, as a second
// process behind the load balancer would be.
func newBoApp(e *boEnv) *debtorBrowser {
	b := newDebtorBrowser(e.t, newDebtorApp(e.Kit, "http://localhost:8080").App)
	b.headers["Accept-Language"] = "en"
	return b
}
