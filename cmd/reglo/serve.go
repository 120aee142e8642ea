package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/areas"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/portal/web"
	"github.com/reglo/reglo/views"
)

// shutdownGrace is how long in-flight requests get to finish after SIGTERM.
// It stays under the 30 s that Kubernetes and systemd wait before SIGKILL.
const shutdownGrace = 25 * time.Second

// missingSecret explains what to do when REGLO_SECRET is unset.
const missingSecret = "REGLO_SECRET is not set. Reglo signs debtor and back-office sessions with it and will not serve without it.\n" +
	"Set it to a long random value and keep it across restarts, for example:\n" +
	"  export REGLO_SECRET=\"$(openssl rand -base64 32)\"\n" +
	"(For a local try-out, 'reglo demo' generates one for you.)"

func cmdServe(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if err := newFlags("serve", "serve [flags]", &cfg, true, stdout).parse(args); err != nil {
		return err
	}
	if cfg.Secret == "" {
		return usagef("%s", missingSecret)
	}
	secrets, err := portal.NewSecrets(cfg.Secret)
	if err != nil {
		return usagef("%v", err)
	}
	log := newLogger(stderr, cfg.LogLevel)
	store, svc, err := openService(ctx, cfg, log, secrets)
	if err != nil {
		return err
	}
	defer store.Close()
	ln, err := listen(ctx, cfg.Addr)
	if err != nil {
		return err
	}
	return serveHTTP(ctx, cfg, log, svc, ln)
}

func cmdMigrate(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if err := newFlags("migrate", "migrate [flags]", &cfg, false, stdout).parse(args); err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	store, err := portal.Connect(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	sqlDB, err := store.DB.DB()
	if err != nil {
		return err
	}
	version, err := migrations.Apply(ctx, sqlDB, store.Dialect)
	if err != nil {
		return err
	}
	log.Info("migrations applied", "dialect", string(store.Dialect), "version", version)
	return reindexSearch(ctx, office.New(portal.NewService(store, nil, nil, cfg.BaseURL, log)), log)
}

// openService opens and migrates the database and wires the case core and
// the areas. secrets may be nil for commands that sign nothing.
func openService(ctx context.Context, cfg config, log *slog.Logger, secrets *portal.Secrets) (*portal.Store, *areas.Services, error) {
	store, err := portal.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	log.Debug("database ready", "dialect", string(store.Dialect))
	stripe := payments.New(payments.Config{
		SecretKey:     cfg.StripeSecretKey,
		WebhookSecret: cfg.StripeWebhookSecret,
		APIBase:       cfg.StripeAPIBase,
		Log:           log,
	})
	core := portal.NewService(store, portal.DiskStorage{Dir: cfg.DocumentsDir}, secrets, cfg.BaseURL, log)
	core.Messages = views.MustMessages()
	core.Collector = cfg.Collector
	svc := areas.New(core, stripe)
	if err := reindexSearch(ctx, svc.Office, log); err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, svc, nil
}

// reindexSearch brings every case's accent-folded search text up to date
// (a migration can only approximate it in SQL).
func reindexSearch(ctx context.Context, svc *office.Service, log *slog.Logger) error {
	n, err := svc.ReindexCaseSearch(ctx)
	if err != nil {
		return fmt.Errorf("reindex case search: %w", err)
	}
	if n > 0 {
		log.Info("case search reindexed", "cases", n)
	}
	return nil
}

// listen binds the HTTP address before anything is served, so a port in
// use fails at once and the real address (for ":0") is known.
func listen(ctx context.Context, addr string) (net.Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// Scheduled work: how often each process looks for due instalments, for
// promise reminders and missed promises, and for Stripe events whose
// webhook never arrived.
const (
	schedulerEvery = time.Minute
	notifierEvery  = time.Minute
	reconcileEvery = time.Minute
	remindersEvery = time.Minute
)

// serveHTTP serves on ln until ctx ends, then shuts down gracefully: the
// listener closes at once and requests in flight get shutdownGrace to finish.
func serveHTTP(ctx context.Context, cfg config, log *slog.Logger, svc *areas.Services, ln net.Listener) error {
	if !svc.Money.CardEnabled() {
		log.Warn("card payment is not configured: STRIPE_SECRET_KEY is not set, so debtors are offered the creditor's other ways to pay")
	} else if cfg.StripeWebhookSecret == "" {
		log.Warn("STRIPE_WEBHOOK_SECRET is not set: Stripe webhooks will be refused and card payments will not be recorded")
	}
	mx, stopMetrics, err := startMetrics(ctx, cfg, log, svc)
	if err != nil {
		return err
	}
	defer stopMetrics()
	cfg.Notify = mx.Senders(cfg.Notify)
	srv := web.New(web.Config{
		Metrics:        mx,
		Services:       svc,
		BaseURL:        cfg.BaseURL,
		Log:            log,
		TrustedProxies: cfg.TrustedProxies,
		Notify:         cfg.Notify,
		SMSAuthToken:   cfg.SMSAuthToken,
	})
	log.Info("listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL)
	served := make(chan error, 1)
	go func() { served <- srv.App.Listener(ln) }()

	// Scheduled work (instalment charges, reconciliation) is durable in the
	// database and safe with several processes: every process runs it. It
	// is stopped after the HTTP server has drained; a charge cut off mid-way
	// is retried by a later round with the same idempotency key, an event
	// cut off mid-way by the next reconciliation.
	notifier := &outreach.Notifier{Service: svc.Outreach, Senders: cfg.Notify}
	schedCtx, stopScheduler := context.WithCancel(context.Background())
	var scheduled sync.WaitGroup
	scheduled.Add(4)
	go func() {
		defer scheduled.Done()
		// Reminder scenarios: every process looks for due steps each
		// minute; claims make each step go once.
		rm := &outreach.Reminders{Service: svc.Outreach, Senders: cfg.Notify}
		rm.Run(schedCtx, remindersEvery)
	}()
	go func() {
		defer scheduled.Done()
		if !svc.Money.CardEnabled() {
			return // nothing can be charged without a Stripe key
		}
		sc := money.NewScheduler(svc.Money)
		sc.OnMissed = notifier.InstalmentMissed
		sc.OnRound = func(n int, took time.Duration, err error) { mx.Round("instalments", n, took, err) }
		sc.Run(schedCtx, schedulerEvery)
	}()
	go func() {
		defer scheduled.Done()
		if !svc.Money.CardEnabled() {
			return // no Stripe account to read events from
		}
		rc := money.NewReconciler(svc.Money)
		rc.Mail = cfg.Notify.Mail
		rc.OnRound = func(n int, took time.Duration, err error) { mx.Round("reconcile", n, took, err) }
		rc.Run(schedCtx, reconcileEvery)
	}()
	go func() {
		defer scheduled.Done()
		t := time.NewTicker(notifierEvery)
		defer t.Stop()
		for {
			began := time.Now()
			err := notifier.RunOnce(schedCtx)
			if schedCtx.Err() == nil {
				mx.Round("notifier", 0, time.Since(began), err)
			}
			if err != nil && schedCtx.Err() == nil {
				log.Error("reminders round", "error", err.Error())
			}
			select {
			case <-schedCtx.Done():
				return
			case <-t.C:
			}
		}
	}()
	defer func() {
		stopScheduler()
		scheduled.Wait()
	}()

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.App.ShutdownWithContext(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	// A stop that comes before the serving goroutine has taken the listener
	// (a signal right at start) finds no listener to close in the server;
	// closing it here makes that late Serve return at once.
	_ = ln.Close()
	select {
	case err := <-served:
		if err != nil && !errors.Is(err, net.ErrClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	case <-sctx.Done():
		return errors.New("shutdown: the server did not stop in time")
	}
	log.Info("stopped")
	return nil
}
