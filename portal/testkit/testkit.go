// Package testkit is the one way tests build Reglo: the case core and every
// area over a fresh store, a clock the test moves by hand, seeded creditors,
// cases and users, and signed-in debtors and agents.
package testkit

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/areas"
	"github.com/reglo/reglo/portal/notify"
)

// Secret signs the kit's sessions.
const Secret = "testkit-secret-0123456789abcdef"

// Clock is a settable time source shared by a kit's services and the
// schedulers a test starts; safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// Options shape a kit; the zero value is a kit without Stripe, with the
// clock at the real time, documents in a temporary folder and quiet logs.
type Options struct {
	// Start is where the clock starts; zero is now.
	Start time.Time
	// Clock, when set, is shared with other kits (several processes on
	// one database); Start is then ignored.
	Clock *Clock
	// Stripe is the payments client; nil is an unconfigured one (card
	// payment "not available").
	Stripe *payments.Client
	// BaseURL is the public URL in links; default http://localhost:8080.
	BaseURL string
	// Log receives the services' logs; nil discards them.
	Log *slog.Logger
	// DocsDir stores documents; empty is a temporary folder.
	DocsDir string
	// Messages writes the emails and SMS a test sends: the catalogues'
	// views.Messages, passed by tests that send (the kit, like the areas,
	// holds no words of its own). Nil sends nothing that needs words.
	Messages notify.Writer
}

// Kit is the core and the areas over one store, with their clock.
type Kit struct {
	T       testing.TB
	Store   *portal.Store
	Clock   *Clock
	Stripe  *payments.Client
	Secrets *portal.Secrets
	*areas.Services
}

// New builds a kit over store.
func New(t testing.TB, store *portal.Store, o Options) *Kit {
	t.Helper()
	if o.Start.IsZero() {
		o.Start = time.Now().UTC()
	}
	if o.Stripe == nil {
		o.Stripe = payments.New(payments.Config{})
	}
	if o.BaseURL == "" {
		o.BaseURL = "http://localhost:8080"
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.DocsDir == "" {
		o.DocsDir = t.TempDir()
	}
	secrets, err := portal.NewSecrets(Secret)
	if err != nil {
		t.Fatal(err)
	}
	clock := o.Clock
	if clock == nil {
		clock = NewClock(o.Start)
	}
	core := portal.NewService(store, portal.DiskStorage{Dir: o.DocsDir}, secrets, o.BaseURL, o.Log)
	core.Now = clock.Now
	core.Messages = o.Messages
	return &Kit{T: t, Store: store, Clock: clock, Stripe: o.Stripe, Secrets: secrets, Services: areas.New(core, o.Stripe)}
}

// Creditor creates a creditor (EUR, the policy given or the default one)
// and returns it with its API key.
func (k *Kit) Creditor(name string, pol *plans.Policy) (portal.Creditor, string) {
	k.T.Helper()
	cr, key, err := k.Core.CreateCreditor(context.Background(), portal.NewCreditor{Name: name, Currency: "EUR", Policy: pol})
	if err != nil {
		k.T.Fatal(err)
	}
	return cr, key
}

// Debtor is the kit's default debtor, a consumer in Paris who reads French.
var Debtor = portal.NewDebtor{Name: "Camille Martin", Email: "camille@example.org", Phone: "+33612345678", Postcode: "75011", Language: "fr", Kind: "consumer"}

// Case creates a case owing cents on one invoice line for the default debtor.
func (k *Kit) Case(cr portal.Creditor, ref string, cents int64) portal.Case {
	k.T.Helper()
	return k.NewCase(cr, portal.NewCase{Reference: ref, Currency: "EUR", Debtor: Debtor,
		Invoices: []portal.NewInvoice{{Number: "F-" + ref, IssuedOn: "2026-01-01", DueOn: "2026-02-01",
			Lines: []portal.NewLine{{Label: "Travaux", AmountCents: cents, Kind: portal.LinePrincipal}}}}}).Case
}

// NewCase creates a case as the creditor's API would.
func (k *Kit) NewCase(cr portal.Creditor, nc portal.NewCase) portal.CaseDetail {
	k.T.Helper()
	d, err := k.Core.CreateCase(context.Background(), cr, nc, portal.CreditorActor(cr.ID))
	if err != nil {
		k.T.Fatal(err)
	}
	return d
}

// UserPassword is the password of the kit's users.
const UserPassword = "correct horse battery"

// User creates a back-office login; creditorID limits an admin to one creditor.
func (k *Kit) User(email, role string, creditorID *int64) portal.User {
	k.T.Helper()
	u, err := k.Core.CreateUser(context.Background(), portal.NewUser{Email: email, Password: UserPassword, Role: role, CreditorID: creditorID})
	if err != nil {
		k.T.Fatal(err)
	}
	return u
}

// SignInDebtor sends a fresh link for the case and answers its identity
// question, as a debtor would; it returns the session cookie's value.
func (k *Kit) SignInDebtor(c portal.Case) string {
	k.T.Helper()
	ctx := context.Background()
	l, err := k.Core.CreateLink(ctx, c.ID, "copy", 24*time.Hour, portal.SystemActor)
	if err != nil {
		k.T.Fatal(err)
	}
	login, _, err := k.Core.VerifyIdentity(ctx, l.Token, c.DebtorPostcode)
	if err != nil {
		k.T.Fatal(err)
	}
	return login.Cookie
}

// SignInUser logs a kit user in; it returns the session cookie's value.
func (k *Kit) SignInUser(u portal.User) string {
	k.T.Helper()
	login, err := k.Core.Login(context.Background(), u.Email, UserPassword)
	if err != nil {
		k.T.Fatal(err)
	}
	return login.Cookie
}
