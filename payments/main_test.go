package payments_test

import (
	"os"
	"testing"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/payments/stripemock"
)

func TestMain(m *testing.M) { os.Exit(stripemock.Main(m)) }

// newProxied returns a client that talks to stripe-mock through a recording
// proxy, so a test can assert what was sent.
func newProxied(t *testing.T) (*payments.Client, *stripemock.Proxy) {
	t.Helper()
	p := stripemock.NewProxy(t, stripemock.Start(t))
	return payments.New(payments.Config{SecretKey: stripemock.TestKey, APIBase: p.URL}), p
}

// only returns the single request made to path, failing the test otherwise.
func only(t *testing.T, p *stripemock.Proxy, path string) stripemock.Request {
	t.Helper()
	reqs := p.Requests(path)
	if len(reqs) != 1 {
		t.Fatalf("%d requests to %s, want 1", len(reqs), path)
	}
	return reqs[0]
}
