// Package browsertest runs Reglo's pages in a real headless Chromium,
// driven from Go with chromedp, for the tests of portal/web.
//
// One Chromium serves the whole test binary (started at the first tab,
// stopped by Main, or killed with the test process); every test gets its
// own tab in its own browser context (its own cookies), at 390x844 with
// mobile emulation, with JavaScript on or off. CheckAxe runs axe-core on
// the page as it is; Screenshot saves a full-page PNG as a test artefact.
//
// Chromium is the Debian package "chromium": CHROMIUM_PATH names it, else
// "chromium" is looked up on PATH. axe-core is the npm package: AXE_CORE_PATH
// names axe.min.js, else $HOME/.cache/reglo/axe is tried. .ci/run installs
// both; a test that cannot find them fails, never skips.
//
// Chromium runs with exactly these flags, and no others from chromedp's
// DefaultExecAllocatorOptions: --headless --no-sandbox --disable-gpu
// --disable-background-networking --disable-component-update --no-first-run
// --disable-sync --disable-quic and a fresh --user-data-dir (chromedp adds
// only --remote-debugging-pipe, its transport, and about:blank). Debian's
// /usr/bin/chromium is a launcher script that adds the flags of
// /etc/chromium.d; point CHROMIUM_PATH at /usr/lib/chromium/chromium to
// run the binary with no other flag.
//
// JavaScript off: page scripts do not run, but the DevTools protocol's
// Runtime.evaluate still does, so the helpers read the page the same way;
// timers do not fire, though, and axe-core needs them (see CheckAxe).
//
// BROWSERTEST_TRACE=1 logs how long each browser step takes.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/reglo/reglo/portal/web"
)

// Width and Height are the viewport every tab starts with: a common phone.
const (
	Width  = 390
	Height = 844
)

// ActionTimeout bounds each browser step a helper runs.
const ActionTimeout = 30 * time.Second

var shared struct {
	mu      sync.Mutex
	started bool
	logged  bool
	err     error
	ctx     context.Context // the browser's chromedp context
	stop    func()
	dir     string
	startup time.Duration
}

// Main runs the tests of a package (with run, for example stripemock.Main,
// or m.Run when run is nil) and then stops the shared Chromium and removes
// its profile. Without it, Chromium dies with the test process and the
// next start removes the profiles of processes that are gone.
func Main(m *testing.M, run func(*testing.M) int) int {
	if run == nil {
		run = func(m *testing.M) int { return m.Run() }
	}
	code := run(m)
	Close()
	return code
}

// Close stops the shared Chromium, if it runs, and removes its profile.
func Close() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.stop != nil {
		shared.stop()
		shared.stop = nil
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
		shared.dir = ""
	}
	shared.started, shared.logged, shared.err, shared.ctx = false, false, nil, nil
}

// ChromiumPath is CHROMIUM_PATH, else chromium on PATH.
func ChromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("CHROMIUM_PATH=%s: %w", p, err)
		}
		return p, nil
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		return "", errors.New("chromium is not installed: run .ci/run (it installs the Debian package chromium), or apt-get install chromium, or set CHROMIUM_PATH")
	}
	return p, nil
}

// profilePrefix names the profile directories, with the owning pid.
const profilePrefix = "reglo-chromium-"

// removeStaleProfiles deletes the profiles of test processes that ended
// without Main.
func removeStaleProfiles() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), profilePrefix+"*"))
	for _, d := range dirs {
		rest := strings.TrimPrefix(filepath.Base(d), profilePrefix)
		pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); errors.Is(err, os.ErrNotExist) {
			os.RemoveAll(d)
		}
	}
}

// browser returns the shared Chromium's context, starting it once.
func browser(t testing.TB) context.Context {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.started {
		shared.started = true
		shared.err = start()
	}
	if shared.err != nil {
		t.Fatalf("browsertest: cannot start Chromium: %v", shared.err)
	}
	if !shared.logged {
		shared.logged = true
		t.Logf("browsertest: Chromium started in %s", shared.startup.Round(time.Millisecond))
	}
	return shared.ctx
}

func start() error {
	path, err := ChromiumPath()
	if err != nil {
		return err
	}
	removeStaleProfiles()
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", profilePrefix, os.Getpid()))
	if err != nil {
		return err
	}
	began := time.Now()
	// An empty option list: only the flags named in the package comment.
	actx, acancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(dir),
	)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		os.RemoveAll(dir)
		return fmt.Errorf("%s: %w", path, err)
	}
	shared.ctx = bctx
	shared.dir = dir
	shared.startup = time.Since(began)
	shared.stop = func() { bcancel(); acancel() }
	return nil
}

// Serve runs the real app on a loopback listener and returns its base URL
// (http://127.0.0.1:port). build gets that URL first, so the service and
// the app can be configured with it; the server shuts down at cleanup.
func Serve(t testing.TB, build func(baseURL string) *web.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	srv := build(base)
	done := make(chan error, 1)
	go func() { done <- srv.App.Listener(ln) }()
	t.Cleanup(func() {
		if err := srv.App.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("browsertest: shutdown: %v", err)
		}
		// A shutdown that came before the server began serving did not
		// reach the listener: closing it ends the server in any case.
		ln.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Errorf("browsertest: the server did not stop")
		}
	})
	return base
}

// tabState is what the helpers need to know about a tab.
type tabState struct {
	noJS bool
}

type tabKey struct{}

// TabOption changes a new tab.
type TabOption func(*tabConfig)

type tabConfig struct {
	noJS          bool
	width, height int64
}

// WithoutJavaScript turns the page's scripts off (Emulation.
// setScriptExecutionDisabled), as for a visitor who disabled JavaScript.
func WithoutJavaScript() TabOption { return func(c *tabConfig) { c.noJS = true } }

// WithJavaScript(false) is WithoutJavaScript; WithJavaScript(true) changes
// nothing. It suits table-driven tests.
func WithJavaScript(on bool) TabOption { return func(c *tabConfig) { c.noJS = !on } }

// WithViewport sets another viewport size than 390x844.
func WithViewport(w, h int64) TabOption { return func(c *tabConfig) { c.width, c.height = w, h } }

// NewTab opens a tab in a fresh browser context (no cookies), emulating a
// phone at 390x844 (scale 3, mobile, touch), closed at cleanup.
func NewTab(t testing.TB, opts ...TabOption) context.Context {
	t.Helper()
	cfg := tabConfig{width: Width, height: Height}
	for _, o := range opts {
		o(&cfg)
	}
	tab, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx := context.WithValue(tab, tabKey{}, &tabState{noJS: cfg.noJS})
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(cfg.width, cfg.height, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
	}
	if cfg.noJS {
		steps = append(steps, setScripts(false))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browsertest: new tab: %v", err)
	}
	return ctx
}

// JavaScriptDisabled reports whether the tab runs without page scripts.
func JavaScriptDisabled(ctx context.Context) bool {
	s, _ := ctx.Value(tabKey{}).(*tabState)
	return s != nil && s.noJS
}

func setScripts(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})
}

// StartupTime is how long the shared Chromium took to start (zero before).
func StartupTime() time.Duration {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	return shared.startup
}
