package browsertest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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

// Screenshot saves a full-page PNG of the tab as <test name>--<name>.png
// in ArtifactDir and logs its path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	png := run(t, ctx, "screenshot", chromedp.FullScreenshot(100))
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
	t.Logf("screenshot %s", p)
	return p
}
