package api

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/payments"
)

// stripeWebhook is POST /webhooks/stripe. It answers 2xx only once the
// event and its effect are committed; 400 when the signature does not
// verify; 5xx when the event could not be recorded, so Stripe retries.
func (s *Handler) stripeWebhook(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ev, err := s.money.ParseEvent(c.Body(), c.Get("Stripe-Signature"))
	switch {
	case errors.Is(err, payments.ErrBadSignature):
		s.metrics.Webhook("", "bad_signature")
		return c.Status(fiber.StatusBadRequest).JSON(apiError{Error: apiErrorBody{Code: "bad_signature", Message: "the Stripe-Signature header does not verify"}})
	case errors.Is(err, payments.ErrNotConfigured):
		s.metrics.Webhook("", "not_configured")
		s.log.ErrorContext(ctx, "stripe webhook received but STRIPE_WEBHOOK_SECRET is not set", slog.String("request_id", s.requestID(ctx)))
		return c.Status(fiber.StatusServiceUnavailable).JSON(apiError{Error: apiErrorBody{Code: "not_configured", Message: "webhooks are not configured"}})
	case err != nil:
		// A signed event Reglo cannot read (ErrMalformedEvent) is answered
		// 5xx and logged loudly: Stripe keeps retrying for three days, long
		// enough to ship a fix, instead of the event being dropped.
		s.metrics.Webhook(ev.Type, "malformed")
		s.log.ErrorContext(ctx, "stripe webhook not readable", slog.String("request_id", s.requestID(ctx)), slog.String("error", err.Error()))
		return c.Status(fiber.StatusInternalServerError).JSON(apiError{Error: apiErrorBody{Code: "malformed_event", Message: "the event could not be read; please retry"}})
	}
	applied, err := s.money.ApplyStripeEvent(ctx, ev)
	if err != nil {
		s.metrics.Webhook(ev.Type, "failed")
		s.log.ErrorContext(ctx, "stripe webhook not applied", slog.String("request_id", s.requestID(ctx)),
			slog.String("event_id", ev.ID), slog.String("type", ev.Type), slog.String("error", err.Error()))
		return c.Status(fiber.StatusInternalServerError).JSON(apiError{Error: apiErrorBody{Code: "retry", Message: "the event could not be recorded; please retry"}})
	}
	outcome := "applied"
	if !applied {
		outcome = "duplicate"
	}
	s.metrics.Webhook(ev.Type, outcome)
	s.log.InfoContext(ctx, "stripe webhook", slog.String("request_id", s.requestID(ctx)), slog.String("event_id", ev.ID),
		slog.String("type", ev.Type), slog.Bool("duplicate", !applied))
	// The money is recorded; the receipt email is best effort here and
	// retried by the notifier's rounds if it fails.
	if applied && ev.CaseID != 0 && (ev.Kind == payments.KindCheckoutPaid || ev.Kind == payments.KindPaymentSucceeded) {
		if err := s.money.SendReceipts(ctx, ev.CaseID, s.mail); err != nil {
			s.log.WarnContext(ctx, "receipt not sent", slog.String("request_id", s.requestID(ctx)), slog.String("error", err.Error()))
		}
	}
	return c.JSON(fiber.Map{"received": true, "duplicate": !applied})
}
