// Package api is the creditors' JSON API (/api/v1, bearer API keys) and the
// Stripe webhook: JSON in and out, errors in the outside contract's shape.
package api

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/notify"
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
}

// Handler serves the API and the webhook.
type Handler struct {
	svc       *portal.Service
	money     *money.Service
	log       *slog.Logger
	mail      notify.Mailer
	requestID func(context.Context) string
}

// New builds the API's handlers.
func New(cfg Config) *Handler {
	if cfg.RequestID == nil {
		cfg.RequestID = func(context.Context) string { return "" }
	}
	return &Handler{svc: cfg.Core, money: cfg.Money, log: cfg.Log, mail: cfg.Mail, requestID: cfg.RequestID}
}

// Routes registers the webhook and the API on app. Stripe's webhook is
// authenticated by its signature; the API by the creditor's key.
func (s *Handler) Routes(app fiber.Router) {
	app.Post("/webhooks/stripe", s.stripeWebhook)
	v1 := app.Group("/api/v1", s.apiAuth)
	v1.Post("/cases", s.apiCreateCase)
	v1.Get("/cases/:id", s.apiGetCase)
	v1.Post("/cases/:id/documents", s.apiUploadDocument)
	v1.Post("/cases/:id/links", s.apiCreateLink)
	v1.Get("/policy", s.apiGetPolicy)
	v1.Put("/policy", s.apiPutPolicy)
}
