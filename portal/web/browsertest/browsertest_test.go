package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m, nil)) }

// recorder stands in for the test given to a check, to see what it reports.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper()           {}
func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }
func (r *recorder) Errorf(f string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(f, args...))
}

// badPage breaks one rule of each check, and its script marks the page.
const badPage = `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Bad page</title></head><body>
<main><h1 id="h">no script ran</h1>
<img src="data:,">
<p><a href="/a" style="display:inline-block;font-size:6px;line-height:6px">x</a></p>
<div style="width:600px">wide</div>
</main>
<script>document.getElementById('h').textContent = 'script ran'</script>
</body></html>`

func TestChecksReportWhatIsWrong(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, badPage)
	}))
	defer ts.Close()
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", js), func(t *testing.T) {
			tab := NewTab(t, WithJavaScript(js))
			if res := Open(t, tab, ts.URL); res.Status != http.StatusOK {
				t.Fatalf("status %d", res.Status)
			}
			want := map[bool]string{true: "script ran", false: "no script ran"}[js]
			if got := Text(t, tab, "#h"); got != want {
				t.Fatalf("heading %q, want %q", got, want)
			}

			r := &recorder{TB: t}
			violations := CheckAxe(r, tab)
			var ids []string
			for _, v := range violations {
				ids = append(ids, v.ID)
			}
			if !strings.Contains(strings.Join(ids, " "), "image-alt") || len(r.errors) != 1 || !strings.Contains(r.errors[0], "image-alt") {
				t.Errorf("axe found %v and reported %q", ids, r.errors)
			}
			// axe needed scripts for a moment; the page's own did not run.
			if got := Text(t, tab, "#h"); got != want {
				t.Errorf("after axe the heading is %q, want %q", got, want)
			}
			if JavaScriptDisabled(tab) != !js {
				t.Error("JavaScriptDisabled is wrong")
			}

			r = &recorder{TB: t}
			CheckTapTargets(r, tab, 24)
			if len(r.errors) != 1 || !strings.Contains(r.errors[0], `href="/a"`) {
				t.Errorf("tap targets: %q", r.errors)
			}
			r = &recorder{TB: t}
			CheckNoHorizontalScroll(r, tab, 320)
			if len(r.errors) != 1 || !strings.Contains(r.errors[0], "scrolls sideways") {
				t.Errorf("horizontal scroll: %q", r.errors)
			}
			if w := Eval[int](t, tab, "document.documentElement.clientWidth"); w != Width {
				t.Errorf("viewport %d wide after the check, want %d", w, Width)
			}
			Screenshot(t, tab, "bad-page")
		})
	}
}
