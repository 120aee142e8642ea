package metrics_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/reglo/reglo/portal/metrics"
	"github.com/reglo/reglo/portal/notify"
)

type fakeMail struct{ err error }

func (f fakeMail) SendEmail(context.Context, notify.Email) error { return f.err }

type fakeSMS struct{ err error }

func (f fakeSMS) SendSMS(context.Context, string, string) error { return f.err }

// Messages are counted by channel and outcome, rounds of scheduled work by
// job and outcome; a nil *Metrics counts nothing and wraps nothing.
func TestMessagesAndRoundsAreCounted(t *testing.T) {
	m := metrics.New(nil, false, nil)
	s := m.Senders(notify.Senders{Mail: fakeMail{}, SMS: fakeSMS{err: errors.New("provider down")}})
	ctx := context.Background()
	_ = s.Mail.SendEmail(ctx, notify.Email{})
	_ = s.Mail.SendEmail(ctx, notify.Email{})
	if err := s.SMS.SendSMS(ctx, "+33600000000", "x"); err == nil {
		t.Fatal("the wrapper hid the provider's error")
	}
	m.Round("instalments", 3, time.Second, nil)
	m.Round("instalments", 0, time.Second, errors.New("db"))
	want := `
# HELP reglo_messages_total Emails and SMS handed to the provider, by channel and outcome (sent, failed).
# TYPE reglo_messages_total counter
reglo_messages_total{channel="email",outcome="sent"} 2
reglo_messages_total{channel="sms",outcome="failed"} 1
# HELP reglo_scheduled_rounds_total Rounds of scheduled work, by job and outcome (done, failed).
# TYPE reglo_scheduled_rounds_total counter
reglo_scheduled_rounds_total{job="instalments",outcome="done"} 1
reglo_scheduled_rounds_total{job="instalments",outcome="failed"} 1
# HELP reglo_scheduled_items_done_total Items of scheduled work done (instalments charged, Stripe events reconciled), by job.
# TYPE reglo_scheduled_items_done_total counter
reglo_scheduled_items_done_total{job="instalments"} 3
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want),
		"reglo_messages_total", "reglo_scheduled_rounds_total", "reglo_scheduled_items_done_total"); err != nil {
		t.Error(err)
	}

	var none *metrics.Metrics
	plain := notify.Senders{Mail: fakeMail{}}
	if got := none.Senders(plain); got != plain {
		t.Error("nil metrics wrapped the senders")
	}
	none.Round("x", 1, time.Second, nil)
	none.Webhook("t", "applied")
}
