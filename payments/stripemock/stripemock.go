// Package stripemock runs Stripe's own stripe-mock for tests, signs webhook
// payloads the way Stripe does, and offers a recording reverse proxy in front
// of stripe-mock that counts what was sent and emulates Stripe's idempotency.
//
// stripe-mock is pinned in go.mod as a tool and started with
// "go tool stripe-mock"; the first run compiles it, later runs reuse Go's
// build cache. Set STRIPE_MOCK_URL to use one that is already running.
//
// Typical use, one stripe-mock per test binary:
//
//	func TestMain(m *testing.M) { os.Exit(stripemock.Main(m)) }
//
//	func TestPay(t *testing.T) {
//		base := stripemock.Start(t)
//		...
//	}
//
// Without Main, Start runs a stripe-mock for the calling test alone.
package stripemock

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestKey is a test-mode secret key that stripe-mock accepts (it wants
// exactly three underscore-separated parts).
const TestKey = "sk_test_123"

// startTimeout bounds the wait for stripe-mock to answer; the first run in a
// fresh build cache compiles it, which takes about half a minute.
const startTimeout = 120 * time.Second

var shared struct {
	enabled atomic.Bool
	once    sync.Once
	inst    *instance
	err     error
}

// Start returns the base URL of a running stripe-mock (for payments.Config's
// APIBase). Under Main, every test in the binary shares one instance, started
// on first use; otherwise each call starts its own, killed when t ends.
func Start(t testing.TB) (baseURL string) {
	t.Helper()
	if u := os.Getenv("STRIPE_MOCK_URL"); u != "" {
		return strings.TrimRight(u, "/")
	}
	if shared.enabled.Load() {
		shared.once.Do(func() { shared.inst, shared.err = launch() })
		if shared.err != nil {
			t.Fatalf("stripemock: %v", shared.err)
		}
		return shared.inst.url
	}
	inst, err := launch()
	if err != nil {
		t.Fatalf("stripemock: %v", err)
	}
	t.Cleanup(inst.stop)
	return inst.url
}

// Main runs the tests of a package with one shared stripe-mock, started by
// the first Start and stopped after the last test, and returns the exit code
// for os.Exit. Packages whose tests never call Start pay nothing.
func Main(m *testing.M) int {
	shared.enabled.Store(true)
	code := m.Run()
	if shared.inst != nil {
		shared.inst.stop()
	}
	return code
}

type instance struct {
	url      string
	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
}

func (i *instance) stop() {
	i.stopOnce.Do(func() {
		killGroup(i.cmd)
		select {
		case <-i.done:
		case <-time.After(10 * time.Second):
		}
	})
}

// launch starts stripe-mock on free loopback ports and waits until it
// answers. A port taken between choosing and binding it gives another try.
func launch() (*instance, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	var lastErr error
	for try := 0; try < 3; try++ {
		inst, out, err := launchOnce(root)
		if err == nil {
			return inst, nil
		}
		lastErr = err
		if !strings.Contains(out, "address already in use") {
			break
		}
	}
	return nil, lastErr
}

func launchOnce(root string) (*instance, string, error) {
	httpPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	httpsPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command("go", "tool", "stripe-mock",
		"-http-addr", "127.0.0.1:"+strconv.Itoa(httpPort),
		"-https-addr", "127.0.0.1:"+strconv.Itoa(httpsPort))
	cmd.Dir = root
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	ownGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start go tool stripe-mock: %w", err)
	}
	inst := &instance{
		url:  "http://127.0.0.1:" + strconv.Itoa(httpPort),
		cmd:  cmd,
		done: make(chan struct{}),
	}
	go func() {
		_ = cmd.Wait()
		close(inst.done)
	}()

	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-inst.done:
			return nil, out.String(), fmt.Errorf("stripe-mock exited before answering:\n%s", out.String())
		case <-time.After(200 * time.Millisecond):
		}
		req, _ := http.NewRequest(http.MethodGet, inst.url+"/v1/customers", nil)
		req.Header.Set("Authorization", "Bearer "+TestKey)
		resp, err := client.Do(req)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode < http.StatusInternalServerError {
			return inst, out.String(), nil
		}
	}
	inst.stop()
	return nil, out.String(), fmt.Errorf("stripe-mock did not answer within %s:\n%s", startTimeout, out.String())
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// moduleRoot walks up from the working directory (a test's package
// directory) to the directory holding go.mod, where the stripe-mock tool is
// declared.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// syncBuffer collects stripe-mock's output for error messages; the process
// writes to it while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
