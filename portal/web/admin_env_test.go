package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/testkit"
	"github.com/reglo/reglo/portal/web"
)

// Shared fixtures of the back-office tests: an organisation with two
// creditors, a case of each whose debtors share a first name (so a search
// that leaked across creditors would show), an agent who works for the
// whole organisation and an admin limited to creditor A.

const (
	boPassword    = "correct horse battery staple"
	boAgentEmail  = "agent@reglo.example"
	boAdminAEmail = "admin-a@reglo.example"
	boCreditorA   = "Énergie Claire"
	boCreditorB   = "Atelier Martin"
	boRefA        = "NRG-2026-0042"
	boRefB        = "ATM-2026-0007"
	boDebtorA     = "Hélène Côté"
	boDebtorB     = "Helene Bernard"
	boEmailA      = "helene.cote@example.org"
	boPhoneA      = "+33 6 12 34 56 78"
	// boAmountA is case A's balance; no message to the debtor may carry it.
	boAmountCentsA = 123450
)

// boAmountTexts are the ways case A's amount could be written in a message.
var boAmountTexts = []string{"1234,50", "1 234,50", "1\u202f234,50", "1,234.50", "1234.50", "1234"}

type boEnv struct {
	*testkit.Kit
	t            *testing.T
	srv          *web.Server
	credA, credB portal.Creditor
	caseA, caseB portal.Case
}

// newBoEnv builds the fixtures and an app sending links through senders.
func newBoEnv(t *testing.T, store *portal.Store, senders notify.Senders, lang string) *boEnv {
	t.Helper()
	k := newDebtorService(t, store, "http://localhost:8080", testkit.NewClock(time.Now().UTC().Truncate(time.Second)), nil)
	e := &boEnv{t: t, Kit: k}
	e.credA, _ = e.Creditor(boCreditorA, nil)
	e.credB, _ = e.Creditor(boCreditorB, nil)
	e.caseA = e.addCase(e.credA, boRefA, portal.NewDebtor{Name: boDebtorA, Email: boEmailA, Phone: boPhoneA, Postcode: "75011", Language: lang}, boAmountCentsA)
	e.caseB = e.addCase(e.credB, boRefB, portal.NewDebtor{Name: boDebtorB, Email: "helene.bernard@example.org", Phone: "+33 6 98 76 54 32", Postcode: "69001"}, 9900)
	e.addUser(boAgentEmail, portal.RoleAgent, nil)
	e.addUser(boAdminAEmail, portal.RoleAdmin, &e.credA.ID)
	e.srv = web.New(web.Config{Services: k.Services, BaseURL: "http://localhost:8080", Log: debtorLog(), Notify: senders})
	return e
}

func (e *boEnv) addCase(cr portal.Creditor, ref string, debtor portal.NewDebtor, cents int64) portal.Case {
	e.t.Helper()
	d, err := e.Core.CreateCase(context.Background(), cr, portal.NewCase{Reference: ref, Debtor: debtor, Currency: "EUR",
		Invoices: []portal.NewInvoice{{Number: "F-1", IssuedOn: "2026-01-05", DueOn: "2026-02-05",
			Lines: []portal.NewLine{{Label: "Consommation d'électricité", AmountCents: cents, Kind: portal.LinePrincipal}}}}},
		portal.CreditorActor(cr.ID))
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Case
}

// addUser inserts a login directly, hashed at bcrypt's lowest cost: the
// tests sign in dozens of times (under -race too), and what they check is
// the web layer, not the hash's cost (users.go's CreateUser is tested in
// portal).
func (e *boEnv) addUser(email, role string, creditorID *int64) portal.User {
	e.t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(boPassword), bcrypt.MinCost)
	if err != nil {
		e.t.Fatal(err)
	}
	u := portal.User{OrganisationID: e.credA.OrganisationID, Email: email, PasswordHash: string(hash), Role: role, CreditorID: creditorID, CreatedAt: e.Clock.Now()}
	if err := e.Store.DB.Create(&u).Error; err != nil {
		e.t.Fatal(err)
	}
	return u
}

// browser is a new visitor reading English pages.
func (e *boEnv) browser() *debtorBrowser {
	b := newDebtorBrowser(e.t, e.srv.App)
	b.headers["Accept-Language"] = "en"
	return b
}

// signIn walks the login form and returns the signed-in browser.
func (e *boEnv) signIn(email string) *debtorBrowser {
	e.t.Helper()
	b := e.browser()
	b.get("/admin/login")
	r := b.post("/admin/login", url.Values{"email": {email}, "password": {boPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin" {
		e.t.Fatalf("sign in %s: status %d, location %q, body %s", email, r.status, r.header.Get("Location"), r.body)
	}
	return b
}

func boCasePath(id int64, rest ...string) string {
	return "/admin/cases/" + itoa(id) + strings.Join(rest, "")
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// boLinkURL finds a debtor link URL in a page or a message.
var boLinkURL = regexp.MustCompile(`http://localhost:8080/l/[A-Za-z0-9_-]+`)

// boTokenOf is the token at the end of a link URL.
func boTokenOf(u string) string { return u[strings.LastIndex(u, "/")+1:] }

// boLinks are a case's links, newest first.
func (e *boEnv) boLinks(caseID int64) []portal.Link {
	e.t.Helper()
	var ls []portal.Link
	if err := e.Store.DB.Where("case_id = ?", caseID).Order("id DESC").Find(&ls).Error; err != nil {
		e.t.Fatal(err)
	}
	return ls
}

// lastEvent is the newest event of a case.
func (e *boEnv) lastEvent(caseID int64) portal.TimelineEvent {
	e.t.Helper()
	evs, err := e.Core.Timeline(context.Background(), caseID)
	if err != nil || len(evs) == 0 {
		e.t.Fatalf("timeline: %v (%d events)", err, len(evs))
	}
	return evs[len(evs)-1]
}

func indexOf(s, sub string) int { return strings.Index(s, sub) }
