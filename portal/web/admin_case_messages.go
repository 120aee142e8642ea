package web

import (
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/views"
)

// adminCaseMessages is GET /admin/cases/:id/messages: every message planned
// or sent to the case's debtor, what came of it, and the opt-outs.
func (s *Server) adminCaseMessages(c *fiber.Ctx) error {
	id, err := boCaseID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	u := currentUser(c)
	d, err := s.svc.CaseForUser(ctx, u, id)
	if err != nil {
		return err
	}
	out := s.cfg.Services.Outreach
	ms, err := out.Messages(ctx, id)
	if err != nil {
		return err
	}
	opted, err := out.OptedOut(ctx, id)
	if err != nil {
		return err
	}
	opened, err := out.OpenedLinks(ctx, id)
	if err != nil {
		return err
	}
	zone := d.Creditor.Location()
	v := views.RemMessagesView{User: boUser(c), CaseURL: fmt.Sprintf("/admin/cases/%d", id), Reference: d.Case.Reference,
		Action: fmt.Sprintf("/admin/cases/%d/opt-out", id), CanEdit: u.Role == portal.RoleAgent || u.Role == portal.RoleAdmin, // every role may; the route checks it
		Channels: []views.RemChannelView{
			{Channel: outreach.ChannelEmail, HasAddress: d.Case.DebtorEmail != "", OptedOut: slices.Contains(opted, outreach.ChannelEmail)},
			{Channel: outreach.ChannelSMS, HasAddress: d.Case.DebtorPhone != "", OptedOut: slices.Contains(opted, outreach.ChannelSMS)},
		}}
	if c.Query("notice") == "opted_out" {
		v.Notice = "opted_out"
	}
	for _, m := range ms {
		at := m.DueAt
		if m.SentAt != nil {
			at = *m.SentAt
		}
		mv := views.RemMessageView{At: at.In(zone).Format("2006-01-02 15:04"), Reason: m.Reason, Step: m.Step + 1, Channel: m.Channel, Template: m.Template, State: m.State}
		if slices.Contains(views.RemOutcomes, m.Outcome) {
			mv.Outcome = m.Outcome
		}
		if m.LinkID != nil && opened[*m.LinkID] && (m.State == outreach.StateSent || m.State == outreach.StateUncertain) {
			mv.Outcome = "link_opened"
		}
		v.Messages = append(v.Messages, mv)
	}
	return s.render(c, fiber.StatusOK, "admin_case_messages", v)
}

// adminCaseOptOut is POST /admin/cases/:id/opt-out (field channel): the
// agent's toggle, for a debtor who asked by phone or letter.
func (s *Server) adminCaseOptOut(c *fiber.Ctx) error {
	id, err := boCaseID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	if _, err := s.svc.CaseForUser(c.UserContext(), u, id); err != nil {
		return err
	}
	if err := s.cfg.Services.Outreach.OptOutByAgent(c.UserContext(), id, c.FormValue("channel"), portal.UserActor(u.ID)); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/cases/%d/messages?notice=opted_out", id), fiber.StatusSeeOther)
}
