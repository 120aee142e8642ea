package web_test

import (
	"log/slog"
	"os"
	"testing"

	"github.com/reglo/reglo/payments/stripemock"
	"github.com/reglo/reglo/portal/web/browsertest"
)

// quietLog keeps request logs out of test output.
var quietLog = slog.New(slog.DiscardHandler)

// TestMain shares one stripe-mock server and one Chromium across the
// package's tests and stops both at the end.
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m, stripemock.Main)) }
