package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/views"
)

// unmatchedViews shows money no balance took, unresolved first, in the
// creditor's time zone; the unresolved ones with their resolve form.
func unmatchedViews(list []portal.UnmatchedMoney, tz string) []views.BoUnmatched {
	loc := location(tz)
	var open, done []views.BoUnmatched
	for _, m := range list {
		u := views.BoUnmatched{ID: m.ID, Reason: m.Reason, Amount: views.Amount{Cents: m.AmountCents, Currency: m.Currency},
			Since: m.CreatedAt.In(loc)}
		if !isKnown(views.BoUnmatchedReasons, u.Reason) {
			u.Reason = portal.UnmatchedUnknownPayment
		}
		for _, id := range []string{m.PaymentIntentID, m.ChargeID, m.CheckoutSessionID, m.DisputeID, m.StripeEventID} {
			if id != "" {
				u.Stripe = append(u.Stripe, id)
			}
		}
		if m.ResolvedAt != nil {
			u.ResolvedAt, u.Note = m.ResolvedAt.In(loc), m.ResolutionNote
			done = append(done, u)
			continue
		}
		u.ResolveURL = fmt.Sprintf("/admin/unmatched/%d/resolve", m.ID)
		open = append(open, u)
	}
	return append(open, done...)
}

// adminUnmatchedResolve marks unmatched money as dealt with, with the
// agent's note, and goes back to the case page (or to the worklist for
// money that names no case).
func (s *Server) adminUnmatchedResolve(send notify.Senders) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return s.resolveUnmatched(c, send)
	}
}

func (s *Server) resolveUnmatched(c *fiber.Ctx, send notify.Senders) error {
	id, err := boCaseID(c, "id")
	if err != nil {
		return err
	}
	ctx, u := c.UserContext(), currentUser(c)
	m, err := s.office.UnmatchedForUser(ctx, u, id)
	if err != nil {
		return err
	}
	note := c.FormValue("note")
	err = s.office.ResolveUnmatched(ctx, u, id, note)
	var inv *portal.InvalidError
	switch {
	case errors.As(err, &inv):
		key := "adm.err.unmatched_note_required"
		if inv.Code == "too_long" {
			key = "adm.err.unmatched_note_too_long"
		}
		return s.adminUnmatchedProblem(c, send, m, views.FieldErrors{{Field: fmt.Sprintf("note-%d", id), Key: key}}, note)
	case err != nil:
		return err
	case m.CaseID == nil:
		return c.Redirect("/admin/worklist?notice=unmatched_resolved", fiber.StatusSeeOther)
	}
	return c.Redirect(fmt.Sprintf("/admin/cases/%d?notice=unmatched_resolved#unmatched-h", *m.CaseID), fiber.StatusSeeOther)
}

// adminUnmatchedProblem shows the page the resolution came from again,
// with the note's problem at its field (422).
func (s *Server) adminUnmatchedProblem(c *fiber.Ctx, send notify.Senders, m portal.UnmatchedMoney, errs views.FieldErrors, note string) error {
	mark := func(list []views.BoUnmatched) {
		for i := range list {
			if list[i].ID == m.ID {
				list[i].Failed, list[i].Note = true, note
			}
		}
	}
	if m.CaseID == nil {
		v, err := s.adminWorklistView(c, 0, errs, "", "", "")
		if err != nil {
			return err
		}
		mark(v.NoCase)
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_worklist", v)
	}
	v, err := s.adminCaseView(c, *m.CaseID, send)
	if err != nil {
		return err
	}
	v.Errors = errs
	mark(v.Unmatched)
	return s.render(c, fiber.StatusUnprocessableEntity, "admin_case_show", v)
}
