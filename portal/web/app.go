// Package web is Reglo's HTTP layer on Fiber v2: routes, thin handlers,
// middleware, debtor pages, the creditor JSON API and the Stripe webhook.
// A handler parses input, calls one service method with the request's
// context, and renders or redirects.
package web

import (
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/areas"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/metrics"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/office"
)

// Config wires the web layer.
type Config struct {
	// Services are the case core and the business areas.
	Services *areas.Services
	// BaseURL is the public URL; an https one turns on Secure cookies and HSTS.
	BaseURL string
	Log     *slog.Logger
	// TrustedProxies lists the load balancers whose X-Forwarded-For is
	// believed for the client address (rate limits). Empty: none is.
	TrustedProxies []string
	// Notify sends back-office links by email and SMS; a nil channel is off.
	Notify notify.Senders
	// SMSAuthToken verifies the signature of inbound SMS (/webhooks/sms).
	SMSAuthToken string
	// Metrics counts requests and webhooks; nil counts nothing.
	Metrics *metrics.Metrics
}

// Server is the Fiber app with its dependencies.
type Server struct {
	App     *fiber.App
	svc     *portal.Service
	money   *money.Service
	choices *choices.Service
	office  *office.Service
	log     *slog.Logger
	secure  bool
	cfg     Config
	// trusted are the parsed TrustedProxies.
	trusted []netip.Prefix
}

// New builds the Fiber app with every route.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{trusted: trustedPrefixes(cfg.TrustedProxies), svc: cfg.Services.Core, money: cfg.Services.Money, choices: cfg.Services.Choices, office: cfg.Services.Office, log: cfg.Log, secure: strings.HasPrefix(cfg.BaseURL, "https://"), cfg: cfg}
	fcfg := fiber.Config{
		Immutable:             true,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		// The largest body is a CSV import; every route still checks its
		// own limit (10 MiB per document) on what it reads.
		BodyLimit:    office.MaxImportBytes + 1<<20,
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
		AppName:      "reglo",
	}
	// Forwarded headers (client address, scheme, host) are believed only
	// from the listed proxies; with none listed, from nobody.
	fcfg.EnableTrustedProxyCheck = true
	fcfg.TrustedProxies = cfg.TrustedProxies
	if len(cfg.TrustedProxies) > 0 {
		fcfg.ProxyHeader = fiber.HeaderXForwardedFor
	}
	s.App = fiber.New(fcfg)
	s.App.Use(recover.New())
	s.App.Use(cfg.Metrics.Middleware(), s.requestID, s.accessLog, s.securityHeaders)
	s.routes()
	return s
}
