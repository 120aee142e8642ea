package money

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
)

// Reconciliation is what one reconciliation did with the events Stripe
// listed; Seen is the sum of the other counts.
type Reconciliation struct {
	// Seen is how many events Stripe listed.
	Seen int `json:"seen"`
	// Applied is how many were new and are now recorded with their effect.
	Applied int `json:"applied"`
	// AlreadyProcessed had been recorded before (their webhook arrived, or
	// an earlier or concurrent reconciliation applied them).
	AlreadyProcessed int `json:"already_processed"`
	// NotReady are about a payment not recorded yet (ErrEventNotReady):
	// nothing was recorded, a later run applies them.
	NotReady int `json:"not_ready"`
	// Malformed could not be read (payments.ErrMalformedEvent); they are
	// logged and skipped, as their webhook would be refused.
	Malformed int `json:"malformed"`
	// Failed could not be applied for another reason (the database); a
	// later run tries them again.
	Failed int `json:"failed"`

	// retryFrom is when the oldest event left not ready or failed was
	// created: where the next periodic run must look back to.
	retryFrom time.Time
}

// Reconcile applies, oldest first, every Stripe event created at or after
// since that Reglo has not processed, through the same code as the webhook
// (payments.DecodeEvent, then ApplyStripeEvent), so a webhook Stripe never
// delivered changes nothing in the end. It is safe to run in any number of
// processes at once: ApplyStripeEvent records each event id once.
//
// One event that cannot be read or applied does not stop the others; the
// error returned says the list could not be had from Stripe, or the run was
// cancelled. When mail is set, the receipt of a payment applied here is
// sent as the webhook sends it.
func (s *Service) Reconcile(ctx context.Context, since time.Time, mail notify.Mailer) (Reconciliation, error) {
	if !s.CardEnabled() {
		return Reconciliation{}, payments.ErrNotConfigured
	}
	listed, err := s.stripe.ListEvents(ctx, since)
	if err != nil {
		return Reconciliation{}, fmt.Errorf("reconcile: %w", err)
	}
	known, err := s.processedEvents(ctx, listed)
	if err != nil {
		return Reconciliation{Seen: len(listed)}, fmt.Errorf("reconcile: %w", err)
	}
	return s.replay(ctx, listed, known, mail, s.ApplyStripeEvent)
}

// applyFunc applies one event: ApplyStripeEvent, or a test's stand-in.
type applyFunc func(context.Context, payments.Event) (applied bool, err error)

// replay applies the listed events in order, but those known to be
// processed already, and counts what became of each.
func (s *Service) replay(ctx context.Context, listed []payments.ListedEvent, known map[string]bool, mail notify.Mailer, apply applyFunc) (Reconciliation, error) {
	r := Reconciliation{Seen: len(listed)}
	log := s.core.Log
	for _, l := range listed {
		ev := l.Event
		switch {
		case l.Err != nil:
			// The error names the event and the field it lacks, never
			// the debtor's data.
			r.Malformed++
			log.ErrorContext(ctx, "stripe event not readable", "event_id", ev.ID, "type", ev.Type, "error", l.Err.Error())
			continue
		case known[ev.ID]:
			r.AlreadyProcessed++
			continue
		}
		applied, err := apply(ctx, ev)
		switch {
		case ctx.Err() != nil:
			return r, ctx.Err()
		case errors.Is(err, ErrEventNotReady):
			r.NotReady++
			r.retry(ev)
			log.InfoContext(ctx, "stripe event not ready", "event_id", ev.ID, "type", ev.Type)
			continue
		case err != nil:
			r.Failed++
			r.retry(ev)
			log.ErrorContext(ctx, "stripe event not applied", "event_id", ev.ID, "type", ev.Type, "error", err.Error())
			continue
		case !applied:
			r.AlreadyProcessed++
			continue
		}
		r.Applied++
		log.InfoContext(ctx, "stripe event reconciled", "event_id", ev.ID, "type", ev.Type)
		if mail != nil && ev.CaseID != 0 && (ev.Kind == payments.KindCheckoutPaid || ev.Kind == payments.KindPaymentSucceeded) {
			if err := s.SendReceipts(ctx, ev.CaseID, mail); err != nil {
				log.WarnContext(ctx, "receipt not sent", "event_id", ev.ID, "error", err.Error())
			}
		}
	}
	return r, nil
}

func (r *Reconciliation) retry(ev payments.Event) {
	if r.retryFrom.IsZero() || ev.Created.Before(r.retryFrom) {
		r.retryFrom = ev.Created
	}
}

// processedEvents tells which of the listed events are recorded already, a
// few hundred ids a query, so a three-day sweep over events whose webhooks
// all arrived costs a handful of queries.
func (s *Service) processedEvents(ctx context.Context, listed []payments.ListedEvent) (map[string]bool, error) {
	const chunk = 500
	known := make(map[string]bool)
	for start := 0; start < len(listed); start += chunk {
		ids := make([]string, 0, chunk)
		for _, l := range listed[start:min(start+chunk, len(listed))] {
			if l.Err == nil {
				ids = append(ids, l.Event.ID)
			}
		}
		var found []string
		if err := s.db(ctx).Model(&portal.StripeEvent{}).Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
			return nil, fmt.Errorf("processed events: %w", err)
		}
		for _, id := range found {
			known[id] = true
		}
	}
	return known, nil
}

// Reconciler runs Reconcile in every "reglo serve" process, so that an
// event whose webhook was lost (an outage, a misconfigured endpoint) is
// applied within minutes rather than never.
//
// Its first run looks back Window (three days: as long as Stripe retries a
// webhook, so nothing Stripe may still be trying to deliver is missed after
// a restart). Later runs look back only to the start of the last successful
// run minus Margin (for Stripe's clock against ours, and events that reach
// the list late), or further to the oldest event left not ready or failed,
// never beyond Window. Each process keeps that in memory; a new process
// simply sweeps the whole window once.
//
// On PostgreSQL a run first takes a session advisory lock and is skipped
// when another process holds it: that process is doing the same work. The
// lock only saves work; correctness rests on ApplyStripeEvent's unique
// event id.
type Reconciler struct {
	Service *Service
	// Mail sends the receipts of payments applied by reconciliation; nil
	// leaves them to the notifier's rounds.
	Mail notify.Mailer
	// Window is how far back the first run looks, and any run at most.
	Window time.Duration
	// Margin is how much earlier than the last run's start the next looks.
	Margin time.Duration
	// Timeout bounds one run (the listing and the applying).
	Timeout time.Duration

	// OnRound, when set, is told after each round that ran how many
	// events it applied, how long it took and its error (metrics).
	OnRound func(applied int, took time.Duration, err error)

	lastStart time.Time
	retryFrom time.Time
}

// Reconciliation defaults.
const (
	// ReconcileWindow is how far back "reglo stripe reconcile" and a
	// process's first periodic run look: Stripe retries a webhook for
	// three days.
	ReconcileWindow = 72 * time.Hour
	reconcileMargin = 10 * time.Minute
)

// NewReconciler returns a reconciler with the defaults: a three-day
// window, a ten-minute margin and four minutes per run.
func NewReconciler(svc *Service) *Reconciler {
	return &Reconciler{Service: svc, Window: ReconcileWindow, Margin: reconcileMargin, Timeout: 4 * time.Minute}
}

// Run calls RunOnce at once and then every interval until ctx is cancelled.
// Errors are logged; the next round tries again.
func (rc *Reconciler) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	log := rc.Service.core.Log
	for {
		began := time.Now()
		r, ran, err := rc.RunOnce(ctx)
		if rc.OnRound != nil && ctx.Err() == nil && (ran || err != nil) {
			rc.OnRound(r.Applied, time.Since(began), err)
		}
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("reconcile round", "error", err.Error())
		case ran && r.Applied+r.NotReady+r.Malformed+r.Failed > 0:
			log.Info("reconcile round", "seen", r.Seen, "applied", r.Applied, "not_ready", r.NotReady, "malformed", r.Malformed, "failed", r.Failed)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce runs one periodic reconciliation over the window described on
// Reconciler. ran is false when another process was reconciling and this
// round left the work to it. It must not be called concurrently on one
// Reconciler.
func (rc *Reconciler) RunOnce(ctx context.Context) (r Reconciliation, ran bool, err error) {
	svc := rc.Service
	if !svc.CardEnabled() {
		return r, false, nil
	}
	if rc.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, rc.Timeout)
		defer cancel()
	}
	unlock, ok, err := svc.lockReconcile(ctx)
	if err != nil || !ok {
		return r, false, err
	}
	defer unlock()
	start := svc.now()
	r, err = svc.Reconcile(ctx, rc.since(start), rc.Mail)
	if err != nil {
		return r, true, err
	}
	rc.lastStart, rc.retryFrom = start, r.retryFrom
	return r, true, nil
}

// since is where a run starting at now looks back to.
func (rc *Reconciler) since(now time.Time) time.Time {
	window := rc.Window
	if window <= 0 {
		window = ReconcileWindow
	}
	floor := now.Add(-window)
	if rc.lastStart.IsZero() {
		return floor
	}
	since := rc.lastStart.Add(-rc.Margin)
	if !rc.retryFrom.IsZero() && rc.retryFrom.Before(since) {
		since = rc.retryFrom
	}
	if since.Before(floor) {
		return floor
	}
	return since
}

// reconcileLock is the PostgreSQL advisory lock key of a periodic
// reconciliation ("REGLORC" in ASCII).
const reconcileLock int64 = 0x5245474c4f5243

// lockReconcile takes the reconciliation lock on PostgreSQL, on a
// connection of its own held until unlock; ok is false when another
// process holds it. SQLite has one writer and no such lock: always ok.
func (s *Service) lockReconcile(ctx context.Context) (unlock func(), ok bool, err error) {
	if s.core.Store.Dialect != migrations.Postgres {
		return func() {}, true, nil
	}
	sqlDB, err := s.core.Store.DB.DB()
	if err != nil {
		return nil, false, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("reconcile lock: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", reconcileLock).Scan(&ok); err != nil || !ok {
		conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("reconcile lock: %w", err)
		}
		return nil, false, nil
	}
	return func() {
		// A fresh context: the run's may be over, and a lock left on a
		// pooled connection would keep every other process out.
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", reconcileLock); err != nil {
			// A connection that may still hold the lock must not go
			// back to the pool: ErrBadConn from Raw closes it, which
			// ends the session and so the lock.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, true, nil
}
