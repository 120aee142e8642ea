package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/payments/stripemock"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

func TestStripeReconcileRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"without a Stripe key", nil, []string{"stripe", "reconcile"}, "STRIPE_SECRET_KEY is not set"},
		{"since is not RFC 3339", map[string]string{"STRIPE_SECRET_KEY": stripemock.TestKey}, []string{"stripe", "reconcile", "--since", "2026-03-01"}, "not an RFC 3339 time"},
		{"since is in the future", map[string]string{"STRIPE_SECRET_KEY": stripemock.TestKey}, []string{"stripe", "reconcile", "--since", "2999-01-01T00:00:00Z"}, "in the future"},
		{"unknown stripe subcommand", nil, []string{"stripe", "refund"}, "reglo stripe reconcile [--since RFC3339]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := testEnv(t)
			for k, v := range tt.env {
				env[k] = v
			}
			r := reglo(t, env, "", tt.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, want %d with %q; stderr:\n%s", r.code, exitUsage, tt.want, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("printed a summary on refusal: %s", r.stdout)
			}
		})
	}
}

// lostPayments is a case with three payments whose webhooks were all lost,
// made an hour, two days and four days ago, in Stripe's event list.
type lostPayments struct {
	env    map[string]string
	kit    *testkit.Kit
	cs     portal.Case
	events *stripemock.Events
}

func newLostPayments(t *testing.T, dialect string) *lostPayments {
	t.Helper()
	env := testEnv(t)
	env["DATABASE_URL"] = storetest.URL(t, dialect)
	store, err := portal.Open(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	k := testkit.New(t, store, testkit.Options{})
	cr, _ := k.Creditor("Énergie Claire", nil)
	l := &lostPayments{env: env, kit: k, cs: k.Case(cr, "REF-CLI", 10000), events: stripemock.NewEvents(t, stripemock.Start(t))}
	l.events.PageSize = 2 // the command reads every page
	for _, p := range []struct {
		pi    string
		ago   time.Duration
		cents int64
	}{{"pi_cli_hour", time.Hour, 1000}, {"pi_cli_days", 48 * time.Hour, 2000}, {"pi_cli_old", 96 * time.Hour, 4000}} {
		l.events.Add("evt_"+p.pi, "checkout.session.completed", time.Now().Add(-p.ago), map[string]any{
			"id": "cs_" + p.pi, "object": "checkout.session", "mode": "payment", "payment_status": "paid", "status": "complete",
			"amount_total": p.cents, "currency": "eur", "payment_intent": p.pi,
			"metadata": map[string]any{"case_id": strconv.FormatInt(l.cs.ID, 10)},
		})
	}
	env["STRIPE_SECRET_KEY"] = stripemock.TestKey
	env["STRIPE_API_BASE"] = l.events.URL
	return l
}

func (l *lostPayments) balance(t *testing.T) int64 {
	t.Helper()
	d, err := l.kit.Core.CaseDetail(context.Background(), l.cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d.Balance.Cents()
}

func TestStripeReconcile(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			l := newLostPayments(t, dialect)
			runs := []struct {
				name string
				args []string
				want map[string]int
				left int64
			}{
				{"since ninety minutes ago finds the last payment", []string{"--since", time.Now().Add(-90 * time.Minute).UTC().Format(time.RFC3339)},
					map[string]int{"seen": 1, "applied": 1}, 9000},
				{"by default three days are read", nil, map[string]int{"seen": 2, "applied": 1, "already_processed": 1}, 7000},
				{"a second run applies nothing", nil, map[string]int{"seen": 2, "already_processed": 2}, 7000},
			}
			for _, run := range runs {
				r := reglo(t, l.env, "", append([]string{"stripe", "reconcile"}, run.args...)...)
				if r.code != exitOK {
					t.Fatalf("%s: exit %d; stderr:\n%s", run.name, r.code, r.stderr)
				}
				var got map[string]int
				if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
					t.Fatalf("%s: stdout is not the JSON summary: %v\n%s", run.name, err, r.stdout)
				}
				for _, field := range []string{"seen", "applied", "already_processed", "not_ready", "malformed", "failed"} {
					if _, ok := got[field]; !ok {
						t.Errorf("%s: the summary lacks %q: %s", run.name, field, r.stdout)
					}
					if got[field] != run.want[field] {
						t.Errorf("%s: %s = %d, want %d", run.name, field, got[field], run.want[field])
					}
				}
				if b := l.balance(t); b != run.left {
					t.Errorf("%s: balance %d, want %d", run.name, b, run.left)
				}
			}
		})
	}
}

// A serve process reconciles as soon as it starts, and stops cleanly.
func TestServeReconciles(t *testing.T) {
	t.Parallel()
	l := newLostPayments(t, "sqlite")
	l.env["REGLO_SECRET"] = portal.GenerateSecret()
	l.env["ADDR"] = "127.0.0.1:0"
	s := startServer(t, l.env, "serve")
	deadline := time.Now().Add(30 * time.Second)
	for l.balance(t) != 7000 {
		if time.Now().After(deadline) {
			t.Fatalf("balance %d: the lost payments of the last three days were not reconciled; stderr:\n%s", l.balance(t), s.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code := s.stop(); code != exitOK {
		t.Fatalf("serve exited %d; stderr:\n%s", code, s.stderr)
	}
	if !strings.Contains(s.stderr.String(), `"msg":"reconcile round"`) {
		t.Errorf("the reconciliation is not in the log:\n%s", s.stderr)
	}
}

func TestHelpNamesStripeReconcile(t *testing.T) {
	t.Parallel()
	if r := reglo(t, testEnv(t), "", "help"); !strings.Contains(r.stdout, "reglo stripe reconcile [--since RFC3339]") {
		t.Errorf("usage does not mention stripe reconcile:\n%s", r.stdout)
	}
}
