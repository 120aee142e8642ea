package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func TestProbe(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><html lang=en><title>x</title><p id=p>hi</p><form method=post action=/x><input id=i name=i><button id=b>Go</button></form><script>document.getElementById('p').textContent='js ran'</script>`))
	}))
	defer ts.Close()
	start := time.Now()
	actx, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath("/usr/bin/chromium"), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true))
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	t.Log("started", time.Since(start))
	tab, c3 := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer c3()
	if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(ts.URL)); err != nil {
		t.Fatal(err)
	}
	txt, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("#p")))
	t.Log("text", txt, err)
	v, err := chromedp.Run(tab, chromedp.Evaluate[int](`window.__x = 40; window.__x + 2`))
	t.Log("eval", v, err)
	v2, err := chromedp.Run(tab, chromedp.Evaluate[int](`new Promise(r => setTimeout(() => r(7), 10))`, chromedp.EvalAwaitPromise))
	t.Log("eval promise", v2, err)
	err = chromedp.Do(tab, chromedp.SetValue(chromedp.CSS("#i"), "abc"))
	t.Log("setvalue", err)
	resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("#b")))
	t.Log("click", resp != nil, err)
	if resp != nil { t.Log(resp.URL, resp.Status) }
	t.Log("total", time.Since(start))
}
