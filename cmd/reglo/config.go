package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
)

// config is Reglo's configuration: the outside contract's environment variables,
// some of them overridden by flags.
type config struct {
	DatabaseURL         string
	Addr                string
	BaseURL             string
	Secret              string
	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIBase       string
	DocumentsDir        string
	TrustedProxies      []string
	LogLevel            slog.Level
	// Notify sends links and reminders by email (SMTP_URL) and SMS
	// (SMS_API_URL, SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM).
	Notify notify.Senders
	// SMSAuthToken (SMS_AUTH_TOKEN) also verifies inbound SMS signatures.
	SMSAuthToken string
	// MetricsAddr (METRICS_ADDR) is where Prometheus metrics are served,
	// on a listener of their own; empty serves none.
	MetricsAddr string
	// Collector is the collection agency running this deployment
	// (REGLO_COLLECTOR_*); empty for a creditor's in-house team.
	Collector portal.Collector
}

// Defaults from the outside contract.
const (
	defaultDatabaseURL  = "sqlite://reglo.db"
	defaultAddr         = ":8080"
	defaultBaseURL      = "http://localhost:8080"
	defaultDocumentsDir = "./documents"
)

// loadConfig reads the environment. Secrets have no flags: a flag shows in
// the process list for every user of the machine.
func loadConfig(getenv env) (config, error) {
	cfg := config{
		DatabaseURL:         or(getenv("DATABASE_URL"), defaultDatabaseURL),
		Addr:                or(getenv("ADDR"), defaultAddr),
		BaseURL:             or(getenv("BASE_URL"), defaultBaseURL),
		Secret:              strings.TrimSpace(getenv("REGLO_SECRET")),
		StripeSecretKey:     strings.TrimSpace(getenv("STRIPE_SECRET_KEY")),
		StripeWebhookSecret: strings.TrimSpace(getenv("STRIPE_WEBHOOK_SECRET")),
		StripeAPIBase:       strings.TrimSpace(getenv("STRIPE_API_BASE")),
		DocumentsDir:        or(getenv("DOCUMENTS_DIR"), defaultDocumentsDir),
		MetricsAddr:         strings.TrimSpace(getenv("METRICS_ADDR")),
	}
	for _, p := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return cfg, usagef("TRUSTED_PROXIES: %q is neither an IP address nor a CIDR range", p)
			}
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, p)
	}
	senders, err := notify.FromEnv(getenv)
	if err != nil {
		return cfg, usagef("%v", err)
	}
	cfg.Notify = senders
	cfg.SMSAuthToken = strings.TrimSpace(getenv("SMS_AUTH_TOKEN"))
	cfg.Collector = portal.Collector{
		Name:         strings.TrimSpace(getenv("REGLO_COLLECTOR_NAME")),
		LegalForm:    strings.TrimSpace(getenv("REGLO_COLLECTOR_LEGAL_FORM")),
		Address:      strings.TrimSpace(strings.ReplaceAll(getenv("REGLO_COLLECTOR_ADDRESS"), `\n`, "\n")),
		SIREN:        strings.TrimSpace(getenv("REGLO_COLLECTOR_SIREN")),
		Registration: strings.TrimSpace(getenv("REGLO_COLLECTOR_REGISTRATION")),
		Insurance:    strings.TrimSpace(getenv("REGLO_COLLECTOR_INSURANCE")),
		FundsAccount: strings.TrimSpace(getenv("REGLO_COLLECTOR_FUNDS_ACCOUNT")),
		Email:        strings.TrimSpace(getenv("REGLO_COLLECTOR_EMAIL")),
		Phone:        strings.TrimSpace(getenv("REGLO_COLLECTOR_PHONE")),
	}
	if missing := portal.CheckCollector(cfg.Collector); len(missing) > 0 {
		return cfg, usagef("REGLO_COLLECTOR_NAME is set, so French law (CPCE R124-4) needs the agency's whole identity: set REGLO_COLLECTOR_%s", strings.ToUpper(strings.Join(missing, ", REGLO_COLLECTOR_")))
	}
	if lv := strings.TrimSpace(getenv("LOG_LEVEL")); lv != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(lv)); err != nil {
			return cfg, usagef("LOG_LEVEL: %q is not debug, info, warn or error", lv)
		}
	}
	return cfg, nil
}

func or(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}

// flags is a subcommand's flag set, bound to the configuration it may
// override.
type flags struct {
	*flag.FlagSet
	name   string
	stdout io.Writer
}

// newFlags makes the flag set of a subcommand. Every subcommand takes
// --database-url; server ones also take --addr, --base-url and
// --documents-dir. The flag package's own error printing is silenced:
// run prints one clear line instead.
func newFlags(name, synopsis string, cfg *config, server bool, stdout io.Writer) *flags {
	fs := flag.NewFlagSet("reglo "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "database `URL` (DATABASE_URL)")
	if server {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen `address` (ADDR)")
		fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "public `URL` used in links (BASE_URL)")
		fs.StringVar(&cfg.DocumentsDir, "documents-dir", cfg.DocumentsDir, "`directory` for proof documents (DOCUMENTS_DIR)")
	}
	f := &flags{FlagSet: fs, name: name, stdout: stdout}
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: reglo %s\n\nFlags:\n", synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return f
}

// isSet reports whether the flag was given on the command line.
func (f *flags) isSet(name string) bool {
	set := false
	f.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

// parse reads args; -h prints the flags and ends the command successfully.
func (f *flags) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return errHelp
		}
		return usagef("%s: %v", f.name, err)
	}
	if f.NArg() > 0 {
		return usagef("%s: unexpected argument %q", f.name, f.Arg(0))
	}
	return nil
}

// newLogger writes JSON lines to stderr. Nothing logs a token, password,
// API key or postcode: the web layer logs route patterns, not paths.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
