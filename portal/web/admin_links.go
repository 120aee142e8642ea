package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/views"
)

// adminLinkCreate makes a link for the case during a call: "copy" shows it
// once (with a QR code); "email" and "sms" send it and come back to the
// case page. A channel that cannot be used re-renders the case page with
// the problem (422); nothing is created.
func (s *Server) adminLinkCreate(send notify.Senders) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := boCaseID(c, "id")
		if err != nil {
			return err
		}
		channel := c.FormValue("channel")
		nl, err := s.office.SendLinkForUser(c.UserContext(), currentUser(c), id, channel, send)
		var inv *portal.InvalidError
		switch {
		case errors.As(err, &inv), errors.Is(err, office.ErrSendFailed):
			v, verr := s.adminCaseView(c, id, send)
			if verr != nil {
				return verr
			}
			v.Channel = channel
			v.SendProblem = "send_failed"
			status := fiber.StatusBadGateway
			if inv != nil {
				v.SendProblem, status = inv.Code, fiber.StatusUnprocessableEntity
			}
			if channel != "copy" && channel != "email" && channel != "sms" {
				v.Channel = ""
			}
			return s.render(c, status, "admin_case_show", v)
		case err != nil:
			return err
		}
		caseURL := fmt.Sprintf("/admin/cases/%d", id)
		if channel != "copy" {
			return c.Redirect(caseURL+"?notice=sent_"+channel, fiber.StatusSeeOther)
		}
		d, err := s.svc.CaseForUser(c.UserContext(), currentUser(c), id)
		if err != nil {
			return err
		}
		v := views.BoLinkShownView{User: boUser(c), CaseURL: caseURL, Reference: d.Case.Reference,
			URL: nl.URL, ExpiresAt: nl.Link.ExpiresAt.In(location(d.Creditor.TimeZone)), ScriptURL: boScript}
		if png, err := qrcode.Encode(nl.URL, qrcode.Medium, 256); err == nil {
			v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		}
		// The page holds the token: no cache may keep it (render sets no-store).
		return s.render(c, fiber.StatusCreated, "admin_link_shown", v)
	}
}

// adminLinkRevoke stops a link of the case from working.
func (s *Server) adminLinkRevoke(c *fiber.Ctx) error {
	id, err := boCaseID(c, "id")
	if err != nil {
		return err
	}
	linkID, err := boCaseID(c, "link")
	if err != nil {
		return err
	}
	if err := s.office.RevokeLinkForUser(c.UserContext(), currentUser(c), id, linkID); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/cases/%d?notice=revoked", id), fiber.StatusSeeOther)
}
