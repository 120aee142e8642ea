package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// AxeTags are the rule sets CheckAxe runs: WCAG 2.0, 2.1 and 2.2, A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

var axeSource struct {
	once sync.Once
	src  string
	err  error
}

// AxePath is AXE_CORE_PATH, else where .ci/run installs axe-core.
func AxePath() string {
	if p := os.Getenv("AXE_CORE_PATH"); p != "" {
		return p
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "reglo", "axe", "node_modules", "axe-core", "axe.min.js")
}

func loadAxe(t testing.TB) string {
	t.Helper()
	axeSource.once.Do(func() {
		p := AxePath()
		b, err := os.ReadFile(p)
		if err != nil {
			axeSource.err = fmt.Errorf("axe-core not found at %s (%v): run .ci/run, which installs it with npm install --prefix $HOME/.cache/reglo/axe axe-core@4.14.1, or set AXE_CORE_PATH", p, err)
			return
		}
		axeSource.src = string(b)
	})
	if axeSource.err != nil {
		t.Fatalf("browsertest: %v", axeSource.err)
	}
	return axeSource.src
}

// AxeViolation is one failed axe rule with the elements that fail it.
type AxeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

type axeResult struct {
	Violations []AxeViolation `json:"violations"`
	Incomplete []AxeViolation `json:"incomplete"`
	URL        string         `json:"url"`
	Version    string         `json:"version"`
}

// CheckAxe runs axe-core on the page as it is now and fails the test
// (without stopping it) with every violation of the AxeTags rules: rule id,
// impact, help and each failing element. Results axe cannot decide alone
// ("incomplete") are logged.
//
// axe needs timers, which do not run while page scripts are disabled, so
// in a tab without JavaScript CheckAxe turns scripts on for the time of the
// check, on the same document, and off again: the page's own scripts,
// skipped when it loaded, do not run then (they have been parsed already),
// so axe sees the page exactly as a visitor without JavaScript does.
func CheckAxe(t testing.TB, ctx context.Context) []AxeViolation {
	t.Helper()
	src := loadAxe(t)
	began := time.Now()
	noJS := JavaScriptDisabled(ctx)
	if noJS {
		run(t, ctx, "scripts on for axe", setScripts(true))
		defer run(t, ctx, "scripts off after axe", setScripts(false))
	}
	if !Eval[bool](t, ctx, "typeof window.axe === 'object'") {
		run(t, ctx, "inject axe-core", chromedp.Evaluate[chromedp.Void](src))
	}
	tags, _ := json.Marshal(AxeTags)
	raw := run(t, ctx, "axe.run", chromedp.Evaluate[[]byte](
		`axe.run(document, {runOnly: {type: 'tag', values: `+string(tags)+`}, resultTypes: ['violations']})`+
			`.then(r => JSON.stringify({violations: r.violations, incomplete: r.incomplete, url: r.url, version: r.testEngine.version}))`,
		chromedp.EvalAwaitPromise))
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("browsertest: axe result: %v", err)
	}
	var res axeResult
	if err := json.Unmarshal([]byte(s), &res); err != nil {
		t.Fatalf("browsertest: axe result: %v", err)
	}
	t.Logf("axe-core %s on %s: %d violation(s) in %s", res.Version, res.URL, len(res.Violations), time.Since(began).Round(time.Millisecond))
	for _, v := range res.Incomplete {
		t.Logf("axe %s needs review on %s: %s", v.ID, res.URL, targets(v))
	}
	if len(res.Violations) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "axe-core %s: %d violation(s) on %s (JavaScript %s):", res.Version, len(res.Violations), res.URL, map[bool]string{true: "off", false: "on"}[noJS])
		for _, v := range res.Violations {
			fmt.Fprintf(&b, "\n  - %s [%s] %s (%s)", v.ID, v.Impact, v.Help, v.HelpURL)
			for _, n := range v.Nodes {
				fmt.Fprintf(&b, "\n      %v: %s\n        %s", n.Target, n.HTML, strings.ReplaceAll(n.FailureSummary, "\n", "\n        "))
			}
		}
		t.Error(b.String())
	}
	return res.Violations
}

func targets(v AxeViolation) string {
	var out []string
	for _, n := range v.Nodes {
		out = append(out, fmt.Sprint(n.Target))
	}
	return strings.Join(out, ", ")
}
