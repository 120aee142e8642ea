package outreach_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
	"github.com/reglo/reglo/views"
)

// sentBox records what the notifier sent.
type sentBox struct {
	mu    sync.Mutex
	mails []notify.Email
	sms   []string
}

func (b *sentBox) SendEmail(_ context.Context, e notify.Email) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mails = append(b.mails, e)
	return nil
}

func (b *sentBox) SendSMS(_ context.Context, to, body string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sms = append(b.sms, to+" "+body)
	return nil
}

// outreachStart is Thursday 4 June 2026, 10:00 in Paris.
var outreachStart = time.Date(2026, 6, 4, 8, 0, 0, 0, time.UTC)

// outreachEnv is a kit with one creditor and one open case of 300.00 on two
// invoices, for a debtor reachable by email and SMS.
type outreachEnv struct {
	*testkit.Kit
	c portal.Case
}

func newOutreachEnv(t *testing.T, store *portal.Store) *outreachEnv {
	t.Helper()
	k := testkit.New(t, store, testkit.Options{Start: outreachStart, Messages: views.MustMessages()})
	cr, _ := k.Creditor("Atelier Dupont", nil)
	d := k.NewCase(cr, portal.NewCase{Reference: "OUT-1", Currency: "EUR", Debtor: testkit.Debtor,
		Invoices: []portal.NewInvoice{
			{Number: "F-1", IssuedOn: "2026-04-01", DueOn: "2026-05-01", Lines: []portal.NewLine{{Label: "Toiture", AmountCents: 20000, Kind: portal.LinePrincipal}}},
			{Number: "F-2", IssuedOn: "2026-04-15", DueOn: "2026-05-15", Lines: []portal.NewLine{{Label: "Gouttière", AmountCents: 10000, Kind: portal.LinePrincipal}}},
		}})
	return &outreachEnv{Kit: k, c: d.Case}
}

func TestPromiseReminderSentOnceTheDayBefore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newOutreachEnv(t, store)
		ctx := context.Background()
		due := portal.DateOf(outreachStart.AddDate(0, 0, 3))
		if _, err := e.Choices.Promise(ctx, e.c.ID, due, 0); err != nil {
			t.Fatal(err)
		}
		box := &sentBox{}
		n := &outreach.Notifier{Service: e.Outreach, Senders: notify.Senders{Mail: box, SMS: box}, Zone: time.UTC}
		if err := n.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if len(box.mails) != 0 {
			t.Fatalf("reminder sent three days early: %+v", box.mails)
		}
		e.Clock.Set(outreachStart.AddDate(0, 0, 2))
		for range 3 { // runs every 15 minutes, in several processes
			if err := n.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if len(box.mails) != 1 {
			t.Fatalf("%d reminders sent, want 1", len(box.mails))
		}
		m := box.mails[0]
		if m.To != e.c.DebtorEmail || !strings.Contains(m.Text, "http://localhost:8080/l/") || strings.Contains(m.Text, "€") {
			t.Fatalf("reminder = %+v", m)
		}
		if !strings.Contains(m.Text, "7 juin 2026") {
			t.Errorf("reminder does not name the promised day: %q", m.Text)
		}
	})
}

func TestInstalmentMissedSendsTheLinkBySMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newOutreachEnv(t, store)
		store.DB.Model(&portal.Case{}).Where("id = ?", e.c.ID).Updates(map[string]any{"debtor_email": "", "debtor_phone": "06 12 34 56 78", "debtor_language": "en"})
		box := &sentBox{}
		n := &outreach.Notifier{Service: e.Outreach, Senders: notify.Senders{SMS: box}}
		n.InstalmentMissed(context.Background(), money.MissedInstalment{CaseID: e.c.ID, LinkID: 1, LinkURL: "http://localhost:8080/l/tok"})
		if len(box.sms) != 1 || !strings.HasPrefix(box.sms[0], "+33612345678 ") || !strings.Contains(box.sms[0], "http://localhost:8080/l/tok") ||
			!strings.Contains(box.sms[0], "could not take") {
			t.Fatalf("sms = %q", box.sms)
		}
		evs, _ := e.Core.Timeline(context.Background(), e.c.ID)
		if last := evs[len(evs)-1]; last.Kind != "instalment_link_sent" {
			t.Fatalf("timeline ends with %s", last.Kind)
		}
	})
}

func TestReceiptEmailedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newOutreachEnv(t, store)
		ctx := context.Background()
		ev := payments.Event{ID: "evt_r1", Type: "checkout.session.completed", Kind: payments.KindCheckoutPaid, CaseID: e.c.ID,
			AmountCents: 10000, Currency: "EUR", PaymentIntentID: "pi_r1", CheckoutSessionID: "cs_r1"}
		if _, err := e.Money.ApplyStripeEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
		box := &sentBox{}
		for range 3 {
			if err := e.Money.SendReceipts(ctx, e.c.ID, box); err != nil {
				t.Fatal(err)
			}
		}
		if len(box.mails) != 1 {
			t.Fatalf("%d receipts sent, want 1", len(box.mails))
		}
		m := box.mails[0]
		for _, want := range []string{"Reçu R-", e.c.Reference, "100,00\u00a0€", "200,00\u00a0€", "paiement du montant total"} {
			if !strings.Contains(m.Subject+m.Text, want) {
				t.Errorf("receipt lacks %q:\n%s", want, m.Text)
			}
		}
	})
}
