// Package payments is Reglo's adapter to Stripe: Checkout Sessions for a
// debtor who pays now, off-session charges for later plan instalments,
// refunds, and webhook verification that turns a Stripe event into a small
// typed Event.
//
// It knows nothing of the database or of HTTP frameworks and imports nothing
// else of Reglo's; the portal calls it and records what it returns.
package payments

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// ErrNotConfigured is returned by every call that needs Stripe when no secret
// key was configured (and by ParseEvent when no webhook secret was), so the
// portal can run and say plainly that card payment is not available.
var ErrNotConfigured = errors.New("payments: card payment is not configured")

// ErrInvalidRequest wraps errors about a request that this package refuses to
// send (a missing idempotency key, a zero amount): a bug in the caller, never
// something a retry fixes.
var ErrInvalidRequest = errors.New("payments: invalid request")

// Metadata keys that Reglo puts on every Checkout Session, PaymentIntent and
// SetupIntent it creates. The instalment key is spelled the way the outside contract
// names it ("installment_id"), which is also how Stripe's dashboard shows it.
const (
	MetaCaseID       = "case_id"
	MetaPlanID       = "plan_id"
	MetaInstalmentID = "installment_id"
	// MetaRef is the idempotency key the object was created with: the one
	// identity of the payment it takes (see Event.Ref).
	MetaRef = "reglo_ref"
)

// Config is what the client needs, read by the caller from STRIPE_SECRET_KEY,
// STRIPE_WEBHOOK_SECRET and STRIPE_API_BASE.
type Config struct {
	// SecretKey is the Stripe API key; empty means card payment is off.
	SecretKey string
	// WebhookSecret is the whsec_... secret that signs webhook deliveries.
	WebhookSecret string
	// APIBase replaces https://api.stripe.com, e.g. a stripe-mock URL; empty
	// keeps Stripe's own, so a real test-mode key works unchanged.
	APIBase string
	// HTTPClient is used for every call to Stripe; nil means stripe-go's
	// default client (80 s timeout).
	HTTPClient *http.Client
	// Log receives stripe-go's own log lines (stripeLogger), never its
	// default text logger on stderr; nil means slog.Default().
	Log *slog.Logger
}

// Client calls Stripe on Reglo's behalf. It is safe for concurrent use.
type Client struct {
	api           *client.API
	webhookSecret string
}

// New builds a client from cfg. It never fails: without a secret key the
// client is built disabled and every API call returns ErrNotConfigured.
//
// The stripe-go client gets its own backends, so the package-global
// stripe.Key and stripe.SetBackend are never touched and several clients
// (a test's stripe-mock and production) can live in one process.
func New(cfg Config) *Client {
	c := &Client{webhookSecret: cfg.WebhookSecret}
	if cfg.SecretKey == "" {
		return c
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	backend := func(t stripe.SupportedBackend) stripe.Backend {
		// A fresh BackendConfig per backend: GetBackendWithConfig fills in
		// defaults by mutating the config it is given.
		bc := &stripe.BackendConfig{HTTPClient: cfg.HTTPClient, LeveledLogger: stripeLogger{log: log}}
		if cfg.APIBase != "" {
			bc.URL = stripe.String(strings.TrimRight(cfg.APIBase, "/"))
		}
		return stripe.GetBackendWithConfig(t, bc)
	}
	c.api = client.New(cfg.SecretKey, &stripe.Backends{
		API:     backend(stripe.APIBackend),
		Connect: backend(stripe.ConnectBackend),
		Uploads: backend(stripe.UploadsBackend),
	})
	return c
}

// Enabled reports whether a secret key was configured, that is whether the
// portal may offer card payment at all.
func (c *Client) Enabled() bool {
	return c != nil && c.api != nil
}

func (c *Client) ready() error {
	if !c.Enabled() {
		return ErrNotConfigured
	}
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidRequest, fmt.Sprintf(format, args...))
}

var currencyCode = regexp.MustCompile(`^[A-Za-z]{3}$`)

// stripeCurrency checks an ISO 4217 code and returns it the way Stripe wants
// it in requests: lower-case.
func stripeCurrency(cur string) (string, error) {
	if !currencyCode.MatchString(cur) {
		return "", invalid("currency %q is not an ISO 4217 code", cur)
	}
	return strings.ToLower(cur), nil
}

// Stripe forgets idempotency keys after 24 hours and refuses keys longer
// than 255 characters.
const maxKeyLen = 255

func checkKey(key string) error {
	if key == "" {
		return invalid("an idempotency key is required")
	}
	if len(key) > maxKeyLen {
		return invalid("idempotency key longer than %d characters", maxKeyLen)
	}
	return nil
}

// metadata builds the ids Reglo puts on every Stripe object it creates;
// zero ids are left out.
func metadata(caseID, planID, instalmentID int64) map[string]string {
	m := map[string]string{MetaCaseID: strconv.FormatInt(caseID, 10)}
	if planID != 0 {
		m[MetaPlanID] = strconv.FormatInt(planID, 10)
	}
	if instalmentID != 0 {
		m[MetaInstalmentID] = strconv.FormatInt(instalmentID, 10)
	}
	return m
}

// withRef adds the payment's one identity (MetaRef) to m.
func withRef(m map[string]string, key string) map[string]string {
	m[MetaRef] = key
	return m
}
