package money

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
)

// Scheduler charges due plan instalments off session. It keeps no state of
// its own: the instalment row is the durable job, so any number of
// "reglo serve" processes may run one on the same PostgreSQL database.
//
// A worker claims a few due instalments in one short transaction (FOR
// UPDATE SKIP LOCKED on PostgreSQL, so two processes never claim the same
// row), marks them processing with a lease (claimed_until) and commits. It
// then charges each with the idempotency key of the instalment and its
// attempt, and records the outcome in a second transaction that applies only
// to that attempt. If the process dies between the Stripe call and that
// commit, the lease expires and another process charges the same attempt
// again: same key, so Stripe answers with the same PaymentIntent and the
// debtor is never charged twice (Stripe keeps keys 24 hours, far beyond the
// lease).
//
// A charge that succeeds, or is still processing, stays processing without
// a lease until the payment_intent webhook marks it paid (or failed). A
// decline or a request to authenticate is recorded at once: the instalment
// is failed or requires_action, the debtor gets a fresh link, declines are
// tried again after InstalmentRetryDelay, and the plan lapses after too many
// missed instalments.
type Scheduler struct {
	Service *Service
	// Workers is how many charges run at once in this process.
	Workers int
	// Batch is how many instalments a worker claims per transaction.
	// Lease must cover Batch charges of up to ChargeTimeout each.
	Batch int
	// Lease is how long a claim keeps other processes away.
	Lease time.Duration
	// ChargeTimeout bounds one call to Stripe.
	ChargeTimeout time.Duration
	// OnMissed, when set, is called after a failed charge is recorded, with
	// the link to send to the debtor.
	OnMissed func(ctx context.Context, m MissedInstalment)
	// OnRound, when set, is told after each round how many instalments it
	// charged, how long it took and its error (metrics).
	OnRound func(charged int, took time.Duration, err error)
}

// NewScheduler returns a scheduler with defaults fit for production: four
// workers claiming five instalments at a time, a five-minute lease and 30
// seconds per Stripe call (5 x 30 s is well within the lease).
func NewScheduler(svc *Service) *Scheduler {
	return &Scheduler{Service: svc, Workers: 4, Batch: 5, Lease: 5 * time.Minute, ChargeTimeout: 30 * time.Second}
}

// Run calls RunOnce at once and then every interval until ctx is cancelled.
// Errors are logged; the next round tries again.
func (sc *Scheduler) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		began := time.Now()
		n, err := sc.RunOnce(ctx)
		if sc.OnRound != nil && ctx.Err() == nil {
			sc.OnRound(n, time.Since(began), err)
		}
		switch {
		case err != nil && ctx.Err() == nil:
			sc.Service.core.Log.Error("scheduler round", "err", err, "charged", n)
		case n > 0:
			sc.Service.core.Log.Info("scheduler round", "charged", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// chargeJob is a claimed instalment with what its charge needs.
type chargeJob struct {
	ID              int64
	PlanID          int64
	CaseID          int64
	AmountCents     int64
	Attempts        int
	Currency        string
	CustomerID      string
	PaymentMethodID string
}

// RunOnce charges every instalment due now, claiming in batches until none
// is left, and returns how many charges it sent to Stripe and recorded the
// outcome of (declines included). Instalments of cases that are not
// plan_active (a dispute pauses collection) are left as they are. Without
// Stripe configured it does nothing.
func (sc *Scheduler) RunOnce(ctx context.Context) (int, error) {
	svc := sc.Service
	if !svc.CardEnabled() {
		return 0, nil
	}
	var zones []string
	if err := svc.db(ctx).Model(&portal.Creditor{}).Distinct("time_zone").Pluck("time_zone", &zones).Error; err != nil {
		return 0, fmt.Errorf("scheduler: time zones: %w", err)
	}
	workers := max(sc.Workers, 1)
	var (
		mu      sync.Mutex
		charged int
		errs    []error
		wg      sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if len(errs) < 10 {
			errs = append(errs, err)
		}
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, zone := range zones {
				for ctx.Err() == nil {
					jobs, err := sc.claim(ctx, zone)
					if err != nil {
						fail(err)
						return
					}
					if len(jobs) == 0 {
						break
					}
					for _, j := range jobs {
						if err := sc.charge(ctx, j); err != nil {
							fail(err)
							continue
						}
						mu.Lock()
						charged++
						mu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return charged, err
	}
	return charged, errors.Join(errs...)
}

// claim takes up to Batch due instalments of creditors in zone and leases
// them to this process.
func (sc *Scheduler) claim(ctx context.Context, zone string) ([]chargeJob, error) {
	svc := sc.Service
	now := svc.now()
	today := portal.Date{Time: svc.core.CreditorToday(portal.Creditor{TimeZone: zone})}
	lease := sc.Lease
	if lease <= 0 {
		lease = 5 * time.Minute
	}
	var jobs []chargeJob
	err := svc.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&portal.Instalment{}).
			Where("(instalments.status = ? AND instalments.due_on <= ?) OR (instalments.status IN ? AND instalments.next_attempt_at <= ?) OR (instalments.status = ? AND instalments.claimed_until < ?)",
				portal.InstalmentScheduled, today, []string{portal.InstalmentFailed, portal.InstalmentRequiresAction}, now, portal.InstalmentProcessing, now).
			Where("EXISTS (SELECT 1 FROM plans WHERE plans.id = instalments.plan_id AND plans.status = ? AND plans.stripe_payment_method_id <> '')", portal.PlanStatusActive).
			Where("EXISTS (SELECT 1 FROM cases JOIN creditors ON creditors.id = cases.creditor_id WHERE cases.id = instalments.case_id AND cases.status = ? AND creditors.time_zone = ?)",
				portal.StatusPlanActive, zone).
			Order("instalments.due_on, instalments.id").Limit(max(sc.Batch, 1))
		if svc.core.Store.Dialect == migrations.Postgres {
			// Rows another process holds are skipped, not waited for: two
			// schedulers share the work instead of queueing on it.
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var ids []int64
		if err := q.Pluck("instalments.id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if err := tx.Model(&portal.Instalment{}).Where("id IN ?", ids).Updates(map[string]any{"status": portal.InstalmentProcessing,
			"claimed_until": now.Add(lease), "updated_at": now}).Error; err != nil {
			return err
		}
		return tx.Table("instalments").
			Select(`instalments.id, instalments.plan_id, instalments.case_id, instalments.amount_cents, instalments.attempts,
				cases.currency, COALESCE(NULLIF(plans.stripe_customer_id, ''), cases.stripe_customer_id) AS customer_id,
				plans.stripe_payment_method_id AS payment_method_id`).
			Joins("JOIN plans ON plans.id = instalments.plan_id").
			Joins("JOIN cases ON cases.id = instalments.case_id").
			Where("instalments.id IN ?", ids).Order("instalments.id").Scan(&jobs).Error
	})
	if err != nil {
		return nil, fmt.Errorf("scheduler: claim: %w", err)
	}
	return jobs, nil
}

// charge sends one claimed instalment to Stripe and records the outcome.
// An error from Stripe means the outcome is unknown: the claim is kept and
// its lease expiry brings the same attempt back, with the same key.
func (sc *Scheduler) charge(ctx context.Context, j chargeJob) error {
	svc := sc.Service
	timeout := sc.ChargeTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	res, err := svc.stripe.ChargeOffSession(cctx, payments.OffSessionCharge{
		CaseID: j.CaseID, PlanID: j.PlanID, InstalmentID: j.ID, AmountCents: j.AmountCents, Currency: j.Currency,
		CustomerID: j.CustomerID, PaymentMethodID: j.PaymentMethodID,
		IdempotencyKey: payments.InstalmentKey(j.ID, j.Attempts+1),
	})
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Best effort, for the agents' view; the lease does the retrying.
		_ = svc.db(ctx).Model(&portal.Instalment{}).Where("id = ? AND status = ? AND attempts = ?", j.ID, portal.InstalmentProcessing, j.Attempts).
			Updates(map[string]any{"last_error": truncate(err.Error(), 200)}).Error
		return fmt.Errorf("charge instalment %d: %w", j.ID, err)
	}
	var missed *MissedInstalment
	now := svc.now()
	err = svc.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		switch res.Outcome {
		case payments.OutcomeSucceeded, payments.OutcomeProcessing:
			// Paid for real only when payment_intent.succeeded lands.
			r := tx.Model(&portal.Instalment{}).Where("id = ? AND status = ? AND attempts = ? AND claimed_until IS NOT NULL", j.ID, portal.InstalmentProcessing, j.Attempts).
				Updates(map[string]any{"claimed_until": nil, "payment_intent_id": res.PaymentIntentID, "last_error": "", "updated_at": now})
			if r.Error != nil || r.RowsAffected == 0 {
				return r.Error
			}
			return portal.Record(tx, now, j.CaseID, portal.EventInstalmentCharged, portal.SystemActor, map[string]any{"instalment_id": j.ID,
				"amount_cents": j.AmountCents, "payment_intent_id": res.PaymentIntentID, "outcome": res.Outcome, "attempt": j.Attempts + 1})
		default:
			var c portal.Case
			if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&c, j.CaseID).Error; err != nil {
				return err
			}
			var in portal.Instalment
			if err := tx.Take(&in, j.ID).Error; err != nil {
				return err
			}
			if in.Attempts != j.Attempts {
				return nil // recorded by another process whose lease we took over
			}
			var err error
			missed, err = svc.recordMiss(tx, c, in, missInput{outcome: res.Outcome, code: res.DeclineCode, paymentIntentID: res.PaymentIntentID})
			return err
		}
	})
	if err != nil {
		return fmt.Errorf("record charge of instalment %d: %w", j.ID, err)
	}
	if missed != nil && sc.OnMissed != nil {
		sc.OnMissed(ctx, *missed)
	}
	return nil
}
