package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/reglo/reglo/portal/money"
)

// cmdStripeReconcile applies the Stripe events since --since that Reglo
// has not processed, exactly as their webhooks would have, and prints what
// it did as JSON. Stripe does not promise to deliver every webhook; every
// serve process runs the same reconciliation every few minutes, and this
// command lets an operator run it by hand, for instance after an outage.
//
// It exits 0 when every event was applied, was applied already, or waits
// for a payment not recorded yet (a later run applies it); 1 when some
// could not be applied (the summary says how many) or Stripe could not be
// listed; 2 without STRIPE_SECRET_KEY or with a bad --since.
func cmdStripeReconcile(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("stripe reconcile", "stripe reconcile [--since RFC3339] [flags]", &cfg, false, stdout)
	sinceFlag := fs.String("since", "", "apply the events Stripe created from this `time` on, e.g. 2026-03-01T00:00:00Z (default: 3 days ago)")
	if err := fs.parse(args); err != nil {
		return err
	}
	now := time.Now()
	since := now.Add(-money.ReconcileWindow)
	if *sinceFlag != "" {
		t, err := time.Parse(time.RFC3339, *sinceFlag)
		if err != nil {
			return usagef("stripe reconcile: --since %q is not an RFC 3339 time such as 2026-03-01T00:00:00Z", *sinceFlag)
		}
		if t.After(now) {
			return usagef("stripe reconcile: --since %s is in the future", *sinceFlag)
		}
		since = t
	}
	if cfg.StripeSecretKey == "" {
		return usagef("stripe reconcile: STRIPE_SECRET_KEY is not set, so there is no Stripe account to read events from")
	}
	log := newLogger(stderr, cfg.LogLevel)
	store, svc, err := openService(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	r, err := svc.Money.Reconcile(ctx, since, cfg.Notify.Mail)
	if err != nil {
		return err
	}
	log.Info("stripe reconciled", "since", since.UTC().Format(time.RFC3339), "seen", r.Seen, "applied", r.Applied,
		"not_ready", r.NotReady, "malformed", r.Malformed, "failed", r.Failed)
	if err := writeJSON(stdout, r); err != nil {
		return err
	}
	if r.Failed > 0 {
		return fmt.Errorf("stripe reconcile: %d events could not be applied (see the log); run it again", r.Failed)
	}
	return nil
}
