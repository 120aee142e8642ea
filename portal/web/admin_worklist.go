package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/views"
)

// admWorklistShown is how many worklist items a page shows: the largest
// balances; the rest wait for these to be dealt with.
const admWorklistShown = 200

// adminWorklist is GET /admin/worklist: the cases that need a person,
// largest balance first, each with why it is there.
func (s *Server) adminWorklist(c *fiber.Ctx) error {
	v, err := s.adminWorklistView(c, 0, views.FieldErrors{}, "", "", "")
	if err != nil {
		return err
	}
	if n := c.Query("notice"); isKnown(views.AdmWorklistNotices, n) {
		v.Notice = n
	}
	return s.render(c, fiber.StatusOK, "admin_worklist", v)
}

// adminWorklistView builds the worklist; failed names the plan whose
// decision had problems (errs), with the answers kept.
func (s *Server) adminWorklistView(c *fiber.Ctx, failed int64, errs views.FieldErrors, freq, count, reason string) (views.AdmWorklistView, error) {
	items, err := s.office.Worklist(c.UserContext(), currentUser(c))
	if err != nil {
		return views.AdmWorklistView{}, err
	}
	v := views.AdmWorklistView{User: boUser(c), Errors: errs, Frequencies: views.AdmFrequencies,
		DisputeDecisions: views.AdmDisputeDecisions, Items: []views.AdmWorkItem{}}
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
			switch r.Kind {
			case office.WorkLinkLocked:
				ar.NewLinkURL = caseURL + "#send-h"
			case office.WorkUnmatched:
				ar.UnmatchedURL = caseURL + "#unmatched-h"
			}
			admSaid(&ar, r, amount)
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
	noCase, err := s.office.UnmatchedWithoutCase(c.UserContext(), currentUser(c))
	if err != nil {
		return views.AdmWorklistView{}, err
	}
	v.NoCase = unmatchedViews(noCase, "")
	return v, nil
}

// admSaid fills what the debtor said: a dispute's reason and words (and
// the form to resolve it), a help request's reason, budget and wish, a
// missed promise's date and amount.
func admSaid(ar *views.AdmReason, r office.WorkReason, amount func(int64) views.Amount) {
	switch r.Kind {
	case office.WorkDispute:
		if isKnown(views.AdmContestReasons, r.Said) {
			ar.SaidKey = "choice.contest.reason." + r.Said + "_label"
		}
		ar.Text = r.Text
		if r.DisputeID != 0 {
			ar.Dispute = &views.AdmDispute{ID: r.DisputeID, ResolveURL: fmt.Sprintf("/admin/worklist/disputes/%d/resolve", r.DisputeID)}
		}
	case office.WorkHelpRequest:
		if isKnown(views.AdmHardshipReasons, r.Said) {
			ar.SaidKey = "choice.hardship.reason." + r.Said + "_label"
		}
		if b := r.Budget; b != nil {
			ar.Budget = &views.AdmBudget{Income: amount(b.IncomeCents), Outgoings: amount(b.OutgoingsCents()), Disposable: amount(b.DisposableCents())}
		} else if r.DisposableCents != nil {
			ar.Budget = &views.AdmBudget{Disposable: amount(*r.DisposableCents)}
		}
		ar.Pause = r.Pause
	case office.WorkPromiseMissed:
		if r.PromisedOn != nil {
			ar.PromisedOn = r.PromisedOn.Time
		}
		ar.Promised = amount(r.PromisedCents)
	}
}

// admDisputeDecision maps a resolution form's "decision" to
// ResolveDispute's upheld and outcome; ok is false for an unknown one.
func admDisputeDecision(d string) (upheld bool, outcome string, ok bool) {
	switch d {
	case "upheld_close":
		return true, choices.OutcomeClose, true
	case "upheld_correct":
		return true, choices.OutcomeCorrect, true
	case "rejected":
		return false, "", true
	}
	return false, "", false
}

// adminDisputeResolve is POST /admin/worklist/disputes/:dispute/resolve:
// fields "decision" (views.AdmDisputeDecisions) and "reasons", which the
// debtor reads (required when rejected). Problems show the worklist again
// with the answers kept (422) and change nothing.
func (s *Server) adminDisputeResolve(c *fiber.Ctx) error {
	id, err := boCaseID(c, "dispute")
	if err != nil {
		return err
	}
	u := currentUser(c)
	decision, reasons := c.FormValue("decision"), c.FormValue("reasons")
	upheld, outcome, ok := admDisputeDecision(decision)
	if !ok {
		return s.adminDisputeProblem(c, id, views.FieldErrors{{Field: fmt.Sprintf("decision-%d", id), Key: "adm.err.decision"}}, "", reasons)
	}
	if _, err := s.choices.ResolveDispute(c.UserContext(), u, id, upheld, outcome, reasons, portal.UserActor(u.ID)); err != nil {
		var inv *portal.InvalidError
		if !errors.As(err, &inv) {
			return err
		}
		field, key := "decision", "adm.err.decision"
		if inv.Field == "reasons" {
			field, key = "dispute-reasons", "adm.err.dispute_reasons_required"
			if inv.Code == "too_long" {
				key = "adm.err.dispute_reasons_too_long"
			}
		}
		return s.adminDisputeProblem(c, id, views.FieldErrors{{Field: fmt.Sprintf("%s-%d", field, id), Key: key}}, decision, reasons)
	}
	notice := "dispute_rejected"
	if upheld {
		notice = "dispute_upheld"
	}
	return c.Redirect("/admin/worklist?notice="+notice, fiber.StatusSeeOther)
}

// adminDisputeProblem shows the worklist again with a dispute decision's
// problem at its field (422). A dispute the user may not see, or that is
// no longer on the worklist, is a 404.
func (s *Server) adminDisputeProblem(c *fiber.Ctx, id int64, errs views.FieldErrors, decision, reasons string) error {
	v, err := s.adminWorklistView(c, 0, errs, "", "", "")
	if err != nil {
		return err
	}
	found := false
	for i := range v.Items {
		for j := range v.Items[i].Reasons {
			if d := v.Items[i].Reasons[j].Dispute; d != nil && d.ID == id {
				d.Failed, d.Decision, d.Reasons, found = true, decision, reasons, true
			}
		}
	}
	if !found {
		return portal.ErrNotFound
	}
	return s.render(c, fiber.StatusUnprocessableEntity, "admin_worklist", v)
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

// adminPlanApprove is POST /admin/worklist/plans/:plan/approve.
func (s *Server) adminPlanApprove(c *fiber.Ctx) error {
	id, err := admPlanID(c)
	if err != nil {
		return err
	}
	if _, err := s.money.ApprovePlanForUser(c.UserContext(), currentUser(c), id, ""); err != nil {
		return err
	}
	return c.Redirect("/admin/worklist?notice=approved", fiber.StatusSeeOther)
}

// adminPlanCounter is POST /admin/worklist/plans/:plan/counter: fields
// "frequency", "count" and "reason" (the debtor reads it). A plan outside
// the creditor's limits shows the worklist again with the problem (422).
func (s *Server) adminPlanCounter(c *fiber.Ctx) error {
	id, err := admPlanID(c)
	if err != nil {
		return err
	}
	freq, countText, reason := c.FormValue("frequency"), strings.TrimSpace(c.FormValue("count")), c.FormValue("reason")
	count, cerr := strconv.Atoi(countText)
	if cerr != nil {
		count = -1
	}
	_, err = s.money.CounterOfferPlan(c.UserContext(), currentUser(c), id, money.CounterOffer{Frequency: plans.Frequency(freq), Count: count, Reason: reason})
	if err == nil {
		return c.Redirect("/admin/worklist?notice=countered", fiber.StatusSeeOther)
	}
	return s.adminPlanProblem(c, id, err, "counter", freq, countText, reason)
}

// adminPlanDecline is POST /admin/worklist/plans/:plan/decline: field
// "reason", which the debtor reads.
func (s *Server) adminPlanDecline(c *fiber.Ctx) error {
	id, err := admPlanID(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	if err := s.money.DeclinePlanForUser(c.UserContext(), currentUser(c), id, reason); err != nil {
		return s.adminPlanProblem(c, id, err, "decline", "", "", reason)
	}
	return c.Redirect("/admin/worklist?notice=declined", fiber.StatusSeeOther)
}

// adminPlanProblem shows the worklist again with an invalid decision's
// problem at its field (422); any other error goes to the error page.
func (s *Server) adminPlanProblem(c *fiber.Ctx, planID int64, err error, form, freq, count, reason string) error {
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
	v, verr := s.adminWorklistView(c, planID, errs, freq, count, reason)
	if verr != nil {
		return verr
	}
	return s.render(c, fiber.StatusUnprocessableEntity, "admin_worklist", v)
}
