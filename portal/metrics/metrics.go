// Package metrics is Reglo's Prometheus instrumentation: HTTP requests by
// route and status, the database pool, Stripe webhook events by type and
// outcome, scheduled work, messages sent by channel and unmatched money.
// It is served on its own listener (METRICS_ADDR), never on the public port.
//
// A nil *Metrics records nothing, so code that is not wired (tests, other
// commands) needs no branch.
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/reglo/reglo/portal/notify"
)

// Metrics holds Reglo's collectors in a registry of their own.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	webhooks  *prometheus.CounterVec
	messages  *prometheus.CounterVec
	rounds    *prometheus.CounterVec
	items     *prometheus.CounterVec
	roundTime *prometheus.HistogramVec
}

// New registers the collectors. db is the pool whose statistics are
// exported and which the gauges of scheduled work and unmatched money read
// at scrape time (postgres says which placeholders it takes); log receives
// the errors of those reads.
func New(db *sql.DB, postgres bool, log *slog.Logger) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reglo_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "reglo_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route", "method"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reglo_stripe_webhook_events_total",
			Help: "Stripe webhook deliveries, by event type and outcome (applied, duplicate, bad_signature, malformed, failed, not_configured)."},
			[]string{"type", "outcome"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reglo_messages_total",
			Help: "Emails and SMS handed to the provider, by channel and outcome (sent, failed)."}, []string{"channel", "outcome"}),
		rounds: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reglo_scheduled_rounds_total",
			Help: "Rounds of scheduled work, by job and outcome (done, failed)."}, []string{"job", "outcome"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reglo_scheduled_items_done_total",
			Help: "Items of scheduled work done (instalments charged, Stripe events reconciled), by job."}, []string{"job"}),
		roundTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "reglo_scheduled_round_duration_seconds",
			Help: "Time one round of scheduled work took, by job.", Buckets: prometheus.ExponentialBuckets(.005, 4, 9)}, []string{"job"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.webhooks, m.messages, m.rounds, m.items, m.roundTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, "reglo"), &dbGauges{db: db, postgres: postgres, log: log})
	}
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry is where the collectors are, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Middleware counts every request by its route pattern ("/l/:token",
// never the token itself), method and status, and times it.
func (m *Metrics) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if m == nil {
			return c.Next()
		}
		began := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			// The error handler has not written the answer yet.
			status = fiber.StatusInternalServerError
			if fe, ok := err.(*fiber.Error); ok {
				status = fe.Code
			}
		}
		// After Next, Route is the handler's pattern; a request no route
		// took ends on a middleware's "/".
		route := c.Route().Path
		if route == "/" && c.Path() != "/" {
			route = "unmatched"
		}
		method := c.Method()
		switch method {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut, fiber.MethodDelete, fiber.MethodPatch, fiber.MethodOptions:
		default:
			method = "other"
		}
		// route and method are copied by the label lookup: Fiber's
		// memory is not kept past the handler.
		m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(route, method).Observe(time.Since(began).Seconds())
		return err
	}
}

// Webhook counts one Stripe webhook delivery.
func (m *Metrics) Webhook(eventType, outcome string) {
	if m == nil {
		return
	}
	if eventType == "" {
		eventType = "unknown"
	}
	m.webhooks.WithLabelValues(eventType, outcome).Inc()
}

// Round records one round of scheduled work: how many items it did, how
// long it took and whether it failed.
func (m *Metrics) Round(job string, done int, took time.Duration, err error) {
	if m == nil {
		return
	}
	outcome := "done"
	if err != nil {
		outcome = "failed"
	}
	m.rounds.WithLabelValues(job, outcome).Inc()
	m.items.WithLabelValues(job).Add(float64(done))
	m.roundTime.WithLabelValues(job).Observe(took.Seconds())
}

// Senders wraps the channels so every message handed to the provider is
// counted; nil channels stay nil.
func (m *Metrics) Senders(s notify.Senders) notify.Senders {
	if m == nil {
		return s
	}
	if s.Mail != nil {
		s.Mail = countedMail{next: s.Mail, m: m}
	}
	if s.SMS != nil {
		s.SMS = countedSMS{next: s.SMS, m: m}
	}
	return s
}

func (m *Metrics) sent(channel string, err error) {
	outcome := "sent"
	if err != nil {
		outcome = "failed"
	}
	m.messages.WithLabelValues(channel, outcome).Inc()
}

type countedMail struct {
	next notify.Mailer
	m    *Metrics
}

func (c countedMail) SendEmail(ctx context.Context, e notify.Email) error {
	err := c.next.SendEmail(ctx, e)
	c.m.sent("email", err)
	return err
}

type countedSMS struct {
	next notify.SMSSender
	m    *Metrics
}

func (c countedSMS) SendSMS(ctx context.Context, to, body string) error {
	err := c.next.SendSMS(ctx, to, body)
	c.m.sent("sms", err)
	return err
}
