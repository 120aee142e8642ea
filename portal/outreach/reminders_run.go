package outreach

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/notify"
)

// Reminders sends the steps of every case's reminder scenario. Each step
// is a durable row (outreach_messages) claimed by one process with a lease:
// the claim checks every rule (stop rules, conditions, opt-outs, quiet
// hours, the cap) and creates the message's fresh link and stop token in
// one transaction, commits, and only then calls the provider. A process
// that dies while the provider has the message leaves a row whose lease
// runs out: it becomes "uncertain" and is never sent again, so a step
// reaches a debtor at most once. A provider error is retried with backoff.
type Reminders struct {
	Service *Service
	Senders notify.Senders
	// Lease is how long a claim lasts; default 5 minutes (a send is
	// bounded by SendTimeout, well within it).
	Lease       time.Duration
	SendTimeout time.Duration
	// Batch bounds the rows one round looks at; default 200.
	Batch int
	// LinkTTL is how long a reminder's link lives; default 30 days.
	LinkTTL time.Duration
	// MaxAttempts is how many provider errors fail a message; default 5.
	MaxAttempts int
	// StoppedRecheck is how soon a case whose reminders wait on the
	// debtor's choice (a promise, a plan, a contest) is looked at again;
	// default an hour.
	StoppedRecheck time.Duration
}

// Round is what one RunOnce did.
type Round struct {
	Planned  int64
	Sent     int
	Failed   int
	Deferred map[string]int
	Skipped  map[string]int
}

// job is a claimed message with what sending it needs.
type job struct {
	msg       Message
	address   string
	language  string
	data      map[string]any
	linkID    int64
	stopToken string
}

// RunOnce plans first steps for new open cases, settles claims whose lease
// ran out, and sends what is due now. Safe to run often and in several
// processes.
func (r *Reminders) RunOnce(ctx context.Context) (Round, error) {
	round := Round{Deferred: map[string]int{}, Skipped: map[string]int{}}
	svc := r.Service
	n, err := svc.planFirstSteps(ctx)
	if err != nil {
		return round, fmt.Errorf("plan reminders: %w", err)
	}
	round.Planned = n
	notices, err := svc.planInstalmentNotices(ctx)
	if err != nil {
		return round, fmt.Errorf("plan instalment notices: %w", err)
	}
	round.Planned += notices
	if err := r.settleExpired(ctx); err != nil {
		return round, err
	}
	batch := r.Batch
	if batch <= 0 {
		batch = 200
	}
	var errs []error
	for range batch {
		j, outcome, err := r.claimNext(ctx)
		if errors.Is(err, errNoRow) {
			break
		}
		if err != nil {
			return round, fmt.Errorf("claim reminder: %w", err)
		}
		switch {
		case j == nil && strings.HasPrefix(outcome, "skip:"):
			round.Skipped[strings.TrimPrefix(outcome, "skip:")]++
			continue
		case j == nil:
			round.Deferred[outcome]++
			continue
		}
		if err := r.deliver(ctx, *j); err != nil {
			round.Failed++
			errs = append(errs, err)
			continue
		}
		round.Sent++
	}
	return round, errors.Join(errs...)
}

// Run calls RunOnce every interval until ctx ends.
func (r *Reminders) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := r.RunOnce(ctx); err != nil && ctx.Err() == nil {
			r.Service.core.Log.ErrorContext(ctx, "reminder round", slog.String("error", err.Error()))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// settleExpired marks uncertain the messages whose process died while the
// provider had them, and plans the next step.
func (r *Reminders) settleExpired(ctx context.Context) error {
	svc := r.Service
	now := svc.now()
	return svc.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		var ms []Message
		q := tx.Where("state = ? AND claimed_until < ?", StateSending, now).Limit(100)
		if svc.core.Store.Dialect == migrations.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&ms).Error; err != nil {
			return err
		}
		for _, m := range ms {
			if err := tx.Model(&Message{}).Where("id = ? AND state = ?", m.ID, StateSending).
				Updates(map[string]any{"state": StateUncertain, "claimed_until": nil, "outcome": "lease_expired", "updated_at": now}).Error; err != nil {
				return err
			}
			if err := portal.Record(tx, now, m.CaseID, portal.EventReminderFailed, portal.SystemActor, map[string]any{
				"message_id": m.ID, "step": m.Step + 1, "channel": m.Channel, "outcome": "uncertain"}); err != nil {
				return err
			}
			if m.Reason == ReasonReminder {
				if err := planNext(tx, m, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// claimNext takes the oldest due planned reminder and decides its fate in
// one transaction: a job to send (claimed), or outcome names why it waits
// ("quiet_hours", "cap", ...) or was skipped ("skip:opted_out", ...).
func (r *Reminders) claimNext(ctx context.Context) (*job, string, error) {
	svc := r.Service
	now := svc.now()
	var (
		out     *job
		outcome string
	)
	err := svc.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		var m Message
		q := tx.Where("reason IN ? AND state = ? AND due_at <= ?", []string{ReasonReminder, ReasonInstalmentNotice, ReasonPromiseReminder, ReasonInstalmentMissed}, StatePlanned, now).Order("due_at, id")
		if svc.core.Store.Dialect == migrations.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Take(&m).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return errNoRow
		} else if err != nil {
			return err
		}
		var c portal.Case
		if err := tx.Take(&c, m.CaseID).Error; err != nil {
			return err
		}
		if err := lockDebtor(tx, svc.core.Store.Dialect, c); err != nil {
			return err
		}
		decide := r.decide
		switch m.Reason {
		case ReasonInstalmentNotice:
			decide = r.decideNotice
		case ReasonPromiseReminder:
			decide = r.decidePromise
		case ReasonInstalmentMissed:
			decide = r.decideMissed
		}
		d, err := decide(tx, m, c, now)
		if err != nil {
			return err
		}
		outcome = d.outcome
		switch d.kind {
		case decideWait:
			return tx.Model(&Message{}).Where("id = ?", m.ID).Updates(map[string]any{"due_at": d.until, "outcome": d.outcome, "updated_at": now}).Error
		case decideEnd:
			if err := tx.Model(&Message{}).Where("id = ?", m.ID).Updates(map[string]any{"state": d.state, "outcome": d.outcome, "channel": d.step.Channel,
				"template": d.step.Template, "updated_at": now}).Error; err != nil {
				return err
			}
			if d.state == StateSuppressed {
				outcome = "skip:" + d.outcome
				if err := portal.Record(tx, now, m.CaseID, portal.EventReminderSkipped, portal.SystemActor, map[string]any{
					"message_id": m.ID, "step": m.Step + 1, "channel": d.step.Channel, "reason": d.outcome}); err != nil {
					return err
				}
				if m.Reason != ReasonReminder {
					return nil
				}
				return planNext(tx, m, now)
			}
			outcome = "skip:" + d.outcome
			return nil
		}
		j, err := r.claim(tx, m, c, d, now)
		out = j
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return out, outcome, nil
}

type decision struct {
	kind    int
	until   time.Time
	state   string
	outcome string
	step    Step
	sc      Scenario
	address string
	// extra is more of what the message says (an instalment's date).
	extra map[string]any
}

const (
	decideSend = iota
	decideWait
	decideEnd
)

// decide applies every rule to a due message, in order: the case's state,
// the scenario, the step's time, its conditions, the channel, quiet hours
// and the cap.
func (r *Reminders) decide(tx *gorm.DB, m Message, c portal.Case, now time.Time) (decision, error) {
	b, err := portal.BalanceTx(tx, c.ID)
	if err != nil {
		return decision{}, err
	}
	stoppedRecheck := r.StoppedRecheck
	if stoppedRecheck <= 0 {
		stoppedRecheck = time.Hour
	}
	balance := b.Cents()
	reason, final, err := stopReason(tx, c, balance)
	if err != nil {
		return decision{}, err
	}
	if final {
		return decision{kind: decideEnd, state: StateCancelled, outcome: reason}, nil
	}
	if reason != "" {
		return decision{kind: decideWait, until: now.Add(stoppedRecheck), outcome: reason}, nil
	}
	sc, err := r.Service.scenarioTx(tx, c.CreditorID, kindOf(c.DebtorKind))
	if err != nil {
		return decision{}, err
	}
	if m.Step >= len(sc.Steps) {
		// The scenario ran its course (a creditor who adds steps later
		// reaches the cases that have not reached the end yet).
		return decision{kind: decideEnd, state: StateCancelled, outcome: "scenario_ended"}, nil
	}
	st := sc.Steps[m.Step]
	d := decision{step: st, sc: sc}
	due, ok, err := oldestUnpaidDue(tx, c.ID, balance)
	if err != nil {
		return d, err
	}
	if !ok {
		return decision{kind: decideWait, until: now.Add(stoppedRecheck), outcome: "nothing_owed"}, nil
	}
	at := stepTime(sc, due, st)
	var last Message
	err = tx.Where("case_id = ? AND reason = ? AND state IN ?", c.ID, ReasonReminder, countedStates).Order("sent_at DESC").Take(&last).Error
	if err == nil && last.SentAt != nil && last.SentAt.Add(minStepGap).After(at) {
		at = last.SentAt.Add(minStepGap)
	} else if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return d, err
	}
	if at.After(now) {
		d.kind, d.until, d.outcome = decideWait, at, "not_due"
		return d, nil
	}
	end := func(why string) (decision, error) {
		d.kind, d.state, d.outcome = decideEnd, StateSuppressed, why
		return d, nil
	}
	if st.MinBalanceCents != nil && balance < *st.MinBalanceCents {
		return end("below_min_balance")
	}
	if st.OnlyIfNoContact {
		var opened int64
		if err := tx.Model(&portal.Link{}).Where("case_id = ? AND last_opened_at IS NOT NULL", c.ID).Count(&opened).Error; err != nil {
			return d, err
		}
		if opened > 0 {
			return end("contact_made")
		}
	}
	d.address = c.DebtorEmail
	if st.Channel == ChannelSMS {
		d.address = c.DebtorPhone
	}
	if AddressHash(st.Channel, d.address) == "" {
		return end("no_address")
	}
	if (st.Channel == ChannelEmail && r.Senders.Mail == nil) || (st.Channel == ChannelSMS && r.Senders.SMS == nil) {
		return end("channel_not_configured")
	}
	if out, err := optedOut(tx, st.Channel, d.address); err != nil || out {
		if err != nil {
			return d, err
		}
		return end("opted_out")
	}
	if !sc.Allowed(now) {
		d.kind, d.until, d.outcome = decideWait, sc.NextAllowed(now), "quiet_hours"
		return d, nil
	}
	sent, err := sentSince(tx, c, now.Add(-7*24*time.Hour))
	if err != nil {
		return d, err
	}
	if free := capFreeAt(sent, now, sc.MaxPer7Days); free.After(now) {
		d.kind, d.until, d.outcome = decideWait, sc.NextAllowed(free), "cap"
		return d, nil
	}
	d.kind = decideSend
	return d, nil
}

// claim leases the message, creates its fresh link and stop token, and
// gathers what the message says.
func (r *Reminders) claim(tx *gorm.DB, m Message, c portal.Case, d decision, now time.Time) (*job, error) {
	core := r.Service.core
	lease := r.Lease
	if lease <= 0 {
		lease = 5 * time.Minute
	}
	ttl := r.LinkTTL
	if ttl <= 0 {
		ttl = 30 * 24 * time.Hour
	}
	var cr portal.Creditor
	if err := tx.Take(&cr, c.CreditorID).Error; err != nil {
		return nil, err
	}
	var org portal.Organisation
	if err := tx.Take(&org, cr.OrganisationID).Error; err != nil {
		return nil, err
	}
	// The one who writes: the collection agency when one acts (the
	// message then also ends with its legal identity), else the
	// organisation running the portal.
	sender := org.Name
	if core.Collector.Agency() {
		sender = core.Collector.Name
	}
	token := portal.RandomToken()
	link := portal.Link{CaseID: c.ID, TokenHash: portal.HashToken(token), Channel: d.step.Channel, Purpose: "case", ExpiresAt: now.Add(ttl), CreatedAt: now}
	if err := tx.Create(&link).Error; err != nil {
		return nil, err
	}
	if err := portal.Record(tx, now, c.ID, portal.EventLinkCreated, portal.SystemActor, map[string]any{"link_id": link.ID, "channel": link.Channel, "expires_at": link.ExpiresAt}); err != nil {
		return nil, err
	}
	stop := portal.RandomToken()
	stopHash := portal.HashToken(stop)
	res := tx.Model(&Message{}).Where("id = ? AND state = ?", m.ID, StatePlanned).Updates(map[string]any{
		"state": StateSending, "channel": d.step.Channel, "template": d.step.Template, "attempts": m.Attempts + 1,
		"claimed_until": now.Add(lease), "sent_at": now, "recipient_hash": AddressHash(d.step.Channel, d.address),
		"link_id": link.ID, "unsubscribe_hash": stopHash, "outcome": "", "updated_at": now})
	if res.Error != nil {
		return nil, res.Error
	}
	m.Attempts++
	m.Channel, m.Template = d.step.Channel, d.step.Template
	base := strings.TrimRight(core.BaseURL, "/")
	data := map[string]any{
		"Creditor":  cr.Name,
		"Sender":    sender,
		"Reference": c.Reference,
		"FirstName": firstName(c.DebtorName),
		"Day":       portal.DateOf(now.In(portal.Zone(d.sc.TimeZone))).Time,
		"After":     portal.DateOf(now.In(portal.Zone(d.sc.TimeZone))).AddDate(0, 0, lastNoticeDays),
		"URL":       base + "/l/" + token,
		"StopURL":   base + "/u/" + stop,
		"VerifyURL": base + "/verify",
	}
	for k, v := range d.extra {
		data[k] = v
	}
	return &job{msg: m, address: d.address, language: c.DebtorLanguage, data: data, linkID: link.ID, stopToken: stop}, nil
}

// lastNoticeDays is how long the last amicable message leaves before
// the creditor may go to court: the date it names.
const lastNoticeDays = 15

// firstName is the first word of a debtor's name: the only personal
// detail an SMS may carry.
func firstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// deliver writes and sends a claimed message, then records the outcome.
// No transaction is open during the provider call.
func (r *Reminders) deliver(ctx context.Context, j job) error {
	svc := r.Service
	kind := "reminder_" + j.msg.Template
	if j.msg.Reason == ReasonPromiseReminder || j.msg.Reason == ReasonInstalmentMissed {
		kind = j.msg.Reason
	}
	msg, err := svc.core.WriteMessage(j.language, kind, j.data)
	if err == nil {
		timeout := r.SendTimeout
		if timeout <= 0 {
			timeout = 30 * time.Second
		}
		sctx, cancel := context.WithTimeout(ctx, timeout)
		if j.msg.Channel == ChannelEmail {
			stop := j.data["StopURL"].(string)
			err = r.Senders.Mail.SendEmail(sctx, notify.Email{To: j.address, Subject: msg.Subject, Text: msg.Text,
				Headers: map[string]string{"List-Unsubscribe": "<" + stop + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}})
		} else {
			err = r.Senders.SMS.SendSMS(sctx, portal.SmsNumber(j.address), msg.SMS)
		}
		cancel()
	}
	now := svc.now()
	if err == nil {
		return svc.core.Store.Tx(ctx, func(tx *gorm.DB) error {
			res := tx.Model(&Message{}).Where("id = ? AND state = ? AND attempts = ?", j.msg.ID, StateSending, j.msg.Attempts).
				Updates(map[string]any{"state": StateSent, "claimed_until": nil, "outcome": "sent", "updated_at": now})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error // settled as uncertain meanwhile: nothing more to do
			}
			if err := portal.Record(tx, now, j.msg.CaseID, portal.EventReminderSent, portal.SystemActor, map[string]any{
				"message_id": j.msg.ID, "step": j.msg.Step + 1, "channel": j.msg.Channel, "template": j.msg.Template, "link_id": j.linkID, "reason": j.msg.Reason}); err != nil {
				return err
			}
			if j.msg.Reason != ReasonReminder {
				return nil
			}
			return planNext(tx, j.msg, now)
		})
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the lease settles it
	}
	svc.core.Log.ErrorContext(ctx, "reminder not sent", slog.Int64("case_id", j.msg.CaseID), slog.Int64("message_id", j.msg.ID),
		slog.String("channel", j.msg.Channel), slog.String("error", err.Error()))
	maxAttempts := r.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = 5
	}
	txErr := svc.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		// The message did not go: its link never reached anyone.
		if err := tx.Model(&portal.Link{}).Where("id = ?", j.linkID).Update("revoked_at", now).Error; err != nil {
			return err
		}
		upd := map[string]any{"claimed_until": nil, "sent_at": nil, "unsubscribe_hash": nil, "outcome": "provider_error", "updated_at": now}
		final := j.msg.Attempts >= maxAttempts
		if final {
			upd["state"] = StateFailed
		} else {
			upd["state"] = StatePlanned
			upd["due_at"] = now.Add(backoff(j.msg.Attempts))
		}
		res := tx.Model(&Message{}).Where("id = ? AND state = ? AND attempts = ?", j.msg.ID, StateSending, j.msg.Attempts).Updates(upd)
		if res.Error != nil || res.RowsAffected == 0 || !final {
			return res.Error
		}
		if err := portal.Record(tx, now, j.msg.CaseID, portal.EventReminderFailed, portal.SystemActor, map[string]any{
			"message_id": j.msg.ID, "step": j.msg.Step + 1, "channel": j.msg.Channel, "outcome": "failed", "attempts": j.msg.Attempts}); err != nil {
			return err
		}
		if j.msg.Reason != ReasonReminder {
			return nil
		}
		return planNext(tx, j.msg, now)
	})
	return errors.Join(fmt.Errorf("send reminder %d: %w", j.msg.ID, err), txErr)
}

// backoff is the wait after the n-th provider error: 1, 5, 30 minutes,
// then 2 hours.
func backoff(n int) time.Duration {
	switch n {
	case 1:
		return time.Minute
	case 2:
		return 5 * time.Minute
	case 3:
		return 30 * time.Minute
	}
	return 2 * time.Hour
}

// decideNotice applies the rules to the notice before an instalment: the
// plan still active and the instalment still to come, the creditor's
// notice days, a reachable channel (email, else SMS) not opted out, quiet
// hours and the cap. A notice that cannot go before the instalment's day
// is dropped.
func (r *Reminders) decideNotice(tx *gorm.DB, m Message, c portal.Case, now time.Time) (decision, error) {
	var in portal.Instalment
	if err := tx.Take(&in, m.Step).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return decision{kind: decideEnd, state: StateCancelled, outcome: "instalment_settled"}, nil
		}
		return decision{}, err
	}
	var plan portal.Plan
	if err := tx.Take(&plan, in.PlanID).Error; err != nil {
		return decision{}, err
	}
	if in.Status != portal.InstalmentScheduled || plan.Status != portal.PlanStatusActive || c.Status != portal.StatusPlanActive {
		return decision{kind: decideEnd, state: StateCancelled, outcome: "instalment_settled"}, nil
	}
	sc, err := r.Service.scenarioTx(tx, c.CreditorID, kindOf(c.DebtorKind))
	if err != nil {
		return decision{}, err
	}
	loc := portal.Zone(sc.TimeZone)
	y, mo, dd := in.DueOn.Time.Date()
	dueDay := time.Date(y, mo, dd, 0, 0, 0, 0, loc)
	d := decision{sc: sc, step: Step{Template: "instalment_notice"}, extra: map[string]any{"DueOn": in.DueOn.Time}}
	skip := func(state, why string) (decision, error) {
		d.kind, d.state, d.outcome = decideEnd, state, why
		return d, nil
	}
	days := sc.NoticeDays()
	if days == 0 {
		return skip(StateCancelled, "scenario_ended")
	}
	if at := dueDay.AddDate(0, 0, -days).UTC(); at.After(now) {
		d.kind, d.until, d.outcome = decideWait, at, "not_due"
		return d, nil
	}
	if !now.Before(dueDay) {
		return skip(StateCancelled, "too_late")
	}
	return r.beforeDay(tx, c, now, dueDay, d)
}

// decidePromise applies the rules to a promise reminder that quiet hours or
// the cap held back when it came due: it still goes only while the promise
// is open and before its day.
func (r *Reminders) decidePromise(tx *gorm.DB, m Message, c portal.Case, now time.Time) (decision, error) {
	var p choices.Promise
	err := tx.Take(&p, m.Step).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || err == nil && (p.Status != choices.PromiseOpen || c.Status != portal.StatusPromised) {
		return decision{kind: decideEnd, state: StateCancelled, outcome: "case_" + string(c.Status)}, nil
	}
	if err != nil {
		return decision{}, err
	}
	return r.decideHeld(tx, c, now, "promise_reminder", p.DueOn, map[string]any{"Day": p.DueOn.Time})
}

// decideMissed applies the rules to the link after a missed instalment
// that quiet hours or the cap held back: it still goes while the
// instalment waits for the debtor, within 7 days.
func (r *Reminders) decideMissed(tx *gorm.DB, m Message, c portal.Case, now time.Time) (decision, error) {
	var in portal.Instalment
	err := tx.Take(&in, m.Step).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || err == nil && ((in.Status != portal.InstalmentFailed && in.Status != portal.InstalmentRequiresAction) || c.Status != portal.StatusPlanActive) {
		return decision{kind: decideEnd, state: StateCancelled, outcome: "instalment_settled"}, nil
	}
	if err != nil {
		return decision{}, err
	}
	return r.decideHeld(tx, c, now, "instalment_missed", portal.DateOf(m.CreatedAt.AddDate(0, 0, 7)), nil)
}

// decideHeld is the common part of held notices: email, else SMS, not opted
// out, within quiet hours and the cap, before the day until (else dropped).
func (r *Reminders) decideHeld(tx *gorm.DB, c portal.Case, now time.Time, template string, until portal.Date, extra map[string]any) (decision, error) {
	sc, err := r.Service.scenarioTx(tx, c.CreditorID, kindOf(c.DebtorKind))
	if err != nil {
		return decision{}, err
	}
	y, mo, dd := until.Time.Date()
	dueDay := time.Date(y, mo, dd, 0, 0, 0, 0, portal.Zone(sc.TimeZone))
	d := decision{sc: sc, step: Step{Template: template}, extra: extra}
	skip := func(state, why string) (decision, error) {
		d.kind, d.state, d.outcome = decideEnd, state, why
		return d, nil
	}
	if !now.Before(dueDay) {
		return skip(StateSuppressed, "too_late")
	}
	return r.beforeDay(tx, c, now, dueDay, d)
}

// beforeDay finishes the decision on a message that is pointless from
// dueDay on (an instalment notice, a held promise reminder or link): the
// first channel not opted out (email, then SMS), then quiet hours and the
// cap, waiting while it can still go before dueDay, suppressed otherwise.
func (r *Reminders) beforeDay(tx *gorm.DB, c portal.Case, now, dueDay time.Time, d decision) (decision, error) {
	sc := d.sc
	skip := func(state, why string) (decision, error) {
		d.kind, d.state, d.outcome = decideEnd, state, why
		return d, nil
	}
	for _, ch := range []struct{ channel, addr string }{{ChannelEmail, c.DebtorEmail}, {ChannelSMS, c.DebtorPhone}} {
		if AddressHash(ch.channel, ch.addr) == "" || (ch.channel == ChannelEmail && r.Senders.Mail == nil) || (ch.channel == ChannelSMS && r.Senders.SMS == nil) {
			continue
		}
		out, err := optedOut(tx, ch.channel, ch.addr)
		if err != nil {
			return d, err
		}
		if !out {
			d.step.Channel, d.address = ch.channel, ch.addr
			break
		}
	}
	if d.step.Channel == "" {
		return skip(StateSuppressed, "no_channel")
	}
	wait := func(until time.Time, why string) (decision, error) {
		if !until.Before(dueDay) {
			return skip(StateSuppressed, why)
		}
		d.kind, d.until, d.outcome = decideWait, until, why
		return d, nil
	}
	if !sc.Allowed(now) {
		return wait(sc.NextAllowed(now), "quiet_hours")
	}
	sent, err := sentSince(tx, c, now.Add(-7*24*time.Hour))
	if err != nil {
		return d, err
	}
	if free := capFreeAt(sent, now, sc.MaxPer7Days); free.After(now) {
		return wait(sc.NextAllowed(free), "cap")
	}
	d.kind = decideSend
	return d, nil
}
