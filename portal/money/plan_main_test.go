package money_test

import (
	"os"
	"testing"

	"github.com/reglo/reglo/payments/stripemock"
)

// TestMain shares one stripe-mock among the package's tests.
func TestMain(m *testing.M) { os.Exit(stripemock.Main(m)) }
