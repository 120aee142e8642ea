package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
)

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
	s.paymentRoutes(h)
	s.planRoutes(h)
	s.choiceRoutes(h)
	s.backofficeRoutes(h)
	s.adminRoutes(h)
}

// debtorRoutes are the debtor's pages (CONTRACT.md "Debtor pages").
func (s *Server) debtorRoutes(r fiber.Router) {
	// Static files first: their handler ends the chain, so no page
	// middleware runs for them (and the CSRF middleware skips /static/).
	r.Get("/static/*", s.static)
	r.Use(s.language)

	r.Get("/l/:token", s.linkShow)
	r.Post("/l/:token", s.linkRateLimit(), s.linkVerify)

	// Signing out works with or without a live session.
	r.Post("/case/logout", s.caseLogout)
	r.Get("/signed-out", s.signedOut)

	// Everything under /case needs a live debtor session (401 otherwise).
	cs := r.Group("/case", s.debtorSession)
	cs.Get("/", s.caseShow)
	cs.Get("/documents/:id", s.documentShow)
}

// paymentRoutes are paying in full by card, the return from Stripe and
// receipts (issue 4).
// The /case group in debtorRoutes already requires a debtor session.
func (s *Server) paymentRoutes(r fiber.Router) {
	r.Post("/case/pay", s.casePay)
	r.Get("/case/paid", s.casePaid)
	r.Get("/case/receipts/:id", s.receiptShow)
	r.Get("/case/receipts/:id/pdf", s.receiptPDF)
}

// planRoutes are the debtor's payment-plan pages (issue 5).
// The /case group in debtorRoutes already requires a debtor session.
func (s *Server) planRoutes(r fiber.Router) {
	r.Get(money.PlanPath, s.planShow)
	r.Post(money.PlanPath, s.planRequest)
	r.Get("/case/plan/check", s.planCheck)
	r.Get("/case/plan/requested", s.planRequested)
	r.Get(money.PlanDonePath, s.planDone)
	r.Post("/case/plan/confirm", s.planConfirm)
	r.Post("/case/plan/pay-next", s.planPayNext)
	r.Post("/case/plan/card", s.planCard)
}

// choiceRoutes are the debtor's other choices: promise to pay, contest the
// debt, cannot pay now (issue 7).
// The /case group in debtorRoutes already requires a debtor session.
func (s *Server) choiceRoutes(r fiber.Router) {
	r.Get("/case/promise", s.choicePromiseShow)
	r.Post("/case/promise", s.choicePromise)
	r.Get("/case/contest", s.choiceContestShow)
	r.Post("/case/contest", s.choiceContest)
	r.Get("/case/cannot-pay", s.choiceCannotPayShow)
	r.Post("/case/cannot-pay", s.choiceCannotPay)
	r.Get("/case/cannot-pay/next", s.choiceCannotPayNextShow)
	r.Post("/case/cannot-pay/next", s.choiceCannotPayNext)
}

// backofficeRoutes are the agents' pages: login, search, case view, links.
func (s *Server) backofficeRoutes(r fiber.Router) {
	r.Get("/admin/login", s.boLoginShow)
	r.Post("/admin/login", s.boLogin)
	r.Post("/admin/logout", s.boLogout)

	send := s.cfg.Notify
	r.Get("/admin", s.requireUser, s.boSearch)
	r.Get("/admin/cases/:id", s.requireUser, s.boCaseShow(send))
	r.Get("/admin/cases/:id/timeline", s.requireUser, s.boTimeline)
	r.Post("/admin/cases/:id/links", s.requireUser, s.requireRole(portal.RoleAgent), s.boLinkCreate(send))
	r.Post("/admin/cases/:id/links/:link/revoke", s.requireUser, s.requireRole(portal.RoleAgent), s.boLinkRevoke)
}

// adminRoutes are the worklist, creditor settings, API keys and CSV import.
func (s *Server) adminRoutes(r fiber.Router) {
	agent, admin := s.requireRole(portal.RoleAgent), s.requireRole(portal.RoleAdmin)
	r.Get("/admin/worklist", s.requireUser, agent, s.admWorklist)
	r.Post("/admin/worklist/plans/:plan/approve", s.requireUser, agent, s.admPlanApprove)
	r.Post("/admin/worklist/plans/:plan/counter", s.requireUser, agent, s.admPlanCounter)
	r.Post("/admin/worklist/plans/:plan/decline", s.requireUser, agent, s.admPlanDecline)
	r.Post("/admin/worklist/disputes/:dispute/resolve", s.requireUser, agent, s.admDisputeResolve)

	r.Get("/admin/creditors", s.requireUser, admin, s.admCreditors)
	r.Get("/admin/creditors/:id/settings", s.requireUser, admin, s.admSettingsShow)
	r.Post("/admin/creditors/:id/settings", s.requireUser, admin, s.admSettingsSave)
	r.Post("/admin/creditors/:id/profile", s.requireUser, admin, s.admProfileSave)
	r.Post("/admin/creditors/:id/keys", s.requireUser, admin, s.admKeyCreate)
	r.Post("/admin/creditors/:id/keys/:key/revoke", s.requireUser, admin, s.admKeyRevoke)
	r.Get("/admin/creditors/:id/import", s.requireUser, admin, s.admImportShow)
	r.Post("/admin/creditors/:id/import", s.requireUser, admin, s.admImport)
}
