package browsertest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// run runs one action with ActionTimeout, failing the test on error.
func run[T any](t testing.TB, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, ActionTimeout)
	defer cancel()
	began := time.Now()
	v, err := chromedp.Run(actx, a)
	if os.Getenv("BROWSERTEST_TRACE") != "" {
		t.Logf("browsertest: %s took %s", what, time.Since(began).Round(time.Millisecond))
	}
	if err != nil {
		t.Fatalf("browsertest: %s: %v", what, err)
	}
	return v
}

// Open navigates to url, waits for the load and returns the document's
// response (its Status, MimeType, Headers).
func Open(t testing.TB, ctx context.Context, url string) *network.Response {
	t.Helper()
	return run(t, ctx, "open "+url, chromedp.NavigateResponse(url))
}

// Click clicks the first element matching the CSS selector (a real mouse
// click, which submits forms with or without JavaScript), waits for the
// page it leads to and returns its response. For a click that loads no
// page, use ClickInPlace.
func Click(t testing.TB, ctx context.Context, css string) *network.Response {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, ActionTimeout)
	defer cancel()
	began := time.Now()
	res, err := chromedp.RunResponse(actx, chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
	if os.Getenv("BROWSERTEST_TRACE") != "" {
		t.Logf("browsertest: click %s took %s", css, time.Since(began).Round(time.Millisecond))
	}
	if err != nil {
		t.Fatalf("browsertest: click %s: %v", css, err)
	}
	return res
}

// ClickInPlace clicks the first element matching the CSS selector when
// the click changes the page without loading another (a radio button, a
// checkbox, a disclosure).
func ClickInPlace(t testing.TB, ctx context.Context, css string) {
	t.Helper()
	run(t, ctx, "click "+css, chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
}

// Type empties the field matching the CSS selector and types value into it
// with key events.
func Type(t testing.TB, ctx context.Context, css, value string) {
	t.Helper()
	nodes := run(t, ctx, "find "+css, chromedp.Nodes(chromedp.CSS(css)))
	steps := []chromedp.Action[chromedp.Void]{chromedp.SendKeys(chromedp.CSS(css), value)}
	if len(nodes) == 0 || nodes[0].NodeName != "TEXTAREA" || nodes[0].ChildNodeCount > 0 {
		// Clear fails on an empty textarea (it has no text node).
		steps = append([]chromedp.Action[chromedp.Void]{chromedp.Clear(chromedp.CSS(css))}, steps...)
	}
	run(t, ctx, "type into "+css, chromedp.Steps(steps...))
}

// Value is the current value of the field matching the CSS selector.
func Value(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	return run(t, ctx, "value of "+css, chromedp.Value(chromedp.CSS(css)))
}

// Text is the visible text of the first element matching the CSS selector.
func Text(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	return run(t, ctx, "text of "+css, chromedp.Text(chromedp.CSS(css), chromedp.NodeVisible))
}

// Count is how many elements match the CSS selector now.
func Count(t testing.TB, ctx context.Context, css string) int {
	t.Helper()
	return Eval[int](t, ctx, "document.querySelectorAll("+jsString(css)+").length")
}

// Location is the address in the address bar.
func Location(t testing.TB, ctx context.Context) string {
	t.Helper()
	return run(t, ctx, "location", chromedp.Location())
}

// Eval evaluates a JavaScript expression through the DevTools protocol and
// decodes its value. It works with page scripts disabled too, as long as
// the expression needs no timer.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	return run(t, ctx, "evaluate", chromedp.Evaluate[T](expr))
}

// Cookies are the browser's cookies for baseURL, HttpOnly ones included.
func Cookies(t testing.TB, ctx context.Context, baseURL string) []*http.Cookie {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, ActionTimeout)
	defer cancel()
	res, err := chromedp.Call(actx, network.GetCookies, network.GetCookiesParams{URLs: []string{baseURL}})
	if err != nil {
		t.Fatalf("browsertest: cookies: %v", err)
	}
	var out []*http.Cookie
	for _, c := range res.Cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value, Path: c.Path, HttpOnly: c.HTTPOnly, Secure: c.Secure})
	}
	return out
}

// HTTPClient is a Go client holding the tab's cookies for baseURL, for
// requests the headless browser cannot show (a PDF); it does not follow
// redirects.
func HTTPClient(t testing.TB, ctx context.Context, baseURL string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	jar.SetCookies(u, Cookies(t, ctx, baseURL))
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
