package office_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

type boEnv struct {
	*testkit.Kit
	credA, credB portal.Creditor
}

func newBoEnv(t *testing.T, store *portal.Store) *boEnv {
	t.Helper()
	e := &boEnv{Kit: testkit.New(t, store, testkit.Options{Start: time.Date(2026, 6, 4, 10, 0, 0, 0, time.UTC)})}
	e.credA, _ = e.Creditor("Énergie Claire", nil)
	e.credB, _ = e.Creditor("Atelier Martin", nil)
	return e
}

func (e *boEnv) addCase(t *testing.T, cr portal.Creditor, ref, name, email, phone, postcode string) portal.Case {
	t.Helper()
	e.Clock.Add(time.Minute)
	d, err := e.Core.CreateCase(context.Background(), cr, portal.NewCase{Reference: ref,
		Debtor: portal.NewDebtor{Name: name, Email: email, Phone: phone, Postcode: postcode},
		Invoices: []portal.NewInvoice{{Number: "F1", IssuedOn: "2026-01-01", DueOn: "2026-02-01",
			Lines: []portal.NewLine{{Label: "Travaux", AmountCents: 12000, Kind: portal.LinePrincipal}}}}}, portal.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	return d.Case
}

func (e *boEnv) addUser(t *testing.T, email, role string, creditorID *int64) portal.User {
	t.Helper()
	return e.User(email, role, creditorID)
}

func TestBackOfficeLoginLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store)
		ctx := context.Background()
		e.addUser(t, "agent@example.org", portal.RoleAgent, nil)
		if _, err := e.Core.Login(ctx, "Agent@Example.org ", "correct horse battery"); err != nil {
			t.Fatalf("good login: %v", err)
		}
		if _, err := e.Core.Login(ctx, "nobody@example.org", "correct horse battery"); !errors.Is(err, portal.ErrBadLogin) {
			t.Fatalf("unknown email: %v", err)
		}
		for i := 1; i < portal.MaxLoginFailures; i++ {
			if _, err := e.Core.Login(ctx, "agent@example.org", "wrong"); !errors.Is(err, portal.ErrBadLogin) {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		if _, err := e.Core.Login(ctx, "agent@example.org", "wrong"); !errors.Is(err, portal.ErrLocked) {
			t.Fatalf("fifth failure should lock: %v", err)
		}
		if _, err := e.Core.Login(ctx, "agent@example.org", "correct horse battery"); !errors.Is(err, portal.ErrLocked) {
			t.Fatalf("locked account let the right password in: %v", err)
		}
		e.Clock.Add(portal.LoginLockout + time.Second)
		login, err := e.Core.Login(ctx, "agent@example.org", "correct horse battery")
		if err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
		if u, err := e.Core.UserFromCookie(ctx, login.Cookie); err != nil || u.Email != "agent@example.org" {
			t.Fatalf("session: %v %v", u, err)
		}
		if _, err := e.Core.SessionFromCookie(ctx, login.Cookie, "debtor"); err == nil {
			t.Fatal("a user session must not pass as a debtor session")
		}
	})
}

func TestBackOfficeScopeAndSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store)
		ctx := context.Background()
		a1 := e.addCase(t, e.credA, "ABC-2026-0042", "Hélène Côté", "helene@example.org", "+33 6 12 34 56 78", "75011")
		e.addCase(t, e.credA, "ABC-2026-0043", "Jean Martin", "", "", "SW1A 1AA")
		b1 := e.addCase(t, e.credB, "ZZZ-1", "Hélène Bernard", "hb@example.org", "", "69001")
		limited := e.addUser(t, "admin-a@example.org", portal.RoleAdmin, &e.credA.ID)
		agent := e.addUser(t, "agent@example.org", portal.RoleAgent, nil)

		if _, err := e.Core.CaseForUser(ctx, limited, b1.ID); !errors.Is(err, portal.ErrNotFound) {
			t.Fatalf("admin limited to A sees B's case: %v", err)
		}
		if _, err := e.Core.CaseForUser(ctx, limited, a1.ID); err != nil {
			t.Fatalf("admin limited to A cannot see A's case: %v", err)
		}
		if _, err := e.Core.CaseForUser(ctx, agent, b1.ID); err != nil {
			t.Fatalf("organisation agent cannot see B's case: %v", err)
		}
		tests := []struct {
			name string
			user portal.User
			q    string
			want []string
		}{
			{"accents and case ignored", agent, "HELENE CÔ", []string{"ABC-2026-0042"}},
			{"limited admin never sees other creditors", limited, "helene", []string{"ABC-2026-0042"}},
			{"phone by national digits with spaces", agent, "06 12 34", []string{"ABC-2026-0042"}},
			{"phone by international digits", agent, "33612", []string{"ABC-2026-0042"}},
			{"partial reference", agent, "2026-00", []string{"ABC-2026-0043", "ABC-2026-0042"}},
			{"exact reference first", agent, "abc-2026-0042", []string{"ABC-2026-0042"}},
			{"postcode without space", agent, "sw1a1aa", []string{"ABC-2026-0043"}},
			{"email", agent, "hb@exa", []string{"ZZZ-1"}},
			{"like wildcards are literal", agent, "%%", nil},
			{"too short", agent, "h", nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				hits, err := e.Office.SearchCases(ctx, tc.user, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range hits {
					got = append(got, h.Case.Reference)
				}
				if len(got) != len(tc.want) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
				for i := range got {
					if got[i] != tc.want[i] {
						t.Fatalf("got %v, want %v", got, tc.want)
					}
				}
			})
		}
	})
}
