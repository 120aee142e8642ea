package browsertest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ArtifactDir is where screenshots go: $REGLO_ARTIFACTS when set, else
// .ci/artifacts/screenshots under the module root (git-ignored).
func ArtifactDir() (string, error) {
	if d := os.Getenv("REGLO_ARTIFACTS"); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".ci", "artifacts", "screenshots"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fullPagePNG captures the whole page at one image pixel per CSS pixel: at
// the emulated scale of 3 the images would be nine times larger and take
// several times longer to encode, for no gain in a review.
func fullPagePNG(ctx context.Context, t *chromedp.Target) ([]byte, error) {
	m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	scale := 1.0
	if dpr, err := chromedp.Evaluate[float64]("window.devicePixelRatio")(ctx, t); err == nil && dpr > 0 {
		scale = 1 / dpr
	}
	size := m.CSSContentSize
	res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: ptr(true),
		FromSurface:           ptr(true),
		Clip:                  &page.Viewport{X: 0, Y: 0, Width: size.Width, Height: size.Height, Scale: scale},
	})
	return res.Data, err
}

func ptr[T any](v T) *T { return &v }

// Screenshot saves a full-page PNG of the tab as <test name>--<name>.png
// in ArtifactDir and logs its path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	began := time.Now()
	png := run(t, ctx, "screenshot", fullPagePNG)
	dir, err := ArtifactDir()
	if err != nil {
		t.Fatalf("browsertest: screenshot folder: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("browsertest: screenshot folder: %v", err)
	}
	file := unsafeName.ReplaceAllString(strings.ReplaceAll(t.Name(), "/", "--")+"--"+name, "_") + ".png"
	p := filepath.Join(dir, file)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	t.Logf("screenshot %s (%d KB, %s)", p, len(png)>>10, time.Since(began).Round(time.Millisecond))
	return p
}
