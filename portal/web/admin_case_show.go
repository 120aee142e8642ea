package web

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/views"
)

// boScript is the back office's progressive-enhancement script.
var boScript = "/static/backoffice.js"

// boCaseID parses :id; a malformed id is a 404 like an unknown one.
func boCaseID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, portal.ErrNotFound
	}
	return id, nil
}

// adminCaseShow is the agent's view of a case: everything about it, the links
// and the live timeline.
func (s *Server) adminCaseShow(send notify.Senders) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := boCaseID(c, "id")
		if err != nil {
			return err
		}
		v, err := s.adminCaseView(c, id, send)
		if err != nil {
			return err
		}
		if n := c.Query("notice"); isKnown(views.BoNotices, n) {
			v.Notice = n
		}
		return s.render(c, fiber.StatusOK, "admin_case_show", v)
	}
}

// adminCaseView loads a case the user may see into the case page's view.
func (s *Server) adminCaseView(c *fiber.Ctx, id int64, send notify.Senders) (views.BoCaseView, error) {
	ctx := c.UserContext()
	u := currentUser(c)
	d, err := s.svc.CaseForUser(ctx, u, id)
	if err != nil {
		return views.BoCaseView{}, err
	}
	links, err := s.office.LinksForUser(ctx, u, id)
	if err != nil {
		return views.BoCaseView{}, err
	}
	tl, err := s.adminTimelineView(c, u, d)
	if err != nil {
		return views.BoCaseView{}, err
	}
	cv := caseView(d, false)
	cs := d.Case
	v := views.BoCaseView{
		User: boUser(c), ID: cs.ID, Reference: cs.Reference, Status: string(cs.Status), Creditor: d.Creditor.Name,
		DebtorName: cs.DebtorName, DebtorKind: cs.DebtorKind, Email: cs.DebtorEmail, Phone: cs.DebtorPhone,
		Postcode: cs.DebtorPostcode, Language: cs.DebtorLanguage,
		Balance: views.Amount{Cents: d.Balance.Cents(), Currency: cs.Currency},
		Total:   cv.Total, Paid: cv.Paid, Invoices: cv.Invoices, Payments: cv.Payments, Documents: cv.Documents,
		Timeline: tl, LinkAction: fmt.Sprintf("/admin/cases/%d/links", cs.ID), ScriptURL: boScript,
		EmailOff: cs.DebtorEmail == "" || send.Mail == nil, SMSOff: cs.DebtorPhone == "" || send.SMS == nil,
		Unmatched: unmatchedViews(d.Unmatched, d.Creditor.TimeZone),
	}
	for i := range v.Documents {
		v.Documents[i].URL = "" // the debtor's document URLs need a debtor session
	}
	if d.Plan != nil {
		p := &views.BoPlanView{Status: d.Plan.Status, Frequency: d.Plan.Frequency}
		for _, in := range d.Plan.Instalments {
			p.Instalments = append(p.Instalments, views.BoInstalmentView{Seq: in.Seq, DueOn: in.DueOn.Time,
				Amount: views.Amount{Cents: in.AmountCents, Currency: cs.Currency}, Status: in.Status})
		}
		v.Plan = p
	}
	now := s.svc.Now()
	for _, l := range links {
		lv := views.BoLinkView{ID: l.ID, Channel: l.Channel, CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt, State: "active", Opened: l.LastOpenedAt != nil}
		switch {
		case l.RevokedAt != nil:
			lv.State = "revoked"
		case !now.Before(l.ExpiresAt):
			lv.State = "expired"
		case l.LockedAt != nil:
			lv.State = "locked"
		}
		if lv.State != "revoked" && lv.State != "expired" {
			lv.RevokeURL = fmt.Sprintf("/admin/cases/%d/links/%d/revoke", cs.ID, l.ID)
		}
		v.Links = append(v.Links, lv)
	}
	return v, nil
}

// adminTimelineView is a case's timeline, newest first, times in the
// creditor's time zone, users named by their email.
func (s *Server) adminTimelineView(c *fiber.Ctx, u portal.User, d portal.CaseDetail) (views.BoTimelineView, error) {
	ctx := c.UserContext()
	evs, err := s.office.TimelineForUser(ctx, u, d.Case.ID)
	if err != nil {
		return views.BoTimelineView{}, err
	}
	var ids []int64
	for _, e := range evs {
		if e.ActorKind == portal.ActorUser && e.ActorID != nil {
			ids = append(ids, *e.ActorID)
		}
	}
	names, err := s.office.UsersByID(ctx, ids)
	if err != nil {
		return views.BoTimelineView{}, err
	}
	known := map[portal.EventKind]bool{}
	for _, k := range portal.EventKinds {
		known[k] = true
	}
	loc := location(d.Creditor.TimeZone)
	v := views.BoTimelineView{URL: fmt.Sprintf("/admin/cases/%d/timeline", d.Case.ID)}
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		ev := views.BoEventView{Kind: string(e.Kind), Known: known[e.Kind], Actor: e.ActorKind, At: e.CreatedAt.In(loc), Detail: eventDetail(e.Data)}
		if e.ActorKind == portal.ActorUser && e.ActorID != nil {
			ev.Who = names[*e.ActorID]
		}
		switch ev.Actor {
		case "debtor", "user", "creditor", "stripe", "system":
		default:
			ev.Actor = "system"
		}
		v.Events = append(v.Events, ev)
	}
	return v, nil
}

// eventDetail picks the one field of an event's data an agent wants at a
// glance: the channel of a link, the new status.
func eventDetail(raw string) string {
	var m map[string]any
	if json.Unmarshal([]byte(raw), &m) != nil {
		return ""
	}
	for _, k := range []string{"channel", "status", "to"} {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// adminTimeline is the timeline alone, which backoffice.js fetches every few
// seconds to keep the case page live.
func (s *Server) adminTimeline(c *fiber.Ctx) error {
	id, err := boCaseID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	d, err := s.svc.CaseForUser(c.UserContext(), u, id)
	if err != nil {
		return err
	}
	v, err := s.adminTimelineView(c, u, d)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_timeline", v)
}
