package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// CheckNoHorizontalScroll narrows the viewport to width CSS pixels, checks
// that the page needs no horizontal scrolling there (WCAG 1.4.10 reflow at
// 320 px), and restores the 390x844 viewport.
func CheckNoHorizontalScroll(t testing.TB, ctx context.Context, width int64) {
	t.Helper()
	run(t, ctx, "narrow viewport", chromedp.EmulateViewport(width, Height, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch))
	defer run(t, ctx, "restore viewport", chromedp.EmulateViewport(Width, Height, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch))
	got := Eval[int64](t, ctx, "document.documentElement.scrollWidth")
	if got > width {
		wide := Eval[[]string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > %d).slice(0, 10).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')`, width))
		t.Errorf("at %d px wide the page scrolls sideways: scrollWidth %d; too wide: %s", width, got, strings.Join(wide, ", "))
	}
}

// TapTarget is an element too small to tap.
type TapTarget struct {
	Element string  `json:"element"`
	Width   float64 `json:"width"`
	Height  float64 `json:"height"`
}

// CheckTapTargets fails for every rendered link, button, input, select,
// textarea and summary smaller than min x min CSS pixels (WCAG 2.5.8 asks
// 24; Reglo asks it of every target, without WCAG's spacing exception).
// Left out: elements not rendered (hidden inputs, display:none), elements
// moved out of view (the skip link until focused), disabled controls, and
// WCAG's inline exception, a link that is part of a sentence (display
// inline, inside a block with other text).
func CheckTapTargets(t testing.TB, ctx context.Context, min float64) {
	t.Helper()
	raw := Eval[[]byte](t, ctx, fmt.Sprintf(`JSON.stringify([...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')].map(e => {
  const r = e.getBoundingClientRect();
  return {e, r};
}).filter(({e, r}) => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.disabled)
  .filter(({e}) => !(e.tagName === 'A' && getComputedStyle(e).display === 'inline' && e.parentElement.innerText.trim().length > e.innerText.trim().length))
  .filter(({r}) => r.width < %[1]g || r.height < %[1]g)
  .map(({e, r}) => ({element: e.outerHTML.slice(0, 120), width: Math.round(r.width*10)/10, height: Math.round(r.height*10)/10})))`, min))
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	var small []TapTarget
	if err := json.Unmarshal([]byte(s), &small); err != nil {
		t.Fatal(err)
	}
	for _, e := range small {
		t.Errorf("tap target %gx%g CSS px, under %gx%g: %s", e.Width, e.Height, min, min, e.Element)
	}
}
