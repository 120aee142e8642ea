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
	"fmt"
	"github.com/reglo/reglo/payments/stripemock/gotool"
	"net/http"
	"os"
	"os/exec"
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
		gotool.KillGroup(i.cmd)
		select {
		case <-i.done:
		case <-time.After(10 * time.Second):
		}
	})
}

// launch starts stripe-mock on free loopback ports and waits until it
// answers. A port taken between choosing and binding it gives another try.
func launch() (*instance, error) {
	root, err := gotool.ModuleRoot()
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
	httpPort, err := gotool.FreePort()
	if err != nil {
		return nil, "", err
	}
	httpsPort, err := gotool.FreePort()
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command("go", "tool", "stripe-mock",
		"-http-addr", "127.0.0.1:"+strconv.Itoa(httpPort),
		"-https-addr", "127.0.0.1:"+strconv.Itoa(httpsPort))
	cmd.Dir = root
	out := &gotool.Output{}
	cmd.Stdout, cmd.Stderr = out, out
	gotool.OwnGroup(cmd)
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
