package web

import "github.com/gofiber/fiber/v2"

// routes lists every URL Reglo serves, so a reader finds any in one place.
func (s *Server) routes() {
	a := s.App

	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)

	// Stripe calls this; it is authenticated by its signature, not CSRF.
	a.Post("/webhooks/stripe", s.stripeWebhook)

	// Creditor API: bearer API key, JSON in and out.
	api := a.Group("/api/v1", s.apiAuth)
	api.Post("/cases", s.apiCreateCase)
	api.Get("/cases/:id", s.apiGetCase)
	api.Post("/cases/:id/documents", s.apiUploadDocument)
	api.Post("/cases/:id/links", s.apiCreateLink)
	api.Get("/policy", s.apiGetPolicy)
	api.Put("/policy", s.apiPutPolicy)

	// HTML pages: CSRF on every form.
	h := a.Group("", s.csrfMiddleware())
	s.debtorRoutes(h)
}

// debtorRoutes are the debtor's pages (CONTRACT.md "Debtor pages").
func (s *Server) debtorRoutes(r fiber.Router) {
}
