// Package api is the creditors' JSON API (/api/v1, bearer API keys) and the
// Stripe webhook: JSON in and out, errors in the outside contract's shape.
package api

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/metrics"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/outreach"
)

// Config wires the API.
type Config struct {
	Core  *portal.Service
	Money *money.Service
	Log   *slog.Logger
	// Mail sends receipts once a webhook recorded a payment; nil is off.
	Mail notify.Mailer
	// RequestID reads the request id the web layer put in the context.
	RequestID func(context.Context) string
	// Outreach holds the reminder scenarios and opt-outs.
	Outreach *outreach.Service
	// SMSAuthToken verifies X-Twilio-Signature on inbound SMS; empty
	// refuses them.
	SMSAuthToken string
	// BaseURL is the public URL, the one the SMS provider signs.
	BaseURL string
	// Metrics counts webhook events; nil counts nothing.
	Metrics *metrics.Metrics
}

// Handler serves the API and the webhook.
type Handler struct {
	svc       *portal.Service
	money     *money.Service
	log       *slog.Logger
	mail      notify.Mailer
	requestID func(context.Context) string
	outreach  *outreach.Service
	smsToken  string
	metrics   *metrics.Metrics
	baseURL   string
}

// New builds the API's handlers.
func New(cfg Config) *Handler {
	if cfg.RequestID == nil {
		cfg.RequestID = func(context.Context) string { return "" }
	}
	return &Handler{svc: cfg.Core, money: cfg.Money, log: cfg.Log, mail: cfg.Mail, requestID: cfg.RequestID,
		outreach: cfg.Outreach, smsToken: cfg.SMSAuthToken, baseURL: cfg.BaseURL, metrics: cfg.Metrics}
}

// Routes registers the webhook and the API on app. Stripe's webhook is
// authenticated by its signature; the API by the creditor's key.
func (s *Handler) Routes(app fiber.Router) {
	app.Post("/webhooks/stripe", s.stripeWebhook)
	app.Post("/webhooks/sms", s.smsWebhook)
	v1 := app.Group("/api/v1", s.apiAuth, checkText, s.idempotency)
	v1.Post("/cases", s.apiCreateCase)
	v1.Get("/cases/:id", s.apiGetCase)
	v1.Get("/cases/:id/letter.pdf", s.apiCaseLetter)
	v1.Post("/cases/:id/documents", s.apiUploadDocument)
	v1.Post("/cases/:id/links", s.apiCreateLink)
	v1.Get("/policy", s.apiGetPolicy)
	v1.Put("/policy", s.apiPutPolicy)
	v1.Get("/reminders", s.apiGetReminders)
	v1.Put("/reminders", s.apiPutReminders)
}
