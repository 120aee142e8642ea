package portal_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/storetest"
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

func TestPromiseReminderSentOnceTheDayBefore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newChoiceEnv(t, store)
		ctx := context.Background()
		due := portal.DateOf(choiceStart.AddDate(0, 0, 3))
		if _, err := e.svc.Promise(ctx, e.c.ID, due, 0); err != nil {
			t.Fatal(err)
		}
		box := &sentBox{}
		n := &portal.Notifier{Service: e.svc, Senders: notify.Senders{Mail: box, SMS: box}, Zone: time.UTC}
		if err := n.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if len(box.mails) != 0 {
			t.Fatalf("reminder sent three days early: %+v", box.mails)
		}
		e.clock.Set(choiceStart.AddDate(0, 0, 2))
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
		e := newChoiceEnv(t, store)
		store.DB.Model(&portal.Case{}).Where("id = ?", e.c.ID).Updates(map[string]any{"debtor_email": "", "debtor_phone": "06 12 34 56 78", "debtor_language": "en"})
		box := &sentBox{}
		n := &portal.Notifier{Service: e.svc, Senders: notify.Senders{SMS: box}}
		n.InstalmentMissed(context.Background(), portal.MissedInstalment{CaseID: e.c.ID, LinkID: 1, LinkURL: "http://localhost:8080/l/tok"})
		if len(box.sms) != 1 || !strings.HasPrefix(box.sms[0], "+33612345678 ") || !strings.Contains(box.sms[0], "http://localhost:8080/l/tok") ||
			!strings.Contains(box.sms[0], "could not take") {
			t.Fatalf("sms = %q", box.sms)
		}
		evs, _ := e.svc.Timeline(context.Background(), e.c.ID)
		if last := evs[len(evs)-1]; last.Kind != "instalment_link_sent" {
			t.Fatalf("timeline ends with %s", last.Kind)
		}
	})
}

func TestReceiptEmailedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newChoiceEnv(t, store)
		ctx := context.Background()
		ev := payments.Event{ID: "evt_r1", Type: "checkout.session.completed", Kind: payments.KindCheckoutPaid, CaseID: e.c.ID,
			AmountCents: 10000, Currency: "EUR", PaymentIntentID: "pi_r1", CheckoutSessionID: "cs_r1"}
		if _, err := e.svc.ApplyStripeEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
		box := &sentBox{}
		for range 3 {
			if err := e.svc.SendReceipts(ctx, e.c.ID, box); err != nil {
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
