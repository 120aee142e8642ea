package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/testkit"
	"github.com/reglo/reglo/portal/web"
	"github.com/reglo/reglo/views"
)

// Shared fixtures of the debtor page tests: a service on a fresh database
// with a movable clock, one creditor, a case with a link and a document,
// and a second case whose document must stay out of reach.

const (
	debtorTestSecret  = "debtor-pages-test-secret-0123456789"
	debtorPostcode    = "75011"
	debtorBalanceFR   = "1\u202f249,50\u00a0€"
	debtorBalanceEN   = "€1,249.50"
	debtorCreditor    = "Atelier Dupont"
	debtorReference   = "DUP-2026-0042"
	debtorName        = "Camille Martin"
	debtorPDFTitle    = "Facture F-2026-001"
	otherCasePDFTitle = "Contrat d'un autre dossier"
)

// debtorPDF is a tiny document whose bytes say PDF.
var debtorPDF = []byte("%PDF-1.4\n% Reglo test document\n%%EOF\n")

type debtorFixture struct {
	*testkit.Kit
	t        *testing.T
	srv      *web.Server
	creditor portal.Creditor
	caseID   int64
	token    string
	docID    int64
	// otherCaseID and otherDocID belong to another debtor of the same creditor.
	otherCaseID int64
	otherDocID  int64
}

type fixtureOptions struct {
	baseURL  string
	language string
	kind     string
	// cardPayment configures a Stripe key (no call reaches Stripe here).
	cardPayment bool
	// stripe, when set, is the payments client (stripe-mock behind a proxy).
	stripe *payments.Client
}

// newDebtorService builds the core and the areas as cmd/reglo does, with a
// test clock.
func newDebtorService(t *testing.T, store *portal.Store, baseURL string, clock *testkit.Clock, stripe *payments.Client) *testkit.Kit {
	t.Helper()
	return testkit.New(t, store, testkit.Options{Messages: messages, Clock: clock, BaseURL: baseURL, Log: debtorLog(), Stripe: stripe})
}

// debtorLog keeps request logs out of test output.
func debtorLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newDebtorApp(k *testkit.Kit, baseURL string) *web.Server {
	return web.New(web.Config{Services: k.Services, BaseURL: baseURL, Log: debtorLog()})
}

func newDebtorFixture(t *testing.T, store *portal.Store, opts ...fixtureOptions) *debtorFixture {
	t.Helper()
	o := fixtureOptions{baseURL: "http://localhost:8080", language: "fr", kind: "consumer"}
	if len(opts) > 0 {
		if opts[0].baseURL != "" {
			o.baseURL = opts[0].baseURL
		}
		if opts[0].language != "" {
			o.language = opts[0].language
		}
		if opts[0].kind != "" {
			o.kind = opts[0].kind
		}
		o.cardPayment = opts[0].cardPayment
		o.stripe = opts[0].stripe
	}
	ctx := context.Background()
	// The clock starts at the real time: cookie expiry is judged by it.
	clock := testkit.NewClock(time.Now().UTC().Truncate(time.Second))
	stripe := o.stripe
	if o.cardPayment && stripe == nil {
		stripe = payments.New(payments.Config{SecretKey: "sk_test_reglo_pages", APIBase: "http://127.0.0.1:9"})
	}
	k := newDebtorService(t, store, o.baseURL, clock, stripe)
	f := &debtorFixture{t: t, Kit: k, srv: newDebtorApp(k, o.baseURL)}
	cr, _, err := k.Core.CreateCreditor(ctx, portal.NewCreditor{
		Name: debtorCreditor, LegalName: "Atelier Dupont SARL", LegalID: "SIREN 123 456 789",
		Address: "12 rue de la Paix\n75002 Paris", ContactEmail: "bonjour@atelier-dupont.example",
		ContactPhone: "+33 1 23 45 67 89", ContactHours: "Du lundi au vendredi, de 9 h à 17 h",
		OtherPayment: "Virement bancaire : IBAN FR76 3000 6000 0112 3456 7890 189",
	})
	if err != nil {
		t.Fatal(err)
	}
	f.creditor = cr
	d, err := k.Core.CreateCase(ctx, cr, portal.NewCase{
		Reference: debtorReference,
		Debtor: portal.NewDebtor{Name: debtorName, Email: "camille@example.org", Phone: "+33 6 12 34 56 78",
			Postcode: debtorPostcode, Language: o.language, Kind: o.kind},
		Currency: "EUR",
		Invoices: []portal.NewInvoice{{
			Number: "F-2026-001", IssuedOn: "2026-04-04", DueOn: "2026-06-04", Description: "Réparation de la toiture",
			Lines: []portal.NewLine{
				{Label: "Réparation de la toiture", AmountCents: 123450, Kind: portal.LinePrincipal},
				{Label: "Intérêts de retard", AmountCents: 1000, Kind: portal.LineInterest},
				{Label: "Frais de livraison", AmountCents: 500, Kind: portal.LinePrincipal},
			},
		}},
	}, portal.CreditorActor(cr.ID))
	if err != nil {
		t.Fatal(err)
	}
	f.caseID = d.Case.ID
	doc, err := k.Core.AddDocument(ctx, f.caseID, portal.NewDocument{Title: debtorPDFTitle, Data: debtorPDF}, portal.CreditorActor(cr.ID))
	if err != nil {
		t.Fatal(err)
	}
	f.docID = doc.ID
	f.token = f.newLink(f.caseID, 0)

	other, err := k.Core.CreateCase(ctx, cr, portal.NewCase{
		Reference: "DUP-2026-0099",
		Debtor:    portal.NewDebtor{Name: "Alex Other", Postcode: "69001"},
		Invoices: []portal.NewInvoice{{Number: "F-9", IssuedOn: "2026-01-01", DueOn: "2026-02-01",
			Lines: []portal.NewLine{{Label: "Autre", AmountCents: 9900, Kind: portal.LinePrincipal}}}},
	}, portal.CreditorActor(cr.ID))
	if err != nil {
		t.Fatal(err)
	}
	f.otherCaseID = other.Case.ID
	odoc, err := k.Core.AddDocument(ctx, f.otherCaseID, portal.NewDocument{Title: otherCasePDFTitle, Data: debtorPDF}, portal.CreditorActor(cr.ID))
	if err != nil {
		t.Fatal(err)
	}
	f.otherDocID = odoc.ID
	return f
}

// newLink creates a link to a case and returns its token.
func (f *debtorFixture) newLink(caseID int64, ttl time.Duration) string {
	f.t.Helper()
	l, err := f.Core.CreateLink(context.Background(), caseID, "sms", ttl, portal.CreditorActor(f.creditor.ID))
	if err != nil {
		f.t.Fatal(err)
	}
	return l.Token
}

// setStatus moves a case to a status directly, as later issues' services will.
func (f *debtorFixture) setStatus(status portal.Status) {
	f.t.Helper()
	if err := f.Store.DB.Model(&portal.Case{}).Where("id = ?", f.caseID).Update("status", status).Error; err != nil {
		f.t.Fatal(err)
	}
}

func (f *debtorFixture) timelineKinds(caseID int64) []string {
	f.t.Helper()
	evs, err := f.Core.Timeline(context.Background(), caseID)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, string(e.Kind))
	}
	return out
}

// debtorBrowser is one visitor: it keeps cookies between requests as
// a browser does, and remembers the last CSRF field it was given. Several
// goroutines may use one browser at once (two tabs); tests set cookies and
// headers directly only while no request is running.
type debtorBrowser struct {
	t       *testing.T
	app     *fiber.App
	mu      sync.Mutex
	cookies map[string]*http.Cookie
	headers map[string]string
	csrf    string
}

func (f *debtorFixture) visitor() *debtorBrowser { return newDebtorBrowser(f.t, f.srv.App) }

func newDebtorBrowser(t *testing.T, app *fiber.App) *debtorBrowser {
	return &debtorBrowser{t: t, app: app, cookies: map[string]*http.Cookie{}, headers: map[string]string{}}
}

// debtorResponse is an answer read in full.
type debtorResponse struct {
	status  int
	header  http.Header
	body    string
	cookies map[string]*http.Cookie
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

func (b *debtorBrowser) do(req *http.Request) debtorResponse {
	b.t.Helper()
	b.mu.Lock()
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	for k, v := range b.headers {
		req.Header.Set(k, v)
	}
	b.mu.Unlock()
	res, err := b.app.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	r := debtorResponse{status: res.StatusCode, header: res.Header, body: string(body), cookies: map[string]*http.Cookie{}}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range res.Cookies() {
		r.cookies[c.Name] = c
		if c.Value == "" || c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now().Add(-time.Minute))) {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	if m := csrfField.FindStringSubmatch(r.body); m != nil {
		b.csrf = m[1]
	}
	return r
}

func (b *debtorBrowser) get(path string) debtorResponse {
	b.t.Helper()
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a form with the CSRF field of the last page seen.
func (b *debtorBrowser) post(path string, form url.Values) debtorResponse {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		b.mu.Lock()
		form.Set("_csrf", b.csrf)
		b.mu.Unlock()
	}
	return b.postRaw(path, form)
}

// postRaw sends a form exactly as given.
func (b *debtorBrowser) postRaw(path string, form url.Values) debtorResponse {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn walks the link and answers the postcode; the browser then holds
// the session cookie.
func (b *debtorBrowser) signIn(token string) {
	b.t.Helper()
	if r := b.get("/l/" + token); r.status != http.StatusOK {
		b.t.Fatalf("landing: status %d", r.status)
	}
	r := b.post("/l/"+token, url.Values{"answer": {debtorPostcode}})
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("sign in: status %d, body %s", r.status, r.body)
	}
}

func pageHas(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	text := html.UnescapeString(body)
	for _, w := range wants {
		if !strings.Contains(body, w) && !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func pageLacks(t *testing.T, what, body string, bads ...string) {
	t.Helper()
	text := html.UnescapeString(body)
	for _, b := range bads {
		if strings.Contains(body, b) || strings.Contains(text, b) {
			t.Errorf("%s must not contain %q", what, b)
		}
	}
}

func wantPageStatus(t *testing.T, what string, r debtorResponse, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d; body:\n%s", what, r.status, status, r.body)
	}
}

// messages are the catalogues' emails and SMS, for every kit of these tests.
var messages = views.MustMessages()
