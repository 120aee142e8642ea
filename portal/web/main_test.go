package web_test

import (
	"log/slog"
	"os"
	"testing"

	"github.com/reglo/reglo/payments/stripemock"
)

// quietLog keeps request logs out of test output.
var quietLog = slog.New(slog.DiscardHandler)

// TestMain shares one stripe-mock server across the package's tests and
// stops it at the end.
func TestMain(m *testing.M) { os.Exit(stripemock.Main(m)) }
