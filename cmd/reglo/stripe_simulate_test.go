package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/reglo/reglo/payments/stripemock"
)

// The acceptance run: the demo against stripe-mock with a webhook
// secret; a debtor starts paying, a signed checkout.session.completed is
// posted, and the debtor's page and receipt say the case is paid.
func TestDemoAgainstStripeMockMarksACasePaid(t *testing.T) {
	env := testEnv(t)
	env["ADDR"] = "127.0.0.1:0"
	env["STRIPE_SECRET_KEY"] = stripemock.TestKey
	env["STRIPE_API_BASE"] = stripemock.Start(t)
	env["STRIPE_WEBHOOK_SECRET"] = "whsec_demo_test"
	s := startServer(t, env, "demo")
	base := "http://" + s.addr
	m := regexp.MustCompile(`EC-0412 [^\n]*postcode: (\S+)\n\s+(http://\S+)`).FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no link for EC-0412 in:\n%s", s.stdout)
	}
	postcode, link := m[1], m[2]

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := client.Get(strings.Replace(path, "BASE", base, 1))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	post := func(path, page string, form url.Values) *http.Response {
		t.Helper()
		form.Set("_csrf", csrf.FindStringSubmatch(page)[1])
		resp, err := client.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	_, landing := get(link)
	if r := post(strings.TrimPrefix(link, base), landing, url.Values{"answer": {postcode}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("identity answer: %d", r.StatusCode)
	}
	_, casePage := get("BASE/case")
	r := post("/case/pay", casePage, url.Values{"choice": {"full"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") == "" {
		t.Fatalf("pay: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}

	env["BASE_URL"] = base
	res := reglo(t, env, "", "stripe", "simulate-payment", "--reference", "EC-0412")
	if res.code != exitOK {
		t.Fatalf("simulate-payment exited %d: %s", res.code, res.stderr)
	}
	_, casePage = get("BASE/case")
	for _, want := range []string{"reçu", "0,00\u00a0€"} {
		if !strings.Contains(casePage, want) {
			t.Errorf("case page after payment lacks %q", want)
		}
	}
	receipt := regexp.MustCompile(`href="(/case/receipts/\d+)"`).FindStringSubmatch(casePage)
	if receipt == nil {
		t.Fatal("no receipt link on the case page")
	}
	code, page := get("BASE" + receipt[1])
	if code != http.StatusOK || !strings.Contains(page, "EC-0412") || !strings.Contains(page, "Paiement du montant total") {
		t.Fatalf("receipt: %d", code)
	}
	if s.stop() != exitOK {
		t.Fatalf("demo failed; stderr:\n%s", s.stderr)
	}
}
