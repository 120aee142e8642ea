package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/web/api"
)

// routes lists every URL Reglo serves, so a reader finds any in one place.
// Groups carry the requirements: the /case group needs a debtor session,
// the /admin group a signed-in user (and a role where named).
func (s *Server) routes() {
	a := s.App

	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)

	// The Stripe webhook and the creditor API (package api): POST
	// /webhooks/stripe, and under /api/v1 POST /cases, GET /cases/:id,
	// POST /cases/:id/documents, POST /cases/:id/links, GET and PUT /policy,
	// GET /cases/:id/letter.pdf (the R124-4 first letter).
	api.New(api.Config{Core: s.svc, Money: s.money, Log: s.log, Mail: s.cfg.Notify.Mail, RequestID: RequestID,
		Outreach: s.cfg.Services.Outreach, SMSAuthToken: s.cfg.SMSAuthToken, BaseURL: s.cfg.BaseURL, Metrics: s.cfg.Metrics}).Routes(a)

	// The one-click unsubscribe of reminders (RFC 8058): registered before
	// the CSRF group, so a mail client's POST needs no token.
	a.Post("/u/:token", s.language, s.unsubscribe)

	// HTML pages: CSRF on every form.
	h := a.Group("", s.csrfMiddleware())
	// Static files first: their handler ends the chain, so no page
	// middleware runs for them (and the CSRF middleware skips /static/).
	h.Get("/static/*", s.static)
	h.Use(s.language)
	// Text the database cannot store is refused before any handler reads it.
	h.Use(s.formText)

	// The debtor's way in (the outside contract's "Debtor pages").
	h.Get("/l/:token", s.linkShow)
	h.Post("/l/:token", s.linkRateLimit(), s.linkVerify)
	// A reminder's stop link: the confirm page (POST is above, without CSRF).
	h.Get("/u/:token", s.unsubscribeShow)
	// "Is this message really from us?": every reminder email points here.
	h.Get("/verify", s.verifyShow)
	h.Post("/verify", s.linkRateLimit(), s.verify)
	// Signing out works with or without a live session.
	h.Post("/case/logout", s.caseLogout)
	h.Get("/signed-out", s.signedOut)
	// The privacy notice and the accessibility statement, open to anyone.
	h.Get("/privacy", s.privacy)
	h.Get("/accessibility", s.accessibility)

	// Everything else under /case needs a live debtor session (401 otherwise).
	cs := guarded(h, "/case", s.debtorSession)
	cs.Get("", s.caseShow)
	cs.Get("/", s.caseShow)
	cs.Get("/documents/:id", s.caseDocument)
	cs.Get("/letter.pdf", s.caseLetter)
	// Paying in full, the return from Stripe, receipts.
	cs.Post("/pay", s.casePay)
	cs.Get("/paid", s.casePaid)
	cs.Get("/receipts/:id", s.receiptShow)
	cs.Get("/receipts/:id/pdf", s.receiptPDF)
	// Payment plans.
	cs.Get("/plan", s.planShow)
	cs.Post("/plan", s.planRequest)
	cs.Get("/plan/check", s.planCheck)
	cs.Get("/plan/requested", s.planRequested)
	cs.Get("/plan/done", s.planDone)
	cs.Post("/plan/confirm", s.planConfirm)
	cs.Post("/plan/pay-next", s.planPayNext)
	cs.Post("/plan/card", s.planCard)
	// The debtor's other choices: promise, contest, cannot pay now.
	cs.Get("/promise", s.casePromiseShow)
	cs.Post("/promise", s.casePromise)
	cs.Get("/contest", s.caseContestShow)
	cs.Post("/contest", s.caseContest)
	cs.Get("/cannot-pay", s.caseCannotPayShow)
	cs.Post("/cannot-pay", s.caseCannotPay)
	cs.Get("/cannot-pay/next", s.caseCannotPayNextShow)
	cs.Post("/cannot-pay/next", s.caseCannotPayNext)

	// The back office: signing in is open, everything else needs a user.
	h.Get("/admin/login", s.adminLoginShow)
	h.Post("/admin/login", s.adminLogin)
	h.Post("/admin/logout", s.adminLogout)
	send := s.cfg.Notify
	agent, admin := s.requireRole(portal.RoleAgent), s.requireRole(portal.RoleAdmin)
	ad := guarded(h, "/admin", s.requireUser)
	ad.Get("", s.adminSearch)
	ad.Get("/cases/:id", s.adminCaseShow(send))
	ad.Get("/cases/:id/timeline", s.adminTimeline)
	ad.Get("/cases/:id/letter.pdf", agent, s.adminLetter)
	ad.Post("/cases/:id/letter", agent, s.adminLetterSend(send))
	ad.Post("/cases/:id/links", agent, s.adminLinkCreate(send))
	ad.Post("/cases/:id/links/:link/revoke", agent, s.adminLinkRevoke)
	ad.Get("/cases/:id/messages", s.adminCaseMessages)
	ad.Post("/cases/:id/opt-out", agent, s.adminCaseOptOut)
	ad.Get("/worklist", agent, s.adminWorklist)
	ad.Post("/worklist/plans/:plan/approve", agent, s.adminPlanApprove)
	ad.Post("/worklist/plans/:plan/counter", agent, s.adminPlanCounter)
	ad.Post("/worklist/plans/:plan/decline", agent, s.adminPlanDecline)
	ad.Post("/worklist/disputes/:dispute/resolve", agent, s.adminDisputeResolve)
	ad.Post("/unmatched/:id/resolve", agent, s.adminUnmatchedResolve(send))
	ad.Get("/creditors", admin, s.adminCreditors)
	ad.Get("/creditors/:id/settings", admin, s.adminSettingsShow)
	ad.Post("/creditors/:id/settings", admin, s.adminSettingsSave)
	ad.Post("/creditors/:id/profile", admin, s.adminProfileSave)
	ad.Post("/creditors/:id/keys", admin, s.adminKeyCreate)
	ad.Post("/creditors/:id/keys/:key/revoke", admin, s.adminKeyRevoke)
	ad.Get("/creditors/:id/reminders", admin, s.adminRemindersShow)
	ad.Post("/creditors/:id/reminders", admin, s.adminRemindersSave)
	ad.Get("/creditors/:id/import", admin, s.adminImportShow)
	ad.Post("/creditors/:id/import", admin, s.adminImport)
}

// group is a set of routes under one prefix whose handlers all run after
// the group's requirements. Unlike a Fiber group's middleware, which is a
// prefix match ("/case" would also catch "/cases"), a requirement applies
// only to the routes registered through the group.
type group struct {
	r      fiber.Router
	prefix string
	needs  []fiber.Handler
}

func guarded(r fiber.Router, prefix string, needs ...fiber.Handler) group {
	return group{r: r, prefix: prefix, needs: needs}
}

func (g group) handlers(hs []fiber.Handler) []fiber.Handler {
	return append(append([]fiber.Handler{}, g.needs...), hs...)
}

// Get registers a GET route under the group's prefix and requirements.
func (g group) Get(path string, hs ...fiber.Handler) { g.r.Get(g.prefix+path, g.handlers(hs)...) }

// Post registers a POST route under the group's prefix and requirements.
func (g group) Post(path string, hs ...fiber.Handler) { g.r.Post(g.prefix+path, g.handlers(hs)...) }
