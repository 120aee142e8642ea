package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/web"
	bt "github.com/reglo/reglo/portal/web/browsertest"
)

// The browser tests walk the pages in a real headless Chromium at 390x844
// (see package browsertest), in French and English, with JavaScript on and
// off, and run axe-core on every page state.

// browserLanguages and browserScripts are the variants every debtor page
// is seen in.
var (
	browserLanguages = []string{"fr", "en"}
	browserScripts   = []bool{true, false}
)

// browserVariants runs fn once per language and JavaScript setting.
func browserVariants(t *testing.T, fn func(t *testing.T, lang string, js bool)) {
	for _, lang := range browserLanguages {
		for _, js := range browserScripts {
			name := lang + "/js-on"
			if !js {
				name = lang + "/js-off"
			}
			t.Run(name, func(t *testing.T) { fn(t, lang, js) })
		}
	}
}

// browserPairs runs fn in French with JavaScript and in English without:
// each language and each setting once, for pages whose look does not
// depend on the pair (no script of their own), to keep the run short.
func browserPairs(t *testing.T, fn func(t *testing.T, lang string, js bool)) {
	t.Run("fr/js-on", func(t *testing.T) { fn(t, "fr", true) })
	t.Run("en/js-off", func(t *testing.T) { fn(t, "en", false) })
}

// browserDebtor is a debtor fixture served on a loopback port.
type browserDebtor struct {
	*debtorFixture
	base string
}

func newBrowserDebtor(t *testing.T, store *portal.Store, opts fixtureOptions) *browserDebtor {
	t.Helper()
	var f *debtorFixture
	base := bt.Serve(t, func(base string) *web.Server {
		opts.baseURL = base
		f = newDebtorFixture(t, store, opts)
		return f.srv
	})
	return &browserDebtor{debtorFixture: f, base: base}
}

// browserStore is the store of a browser test: the browser sees the same
// pages on either database, so these tests run on SQLite only, except the
// debtor journey in French with JavaScript, which runs on every dialect
// storetest.Each gives.
func browserStore(t *testing.T) *portal.Store { return storetest.Open(t, "sqlite") }

// browserStores runs fn on every dialect when all is set, else on SQLite.
func browserStores(t *testing.T, all bool, fn func(t *testing.T, store *portal.Store)) {
	if all {
		storetest.Each(t, fn)
		return
	}
	fn(t, browserStore(t))
}

// signIn answers the identity question in the tab and lands on /case.
func (f *browserDebtor) signIn(t *testing.T, tab context.Context, token string) {
	t.Helper()
	bt.Open(t, tab, f.base+"/l/"+token)
	bt.Type(t, tab, "#answer", debtorPostcode)
	res := bt.Click(t, tab, "main form button[type=submit]")
	browserWantStatus(t, "sign in", res, http.StatusOK)
	if loc := bt.Location(t, tab); loc != f.base+"/case" {
		t.Fatalf("after sign in at %s", loc)
	}
}

func pageLangIs(t *testing.T, tab context.Context, lang string) {
	t.Helper()
	if got := bt.Eval[string](t, tab, "document.documentElement.lang"); got != lang {
		t.Errorf("page language %q, want %q", got, lang)
	}
}

func bodyText(t *testing.T, tab context.Context) string {
	t.Helper()
	return bt.Eval[string](t, tab, "document.body.innerText")
}

func TestBrowserDebtorJourney(t *testing.T) {
	browserVariants(t, func(t *testing.T, lang string, js bool) {
		browserStores(t, lang == "fr" && js, func(t *testing.T, store *portal.Store) {
			began := time.Now()
			f := newBrowserDebtor(t, store, fixtureOptions{language: lang})
			balance := map[string]string{"fr": debtorBalanceFR, "en": debtorBalanceEN}[lang]
			tab := bt.NewTab(t, bt.WithJavaScript(js))

			// The link: the creditor and the question, no amount.
			res := bt.Open(t, tab, f.base+"/l/"+f.token)
			if res.Status != http.StatusOK {
				t.Fatalf("link page: %d", res.Status)
			}
			pageLangIs(t, tab, lang)
			if text := bodyText(t, tab); !strings.Contains(text, debtorCreditor) || strings.Contains(text, balance) || strings.Contains(text, debtorName) {
				t.Errorf("link page shows the wrong things before the answer:\n%s", text)
			}
			bt.CheckAxe(t, tab)
			bt.CheckTapTargets(t, tab, 24)
			bt.Screenshot(t, tab, "1-link")

			// A wrong answer: the message, the answer kept, the token still here.
			bt.Type(t, tab, "#answer", "69001")
			res = bt.Click(t, tab, "main form button[type=submit]")
			browserWantStatus(t, "wrong answer", res, http.StatusUnprocessableEntity)
			if msg := bt.Text(t, tab, "#answer-problem"); msg == "" {
				t.Error("no visible message after a wrong answer")
			}
			if v := bt.Value(t, tab, "#answer"); v != "69001" {
				t.Errorf("answer kept as %q", v)
			}
			if bt.Eval[string](t, tab, "document.getElementById('answer').getAttribute('aria-invalid')") != "true" {
				t.Error("the field is not marked invalid")
			}
			bt.CheckAxe(t, tab)
			bt.Screenshot(t, tab, "2-wrong-answer")

			// The right answer, typed as people do: the case page, no token in the URL.
			bt.Type(t, tab, "#answer", "75 011")
			res = bt.Click(t, tab, "main form button[type=submit]")
			browserWantStatus(t, "right answer", res, http.StatusOK)
			loc := bt.Location(t, tab)
			if loc != f.base+"/case" || strings.Contains(loc, f.token) {
				t.Fatalf("after the answer the address is %s", loc)
			}
			pageLangIs(t, tab, lang)
			text := bodyText(t, tab)
			for _, want := range []string{balance, debtorReference, debtorPDFTitle, "Atelier Dupont SARL"} {
				if !strings.Contains(text, want) {
					t.Errorf("case page lacks %q", want)
				}
			}
			// Stripe is not configured here: the page says how else to pay.
			if bt.Count(t, tab, "#other-ways") != 1 || bt.Count(t, tab, `form[action="/case/pay"]`) != 0 {
				t.Error("without card payment the case page should show the other ways to pay and no pay button")
			}
			if n := bt.Count(t, tab, "ul.choices > li"); n != 4 {
				t.Errorf("%d choices, want 4", n)
			}
			bt.CheckAxe(t, tab)
			bt.CheckTapTargets(t, tab, 24)
			bt.CheckNoHorizontalScroll(t, tab, 320)
			bt.Screenshot(t, tab, "3-case")

			// A document, fetched with the browser's session.
			href := bt.Eval[string](t, tab, `document.querySelector('a[href^="/case/documents/"]').getAttribute('href')`)
			if href != fmt.Sprintf("/case/documents/%d", f.docID) {
				t.Fatalf("document link %q", href)
			}
			browserWantPDF(t, bt.HTTPClient(t, tab, f.base), f.base+href)
			// Without the session cookie, no document.
			r, err := http.Get(f.base + href)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			if r.StatusCode != http.StatusUnauthorized {
				t.Errorf("document without a session: %d", r.StatusCode)
			}
			t.Logf("journey %s js=%v: %s", lang, js, time.Since(began).Round(time.Millisecond))
		})
	})
}

// browserWantStatus stops the test unless the page loaded with one of the
// statuses.
func browserWantStatus(t *testing.T, what string, res *network.Response, statuses ...int64) {
	t.Helper()
	if res == nil {
		t.Fatalf("%s: no page loaded", what)
	}
	if !slices.Contains(statuses, res.Status) {
		t.Fatalf("%s: %s answered %d, want %v", what, res.URL, res.Status, statuses)
	}
}

// browserWantPDF fetches a document as the browser would and checks it
// is served as a PDF.
func browserWantPDF(t *testing.T, client *http.Client, url string) {
	t.Helper()
	r, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(body), "%PDF-") {
		t.Fatalf("document %s: %d %s %q", url, r.StatusCode, r.Header.Get("Content-Type"), body[:min(len(body), 20)])
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("document without nosniff")
	}
}

func TestBrowserDebtorErrorPages(t *testing.T) {
	browserPairs(t, func(t *testing.T, lang string, js bool) {
		f := newBrowserDebtor(t, browserStore(t), fixtureOptions{language: lang})
		expiring := f.newLink(f.caseID, time.Hour)
		tab := bt.NewTab(t, bt.WithJavaScript(js))

		// No session: 401, and the way to get a new link.
		res := bt.Open(t, tab, f.base+"/case?lang="+lang)
		if res.Status != http.StatusUnauthorized {
			t.Fatalf("case without session: %d", res.Status)
		}
		pageLangIs(t, tab, lang)
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "401-no-session")

		// An expired link: the same calm page as an unknown one.
		f.Clock.Add(2 * time.Hour)
		res = bt.Open(t, tab, f.base+"/l/"+expiring)
		if res.Status != http.StatusNotFound {
			t.Fatalf("expired link: %d", res.Status)
		}
		pageLangIs(t, tab, lang)
		if text := bodyText(t, tab); strings.Contains(text, debtorName) {
			t.Errorf("expired link page shows the debtor:\n%s", text)
		}
		bt.CheckAxe(t, tab)
		bt.CheckNoHorizontalScroll(t, tab, 320)
		bt.Screenshot(t, tab, "expired-link")

		// A locked link, after five wrong answers.
		locked := f.newLink(f.caseID, 0)
		bt.Open(t, tab, f.base+"/l/"+locked)
		for range portal.MaxIdentityFailures {
			bt.Type(t, tab, "#answer", "00000")
			res = bt.Click(t, tab, "main form button[type=submit]")
		}
		browserWantStatus(t, "locked link", res, http.StatusLocked)
		pageLangIs(t, tab, lang)
		bt.CheckAxe(t, tab)
		bt.Screenshot(t, tab, "locked-link")
	})
}

func TestBrowserPayPages(t *testing.T) {
	browserPairs(t, func(t *testing.T, lang string, js bool) {
		proxy := stripemock.NewProxy(t, stripemock.Start(t))
		proxy.Rewrite("POST", "/v1/checkout/sessions", func(o map[string]any) {
			o["id"] = "cs_test_browser"
			o["url"] = "https://checkout.stripe.com/c/pay/cs_test_browser"
		})
		f := newBrowserDebtor(t, browserStore(t), fixtureOptions{language: lang,
			stripe: payments.New(payments.Config{SecretKey: stripemock.TestKey, APIBase: proxy.URL, WebhookSecret: webhookSecret})})
		pay := &payFixture{debtorFixture: f.debtorFixture, proxy: proxy}
		tab := bt.NewTab(t, bt.WithJavaScript(js))
		f.signIn(t, tab, f.token)

		// Card payment configured: the pay button is a form.
		if bt.Count(t, tab, `form[action="/case/pay"] button[type=submit]`) == 0 {
			t.Fatal("no pay button with card payment configured")
		}
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "1-case-card")

		// The button's POST, sent with the tab's cookies and CSRF field: the
		// browser would then leave for Stripe, which the test does not.
		csrf := bt.Eval[string](t, tab, `document.querySelector('form[action="/case/pay"] input[name=_csrf]').value`)
		client := bt.HTTPClient(t, tab, f.base)
		r, err := client.PostForm(f.base+"/case/pay", url.Values{"_csrf": {csrf}, "choice": {"full"}})
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "https://checkout.stripe.com/") {
			t.Fatalf("pay: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}

		// Back from Stripe before the webhook: waiting for confirmation.
		res := bt.Open(t, tab, f.base+"/case/paid?session_id=cs_test_browser")
		if res.Status != http.StatusOK {
			t.Fatalf("return page: %d", res.Status)
		}
		pageLangIs(t, tab, lang)
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "2-paid-pending")

		if st := pay.completed("cs_test_browser", "pi_browser", 124950); st != http.StatusOK {
			t.Fatalf("webhook: %d", st)
		}
		bt.Open(t, tab, f.base+"/case/paid?session_id=cs_test_browser")
		if bt.Count(t, tab, `a[href^="/case/receipts/"]`) == 0 {
			t.Fatalf("no receipt link once paid:\n%s", bodyText(t, tab))
		}
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "3-paid-confirmed")

		receipt := bt.Eval[string](t, tab, `document.querySelector('a[href^="/case/receipts/"]').getAttribute('href')`)
		res = bt.Click(t, tab, `a[href^="/case/receipts/"]`)
		browserWantStatus(t, "receipt", res, http.StatusOK)
		pageLangIs(t, tab, lang)
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.CheckNoHorizontalScroll(t, tab, 320)
		bt.Screenshot(t, tab, "4-receipt")
		browserWantPDF(t, bt.HTTPClient(t, tab, f.base), f.base+strings.TrimSuffix(receipt, "/")+"/pdf")

		// The case page once paid.
		bt.Open(t, tab, f.base+"/case")
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "5-case-paid")
	})
}

func TestBrowserChoicePages(t *testing.T) {
	pages := []struct{ name, path string }{
		{"promise", "/case/promise"},
		{"contest", "/case/contest"},
		{"cannot-pay", "/case/cannot-pay"},
	}
	browserVariants(t, func(t *testing.T, lang string, js bool) {
		f := newBrowserDebtor(t, browserStore(t), fixtureOptions{language: lang})
		tab := bt.NewTab(t, bt.WithJavaScript(js))
		f.signIn(t, tab, f.token)
		for _, p := range pages {
			t.Run(p.name, func(t *testing.T) {
				res := bt.Open(t, tab, f.base+p.path)
				if res.Status != http.StatusOK {
					t.Fatalf("%s: %d", p.path, res.Status)
				}
				pageLangIs(t, tab, lang)
				form := fmt.Sprintf(`form[action=%q]`, p.path)
				if bt.Count(t, tab, form) != 1 {
					t.Fatalf("%s has no form posting to itself", p.path)
				}
				bt.CheckAxe(t, tab)
				bt.CheckTapTargets(t, tab, 24)
				bt.CheckNoHorizontalScroll(t, tab, 320)
				bt.Screenshot(t, tab, p.name+"-1-form")

				// Sent empty: 422, the error summary on top, linking to fields.
				res = bt.Click(t, tab, form+" button[type=submit]")
				browserWantStatus(t, p.path+" sent empty", res, http.StatusUnprocessableEntity)
				if bt.Count(t, tab, ".error-summary") != 1 || bt.Count(t, tab, `.error-summary a[href^="#"]`) == 0 {
					t.Errorf("%s sent empty: no error summary with links to the fields", p.path)
				}
				for _, href := range bt.Eval[[]string](t, tab, `[...document.querySelectorAll('.error-summary a[href^="#"]')].map(a => a.getAttribute('href'))`) {
					if bt.Count(t, tab, href) != 1 {
						t.Errorf("%s: the error summary links to %s, which is not on the page", p.path, href)
					}
				}
				bt.CheckAxe(t, tab)
				bt.CheckTapTargets(t, tab, 24)
				bt.Screenshot(t, tab, p.name+"-2-errors")
			})
		}
	})
}

func TestBrowserAgentJourney(t *testing.T) {
	browserPairs(t, func(t *testing.T, lang string, js bool) {
		f := newBrowserDebtor(t, browserStore(t), fixtureOptions{language: lang})
		const email, password = "agent@atelier-dupont.example", "correct horse battery staple"
		if _, err := f.Core.CreateUser(context.Background(), portal.NewUser{Email: email, Password: password, Role: portal.RoleAgent}); err != nil {
			t.Fatal(err)
		}
		// Stripe reported a refund of a charge Reglo never recorded.
		held := portal.UnmatchedMoney{MoneyKey: "return:re_browser", CaseID: &f.caseID, Reason: portal.UnmatchedUnknownPayment,
			AmountCents: 4200, Currency: "EUR", PaymentIntentID: "pi_3Pq8xYZ2eZvKYlo2C0fFfQnL", ChargeID: "ch_3Pq8xYZ2eZvKYlo2C1aBcDeF"}
		if err := f.Store.DB.Create(&held).Error; err != nil {
			t.Fatal(err)
		}
		tab := bt.NewTab(t, bt.WithJavaScript(js))

		res := bt.Open(t, tab, f.base+"/admin/login?lang="+lang)
		if res.Status != http.StatusOK {
			t.Fatalf("login page: %d", res.Status)
		}
		pageLangIs(t, tab, lang)
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "1-login")

		bt.Type(t, tab, "#email", email)
		bt.Type(t, tab, "#password", password)
		res = bt.Click(t, tab, `form[action="/admin/login"] button[type=submit]`)
		browserWantStatus(t, "login", res, http.StatusOK)
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "2-search")

		bt.Type(t, tab, "#q", "martin")
		res = bt.Click(t, tab, `form[action="/admin"] button[type=submit]`)
		browserWantStatus(t, "search", res, http.StatusOK)
		if !strings.Contains(bodyText(t, tab), debtorReference) {
			t.Fatalf("search for martin does not find %s", debtorReference)
		}
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "3-results")

		res = bt.Click(t, tab, fmt.Sprintf(`a[href="/admin/cases/%d"]`, f.caseID))
		browserWantStatus(t, "case", res, http.StatusOK)
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "4-case")

		// Send a link by copy: shown once.
		bt.ClickInPlace(t, tab, "#channel-copy")
		res = bt.Click(t, tab, fmt.Sprintf(`form[action="/admin/cases/%d/links"] button[type=submit]`, f.caseID))
		browserWantStatus(t, "send link", res, http.StatusCreated, http.StatusOK)
		if u := bt.Value(t, tab, "#link-url"); !strings.HasPrefix(u, f.base+"/l/") {
			t.Errorf("the new link is shown as %q", u)
		}
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "5-link-shown")

		// Resolve the unmatched money: a note is required, then it is kept.
		res = bt.Open(t, tab, fmt.Sprintf("%s/admin/cases/%d", f.base, f.caseID))
		browserWantStatus(t, "case again", res, http.StatusOK)
		resolve := fmt.Sprintf(`form[action="/admin/unmatched/%d/resolve"] button[type=submit]`, held.ID)
		res = bt.Click(t, tab, resolve)
		browserWantStatus(t, "resolve without a note", res, http.StatusUnprocessableEntity)
		bt.CheckAxe(t, tab)
		bt.CheckTapTargets(t, tab, 24)
		bt.Screenshot(t, tab, "6-unmatched-error")
		bt.Type(t, tab, fmt.Sprintf("#note-%d", held.ID), "Refunded by the creditor")
		res = bt.Click(t, tab, resolve)
		browserWantStatus(t, "resolve", res, http.StatusOK)
		if text := bodyText(t, tab); !strings.Contains(text, "Refunded by the creditor") {
			t.Errorf("the resolved money does not show its note: %s", text)
		}
		bt.CheckAxe(t, tab)
		bt.Screenshot(t, tab, "7-unmatched-resolved")
	})
}
