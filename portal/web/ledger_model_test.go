package web_test

// The ledger against a model: random sequences of Stripe events (payments
// through Checkout with or without their PaymentIntent, off-session
// instalment charges, a settlement payment, partial, full and excessive
// refunds, chargebacks opened, won and lost, other currencies, unknown
// charges, a case that does not exist, duplicates, any order) go through
// the real webhook handler, and every case's balance, status and unmatched
// money is compared with a small reference model below, which knows
// nothing of how Reglo stores them. A failing sequence is shrunk to the
// fewest events that still fail, and printed.

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
	"github.com/reglo/reglo/portal/web"
)

// The model's three cases, and a fourth that does not exist.
const (
	caseA     = iota // open, 100.00 € owed
	caseB            // open, 100.00 € owed, a settlement offer of 60.00 €
	caseC            // a plan of three instalments of 30.00 €
	caseGhost        // metadata naming no case
)

var (
	modelTotals = [3]int64{10000, 10000, 9000}
	settleOffer = int64(6000)
	instalment  = int64(3000)
)

// mPay is one payment the generator made up.
type mPay struct {
	caseIx     int
	amount     int64
	currency   string
	ref        string // "" for an object Reglo did not tag (its session always names the PaymentIntent)
	nullPI     bool   // the session's payment_intent is null; only the PaymentIntent's event names it
	settlement bool
	inst       int // 1..3 for an instalment charge, 0 otherwise
}

// mEv is one event, abstract: rendered with a fresh token for each run so
// that a shrinking run never meets an earlier run's ids.
type mEv struct {
	n      int // the event's number: one evt id per n, shared by redeliveries
	kind   string
	pay    int   // index in the payments; -1 for an unknown charge
	amount int64 // refund: cumulative amount refunded; dispute: amount
	state  string
	hint   bool   // the unknown refund names case A in its metadata
	cur    string // a refund's currency
}

type mSeq struct {
	pays []mPay
	evs  []mEv
}

func (q mSeq) String() string {
	var b strings.Builder
	for i, p := range q.pays {
		fmt.Fprintf(&b, "  pay %d: case %d, %d %s, ref %q, nullPI %v, settlement %v, instalment %d\n", i, p.caseIx, p.amount, p.currency, p.ref, p.nullPI, p.settlement, p.inst)
	}
	for _, e := range q.evs {
		fmt.Fprintf(&b, "  evt %d: %s pay %d amount %d state %q hint %v cur %q\n", e.n, e.kind, e.pay, e.amount, e.state, e.hint, e.cur)
	}
	return b.String()
}

func generate(r *rand.Rand) mSeq {
	var q mSeq
	n := 0
	add := func(e mEv) { n++; e.n = n; q.evs = append(q.evs, e) }
	addPay := func(p mPay) {
		q.pays = append(q.pays, p)
		i := len(q.pays) - 1
		if p.inst != 0 {
			add(mEv{kind: "intent", pay: i})
		} else {
			session, intent := r.IntN(5) > 0, r.IntN(5) > 0
			if p.nullPI {
				intent = true
			}
			if !session && !intent {
				session = true
			}
			if session {
				kind := "session"
				if r.IntN(4) == 0 {
					kind = "async"
				}
				add(mEv{kind: kind, pay: i})
			}
			if intent {
				add(mEv{kind: "intent", pay: i})
			}
		}
		if r.IntN(2) == 0 {
			last := 1 + r.Int64N(p.amount*3/2)
			cur := p.currency
			if r.IntN(20) == 0 {
				cur = "GBP"
			}
			if r.IntN(2) == 0 {
				add(mEv{kind: "refund", pay: i, amount: 1 + r.Int64N(last), cur: cur})
			}
			add(mEv{kind: "refund", pay: i, amount: last, cur: cur})
		}
		if r.IntN(3) == 0 {
			amount := 1 + r.Int64N(p.amount)
			add(mEv{kind: "dispute_open", pay: i, amount: amount, state: "open"})
			if r.IntN(4) > 0 {
				state := "lost"
				if r.IntN(2) == 0 {
					state = "won"
				}
				add(mEv{kind: "dispute_closed", pay: i, amount: amount, state: state})
			}
		}
	}
	for range r.IntN(4) {
		p := mPay{caseIx: caseA, amount: 500 + r.Int64N(5500), currency: "EUR", ref: fmt.Sprintf("a%d", len(q.pays))}
		if r.IntN(10) == 0 {
			p.currency = "USD"
		}
		switch r.IntN(3) {
		case 0:
			p.ref = ""
		case 1:
			p.nullPI = true
		}
		addPay(p)
	}
	if r.IntN(10) < 7 {
		addPay(mPay{caseIx: caseB, amount: settleOffer, currency: "EUR", ref: "settle", nullPI: r.IntN(3) == 0, settlement: true})
	}
	for k := 1; k <= 3; k++ {
		if r.IntN(10) < 7 {
			addPay(mPay{caseIx: caseC, amount: instalment, currency: "EUR", ref: fmt.Sprintf("inst%d", k), inst: k})
		}
	}
	if r.IntN(5) == 0 {
		addPay(mPay{caseIx: caseGhost, amount: 1000 + r.Int64N(4000), currency: "EUR", ref: "ghost"})
	}
	if r.IntN(3) == 0 {
		add(mEv{kind: "refund", pay: -1, amount: 1 + r.Int64N(5000), hint: r.IntN(2) == 0, cur: "EUR"})
	}
	if r.IntN(5) == 0 {
		add(mEv{kind: "dispute_closed", pay: -1, amount: 1 + r.Int64N(5000), state: "lost"})
	}
	r.Shuffle(len(q.evs), func(i, j int) { q.evs[i], q.evs[j] = q.evs[j], q.evs[i] })
	// Redeliveries, later in the stream.
	for i := 0; i < len(q.evs); i++ {
		if r.IntN(6) == 0 {
			at := i + 1 + r.IntN(len(q.evs)-i)
			q.evs = append(q.evs[:at], append([]mEv{q.evs[i]}, q.evs[at:]...)...)
		}
	}
	return q
}

// model is the reference: what each case should show after the events.
type model struct {
	q        mSeq
	seen     map[int]bool
	recorded []bool
	piKnown  []bool
	session  []bool
	refunds  map[int]mEv // payment (or -1-n for an unknown charge) -> the largest refund seen
	disputes map[int]mEv // payment (or -1-n) -> the furthest dispute stage seen
	foreign  map[int]int64
	ghost    map[int]int64
	instPaid [4]bool
	planOn   bool
	status   [3]portal.Status
}

func newModel(q mSeq) *model {
	m := &model{q: q, seen: map[int]bool{}, recorded: make([]bool, len(q.pays)), piKnown: make([]bool, len(q.pays)), session: make([]bool, len(q.pays)),
		refunds: map[int]mEv{}, disputes: map[int]mEv{}, foreign: map[int]int64{}, ghost: map[int]int64{}, planOn: true,
		status: [3]portal.Status{portal.StatusOpen, portal.StatusOpen, portal.StatusPlanActive}}
	return m
}

var stageRank = map[string]int{"open": 1, "won": 2, "lost": 2}

func (m *model) apply(e mEv) {
	if m.seen[e.n] {
		return
	}
	m.seen[e.n] = true
	key := e.pay
	if key < 0 {
		key = -1 - e.n
	}
	switch e.kind {
	case "session", "async":
		m.session[e.pay] = true
		if !m.q.pays[e.pay].nullPI {
			m.piKnown[e.pay] = true
		}
		m.record(e.pay)
	case "intent":
		m.piKnown[e.pay] = true
		m.record(e.pay)
	case "refund":
		if cur, ok := m.refunds[key]; !ok || e.amount > cur.amount {
			m.refunds[key] = e
		}
	case "dispute_open", "dispute_closed":
		if cur, ok := m.disputes[key]; !ok || stageRank[e.state] > stageRank[cur.state] {
			m.disputes[key] = e
		}
	}
	m.settle()
}

func (m *model) record(i int) {
	p := m.q.pays[i]
	switch {
	case p.caseIx == caseGhost:
		m.ghost[i] = p.amount
		return
	case p.currency != "EUR":
		m.foreign[i] = p.amount
		return
	case m.recorded[i]:
		return
	}
	m.recorded[i] = true
	if p.inst != 0 {
		m.instPaid[p.inst] = true
		if m.planOn && (m.instPaid[1] && m.instPaid[2] && m.instPaid[3] || m.balance(caseC) <= 0) {
			m.planOn = false
		}
	}
}

// returned is what came back of payment i, and what of it no balance may
// take (beyond what it brought in, or in another currency).
func (m *model) returned(i int) (applied, excess int64) {
	p := m.q.pays[i]
	var same int64
	for _, e := range []mEv{m.refunds[i], m.disputes[i]} {
		took := e.amount
		if e.kind == "" || e.kind != "refund" && e.state != "lost" {
			continue
		}
		if e.kind == "refund" && e.cur != p.currency {
			excess += took
			continue
		}
		same += took
	}
	applied = min(same, p.amount)
	return applied, excess + same - applied
}

// matched reports whether payment i's refunds and chargebacks can find it.
func (m *model) matched(i int) bool { return m.recorded[i] && m.piKnown[i] }

func (m *model) balance(c int) int64 {
	b := modelTotals[c]
	for i, p := range m.q.pays {
		if p.caseIx != c || !m.recorded[i] {
			continue
		}
		b -= p.amount
		var applied int64
		if m.matched(i) {
			applied, _ = m.returned(i)
		}
		b += applied
		if p.settlement && m.session[i] && applied < p.amount {
			b -= modelTotals[c] - settleOffer
		}
	}
	return b
}

func (m *model) settle() {
	for c := range m.status {
		b := m.balance(c)
		switch {
		case b <= 0 && m.status[c] != portal.StatusPaid:
			m.status[c] = portal.StatusPaid
		case b > 0 && m.status[c] == portal.StatusPaid:
			m.status[c] = portal.StatusOpen
			if c == caseC && m.planOn {
				m.status[c] = portal.StatusPlanActive
			}
		}
	}
}

// unmatched is the money held per case, and held with no case (index 3).
func (m *model) unmatched() [4]int64 {
	var u [4]int64
	for i, a := range m.foreign {
		u[m.q.pays[i].caseIx] += a
	}
	for _, a := range m.ghost {
		u[caseGhost] += a
	}
	took := func(e mEv) int64 {
		if e.kind == "refund" || e.state == "lost" {
			return e.amount
		}
		return 0
	}
	for i, p := range m.q.pays {
		if m.matched(i) {
			_, excess := m.returned(i)
			u[p.caseIx] += excess
			continue
		}
		// Unknown to Reglo (not recorded, another currency, no case, or
		// its PaymentIntent not named yet): held in full; refunds name
		// their case, chargebacks name none.
		hinted := p.caseIx
		if p.caseIx == caseGhost {
			hinted = caseGhost
		}
		if e, ok := m.refunds[i]; ok {
			u[hinted] += took(e)
		}
		if e, ok := m.disputes[i]; ok {
			u[caseGhost] += took(e)
		}
	}
	for k, e := range m.refunds {
		if k < 0 {
			if e.hint {
				u[caseA] += took(e)
			} else {
				u[caseGhost] += took(e)
			}
		}
	}
	for k, e := range m.disputes {
		if k < 0 {
			u[caseGhost] += took(e)
		}
	}
	return u
}

// ledgerRig runs sequences against one database.
type ledgerRig struct {
	t   *testing.T
	k   *testkit.Kit
	srv *web.Server
	cr  portal.Creditor
	run atomic.Int64
}

func (g *ledgerRig) post(payload []byte) int {
	e := &moneyEnv{Kit: g.k, t: g.t, srv: g.srv}
	return e.post(payload)
}

// runSeq plays q on fresh cases and returns what differs from the model.
func (g *ledgerRig) runSeq(q mSeq) string {
	run := g.run.Add(1)
	tok := fmt.Sprintf("q%dz", run)
	store := g.k.Store
	// Errors here are the test's own: reported (t.Error is safe from any
	// goroutine) and the sequence counts as failed.
	failed := false
	must := func(err error) {
		if err != nil && !failed {
			failed = true
			g.t.Error(err)
		}
	}
	var ids [3]int64
	for c := range ids {
		var err error
		ids[c], err = g.newCase(fmt.Sprintf("M-%s-%d", tok, c), modelTotals[c])
		must(err)
	}
	now := time.Now().UTC()
	settleSession := "cs_" + tok + "_settle"
	must(store.DB.Create(&portal.CheckoutSession{CaseID: ids[caseB], StripeSessionID: settleSession, IdempotencyKey: tok + "-settle-key", URL: "https://checkout.stripe.com/x",
		AmountCents: settleOffer, Purpose: "settlement", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}).Error)
	plan := portal.Plan{CaseID: ids[caseC], Status: portal.PlanStatusActive, Frequency: "monthly", InstalmentCount: 3, TotalCents: modelTotals[caseC], CreatedAt: now, UpdatedAt: now}
	must(store.DB.Create(&plan).Error)
	var inst [4]int64
	for k := 1; k <= 3; k++ {
		in := portal.Instalment{PlanID: plan.ID, CaseID: ids[caseC], Seq: k, DueOn: portal.DateOf(now.AddDate(0, k, 0)), AmountCents: instalment, Status: portal.InstalmentScheduled, UpdatedAt: now}
		must(store.DB.Create(&in).Error)
		inst[k] = in.ID
	}
	must(store.DB.Model(&portal.Case{}).Where("id = ?", ids[caseC]).Update("status", portal.StatusPlanActive).Error)
	if failed {
		return "setting up the sequence failed"
	}

	caseOf := func(p mPay) string {
		if p.caseIx == caseGhost {
			return strconv.FormatInt(9_000_000_000_000+run, 10)
		}
		return strconv.FormatInt(ids[p.caseIx], 10)
	}
	for _, e := range q.evs {
		payload := renderEvent(tok, q, e, caseOf, inst, ids[caseA], settleSession)
		if st := g.post(payload); st != 200 {
			return fmt.Sprintf("event %d (%s): status %d", e.n, e.kind, st)
		}
	}
	m := newModel(q)
	for _, e := range q.evs {
		m.apply(e)
	}
	want := m.unmatched()
	var diffs []string
	for c := range ids {
		d, err := g.k.Core.CaseDetail(g.t.Context(), ids[c])
		if err != nil {
			return err.Error()
		}
		var held int64
		must(store.DB.Model(&portal.UnmatchedMoney{}).Where("case_id = ? AND resolved_at IS NULL", ids[c]).Select("COALESCE(SUM(amount_cents), 0)").Scan(&held).Error)
		if got := d.Balance.Cents(); got != m.balance(c) {
			diffs = append(diffs, fmt.Sprintf("case %c: balance %d, model %d", 'A'+c, got, m.balance(c)))
		}
		if d.Case.Status != m.status[c] {
			diffs = append(diffs, fmt.Sprintf("case %c: status %s, model %s", 'A'+c, d.Case.Status, m.status[c]))
		}
		if held != want[c] {
			diffs = append(diffs, fmt.Sprintf("case %c: unmatched %d, model %d", 'A'+c, held, want[c]))
		}
	}
	var held int64
	must(store.DB.Model(&portal.UnmatchedMoney{}).Where("case_id IS NULL AND resolved_at IS NULL AND money_key LIKE ?", "%"+tok+"%").
		Select("COALESCE(SUM(amount_cents), 0)").Scan(&held).Error)
	if held != want[caseGhost] {
		diffs = append(diffs, fmt.Sprintf("no case: unmatched %d, model %d", held, want[caseGhost]))
	}
	return strings.Join(diffs, "; ")
}

func renderEvent(tok string, q mSeq, e mEv, caseOf func(mPay) string, inst [4]int64, caseA int64, settleSession string) []byte {
	env := &moneyEnv{}
	evID := fmt.Sprintf("evt_%s_%d", tok, e.n)
	if e.pay < 0 {
		ch := fmt.Sprintf("ch_%s_unknown%d", tok, e.n)
		pi := fmt.Sprintf("pi_%s_unknown%d", tok, e.n)
		meta := map[string]any{}
		if e.hint {
			meta["case_id"] = strconv.FormatInt(caseA, 10)
		}
		if e.kind == "refund" {
			return env.event(evID, "charge.refunded", map[string]any{"id": ch, "object": "charge", "amount": e.amount, "amount_refunded": e.amount,
				"currency": strings.ToLower(e.cur), "payment_intent": pi, "metadata": meta})
		}
		return env.event(evID, "charge.dispute.closed", map[string]any{"id": "dp_" + ch, "object": "dispute", "amount": e.amount, "currency": "eur",
			"charge": ch, "payment_intent": pi, "status": e.state, "reason": "fraudulent"})
	}
	p := q.pays[e.pay]
	pi := fmt.Sprintf("pi_%s_%d", tok, e.pay)
	meta := map[string]any{"case_id": caseOf(p)}
	if p.ref != "" {
		meta["reglo_ref"] = tok + "-" + p.ref
	}
	if p.inst != 0 {
		meta["installment_id"] = strconv.FormatInt(inst[p.inst], 10)
	}
	cur := strings.ToLower(p.currency)
	switch e.kind {
	case "session", "async":
		session := fmt.Sprintf("cs_%s_%d", tok, e.pay)
		if p.settlement {
			session = settleSession
		}
		var intent any = pi
		if p.nullPI {
			intent = nil
		}
		typ := "checkout.session.completed"
		if e.kind == "async" {
			typ = "checkout.session.async_payment_succeeded"
		}
		return env.event(evID, typ, map[string]any{"id": session, "object": "checkout.session", "mode": "payment", "payment_status": "paid",
			"status": "complete", "amount_total": p.amount, "currency": cur, "payment_intent": intent, "metadata": meta})
	case "intent":
		return env.event(evID, "payment_intent.succeeded", map[string]any{"id": pi, "object": "payment_intent", "amount": p.amount,
			"amount_received": p.amount, "currency": cur, "status": "succeeded", "latest_charge": "ch_" + pi, "metadata": meta})
	case "refund":
		return env.event(evID, "charge.refunded", map[string]any{"id": "ch_" + pi, "object": "charge", "amount": p.amount, "amount_refunded": e.amount,
			"currency": strings.ToLower(e.cur), "payment_intent": pi, "metadata": meta})
	}
	typ := "charge.dispute.created"
	status := "needs_response"
	if e.kind == "dispute_closed" {
		typ, status = "charge.dispute.closed", e.state
	}
	return env.event(evID, typ, map[string]any{"id": "dp_" + pi, "object": "dispute", "amount": e.amount, "currency": cur,
		"charge": "ch_" + pi, "payment_intent": pi, "status": status, "reason": "fraudulent"})
}

// shrink removes events while the sequence still fails.
func (g *ledgerRig) shrink(q mSeq) (mSeq, string) {
	why := g.runSeq(q)
	for changed := true; changed; {
		changed = false
		for i := range q.evs {
			c := mSeq{pays: q.pays, evs: append(append([]mEv{}, q.evs[:i]...), q.evs[i+1:]...)}
			if w := g.runSeq(c); w != "" {
				q, why, changed = c, w, true
				break
			}
		}
	}
	return q, why
}

// newCase creates a case the way the creditor API does (testkit.Kit.Case
// may only be called from the test's goroutine).
func (g *ledgerRig) newCase(ref string, cents int64) (int64, error) {
	d, err := g.k.Core.CreateCase(g.t.Context(), g.cr, portal.NewCase{Reference: ref, Currency: "EUR", Debtor: testkit.Debtor,
		Invoices: []portal.NewInvoice{{Number: "F-" + ref, IssuedOn: "2026-01-01", DueOn: "2026-02-01",
			Lines: []portal.NewLine{{Label: "Travaux", AmountCents: cents, Kind: portal.LinePrincipal}}}}}, portal.CreditorActor(g.cr.ID))
	return d.Case.ID, err
}

// modelSequences is how many random sequences run per database: 1,500 in
// the README's test command's second run, 100 under the race detector
// (which makes each twenty times slower), 50 with -short;
// REGLO_MODEL_SEQUENCES changes it.
func modelSequences() int {
	if v, err := strconv.Atoi(os.Getenv("REGLO_MODEL_SEQUENCES")); err == nil && v > 0 {
		return v
	}
	switch {
	case testing.Short():
		return 50
	case raceEnabled:
		return 100
	}
	return 1500
}

func TestLedgerAgainstModel(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("REGLO_MODEL_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("seed %d (REGLO_MODEL_SEED replays it)", seed)
	n := modelSequences()
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		k := testkit.New(t, store, testkit.Options{Messages: messages, Stripe: payments.New(payments.Config{WebhookSecret: webhookSecret})})
		cr, _ := k.Creditor("Modèle", nil)
		g := &ledgerRig{t: t, k: k, srv: web.New(web.Config{Services: k.Services, BaseURL: "http://localhost:8080", Log: quietLog}), cr: cr}
		r := rand.New(rand.NewPCG(seed, 1))
		seqs := make([]mSeq, n)
		events := 0
		for i := range seqs {
			seqs[i] = generate(r)
			events += len(seqs[i].evs)
		}
		// Sequences are independent (each has its own cases and ids), so
		// PostgreSQL plays several at once, as several webhook deliveries
		// would arrive; SQLite has one writer.
		workers := 1
		if store.Dialect == migrations.Postgres {
			workers = 4
		}
		start := time.Now()
		var (
			next   atomic.Int64
			mu     sync.Mutex
			failed = -1
			why    string
			wg     sync.WaitGroup
		)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					mu.Lock()
					stop := i >= n || failed >= 0
					mu.Unlock()
					if stop {
						return
					}
					if w := g.runSeq(seqs[i]); w != "" {
						mu.Lock()
						if failed < 0 || i < failed {
							failed, why = i, w
						}
						mu.Unlock()
						return
					}
				}
			}()
		}
		wg.Wait()
		if failed >= 0 {
			small, smallWhy := g.shrink(seqs[failed])
			t.Fatalf("sequence %d of seed %d: %s\nshrunk to %d events (%s):\n%s", failed, seed, why, len(small.evs), smallWhy, small)
		}
		t.Logf("%d sequences, %d events, in %s", n, events, time.Since(start).Round(time.Millisecond))
	})
}
