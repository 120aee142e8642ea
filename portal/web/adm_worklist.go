package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/views"
)

// admWorklistShown is how many worklist items a page shows: the largest
// balances; the rest wait for these to be dealt with.
const admWorklistShown = 200

// admWorklist is GET /admin/worklist: the cases that need a person,
// largest balance first, each with why it is there.
func (s *Server) admWorklist(c *fiber.Ctx) error {
	v, err := s.admWorklistView(c, 0, views.FieldErrors{}, "", "", "")
	if err != nil {
		return err
	}
	switch n := c.Query("notice"); n {
	case "approved", "countered", "declined":
		v.Notice = n
	}
	return s.render(c, fiber.StatusOK, "adm_worklist", v)
}

// admWorklistView builds the worklist; failed names the plan whose
// decision had problems (errs), with the answers kept.
func (s *Server) admWorklistView(c *fiber.Ctx, failed int64, errs views.FieldErrors, freq, count, reason string) (views.AdmWorklistView, error) {
	items, err := s.svc.Worklist(c.UserContext(), currentUser(c))
	if err != nil {
		return views.AdmWorklistView{}, err
	}
	v := views.AdmWorklistView{User: boUser(c), Errors: errs, Frequencies: views.AdmFrequencies, Items: []views.AdmWorkItem{}}
	if len(items) > admWorklistShown {
		v.More = len(items) - admWorklistShown
		items = items[:admWorklistShown]
	}
	loc := location("")
	for _, it := range items {
		amount := func(cents int64) views.Amount { return views.Amount{Cents: cents, Currency: it.Currency} }
		caseURL := "/admin/cases/" + strconv.FormatInt(it.CaseID, 10)
		w := views.AdmWorkItem{CaseURL: caseURL, Reference: it.Reference, DebtorName: it.DebtorName, Creditor: it.CreditorName,
			Status: it.Status, Balance: amount(it.BalanceCents), Since: it.Since.In(loc)}
		for _, r := range it.Reasons {
			ar := views.AdmReason{Kind: r.Kind, Since: r.Since.In(loc), Count: r.Count, Amount: amount(r.AmountCents), CallbackSlot: r.CallbackSlot}
			if r.CallbackOn != nil {
				ar.CallbackOn = r.CallbackOn.Time
			}
			if r.Kind == portal.WorkLinkLocked {
				ar.NewLinkURL = caseURL + "#send-h"
			}
			if p := r.Plan; p != nil {
				base := fmt.Sprintf("/admin/worklist/plans/%d/", p.ID)
				pr := &views.AdmPlanRequest{ID: p.ID, Frequency: p.Frequency, Count: p.InstalmentCount, PerPeriod: amount(p.RequestedInstalmentCents),
					Total: amount(p.TotalCents), OutsideReason: p.OutsideReason,
					ApproveURL: base + "approve", CounterURL: base + "counter", DeclineURL: base + "decline",
					CounterFrequency: p.Frequency, CounterCount: strconv.Itoa(p.InstalmentCount)}
				if !isKnown(views.AdmOutsideReasons, pr.OutsideReason) {
					pr.OutsideReason = ""
				}
				if !isKnown(views.AdmFrequencies, pr.Frequency) {
					pr.Frequency, pr.CounterFrequency = "monthly", "monthly"
				}
				if p.ID == failed {
					pr.Failed, pr.CounterFrequency, pr.CounterCount, pr.Reason = true, freq, count, reason
				}
				ar.Plan = pr
			}
			w.Reasons = append(w.Reasons, ar)
		}
		v.Items = append(v.Items, w)
	}
	return v, nil
}

func isKnown(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// admPlanID parses :plan; a malformed id is a 404 like an unknown one.
func admPlanID(c *fiber.Ctx) (int64, error) { return boCaseID(c, "plan") }

// admPlanApprove is POST /admin/worklist/plans/:plan/approve.
func (s *Server) admPlanApprove(c *fiber.Ctx) error {
	id, err := admPlanID(c)
	if err != nil {
		return err
	}
	if _, err := s.svc.ApprovePlanForUser(c.UserContext(), currentUser(c), id, ""); err != nil {
		return err
	}
	return c.Redirect("/admin/worklist?notice=approved", fiber.StatusSeeOther)
}

// admPlanCounter is POST /admin/worklist/plans/:plan/counter: fields
// "frequency", "count" and "reason" (the debtor reads it). A plan outside
// the creditor's limits shows the worklist again with the problem (422).
func (s *Server) admPlanCounter(c *fiber.Ctx) error {
	id, err := admPlanID(c)
	if err != nil {
		return err
	}
	freq, countText, reason := c.FormValue("frequency"), strings.TrimSpace(c.FormValue("count")), c.FormValue("reason")
	count, cerr := strconv.Atoi(countText)
	if cerr != nil {
		count = -1
	}
	_, err = s.svc.CounterOfferPlan(c.UserContext(), currentUser(c), id, portal.CounterOffer{Frequency: plans.Frequency(freq), Count: count, Reason: reason})
	if err == nil {
		return c.Redirect("/admin/worklist?notice=countered", fiber.StatusSeeOther)
	}
	return s.admPlanProblem(c, id, err, "counter", freq, countText, reason)
}

// admPlanDecline is POST /admin/worklist/plans/:plan/decline: field
// "reason", which the debtor reads.
func (s *Server) admPlanDecline(c *fiber.Ctx) error {
	id, err := admPlanID(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	if err := s.svc.DeclinePlanForUser(c.UserContext(), currentUser(c), id, reason); err != nil {
		return s.admPlanProblem(c, id, err, "decline", "", "", reason)
	}
	return c.Redirect("/admin/worklist?notice=declined", fiber.StatusSeeOther)
}

// admPlanProblem shows the worklist again with an invalid decision's
// problem at its field (422); any other error goes to the error page.
func (s *Server) admPlanProblem(c *fiber.Ctx, planID int64, err error, form, freq, count, reason string) error {
	var inv *portal.InvalidError
	if !errors.As(err, &inv) {
		return err
	}
	field, key := "count", "adm.err.count"
	switch {
	case inv.Field == "reason":
		field, key = form+"-reason", "adm.err.reason_required"
		if inv.Code == "too_long" {
			key = "adm.err.reason_too_long"
		}
	case inv.Field == "frequency":
		field, key = "frequency", "adm.err.frequency"
	}
	if strings.HasPrefix(inv.Code, "limit_") {
		key = "adm.err." + inv.Code
	} else if inv.Field == "count" && inv.Code == "count" && strings.Contains(inv.Message, "schedule") {
		key = "adm.err.no_schedule"
	}
	errs := views.FieldErrors{{Field: fmt.Sprintf("%s-%d", field, planID), Key: key}}
	v, verr := s.admWorklistView(c, planID, errs, freq, count, reason)
	if verr != nil {
		return verr
	}
	return s.render(c, fiber.StatusUnprocessableEntity, "adm_worklist", v)
}
