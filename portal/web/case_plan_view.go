package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/views"
)

// Shared by the plan pages: turning plans and schedules into what the pages
// show, reading the plan form, and the calm answers to a refused request.

// planRetryDays is how long after a payment that did not go through the
// scheduler tries again, as the pages say it.
var planRetryDays = int(money.InstalmentRetryDelay / (24 * time.Hour))

// planSummary is a schedule at a glance, in the case's currency.
func planSummary(o plans.Option, currency string) views.PlanSummary {
	amount := func(c int64) views.Amount { return views.Amount{Cents: c, Currency: currency} }
	s := views.PlanSummary{
		Frequency: string(o.Frequency), Count: o.Count, Regular: amount(o.InstalmentCents),
		DownPayment: amount(o.DownPaymentCents), First: o.FirstDueOn, Last: o.LastDueOn, Total: amount(o.TotalCents),
		Undated: len(o.Instalments) == 0,
	}
	for _, in := range o.Instalments {
		if !in.DownPayment && in.AmountCents > o.InstalmentCents {
			s.Extra++
			s.ExtraAmount = amount(in.AmountCents)
		}
	}
	return s
}

// planInstalments lists a schedule not started yet.
func planInstalments(o plans.Option, currency string) []views.PlanInstalmentView {
	out := make([]views.PlanInstalmentView, 0, len(o.Instalments))
	for _, in := range o.Instalments {
		out = append(out, views.PlanInstalmentView{Seq: in.Seq, DueOn: in.DueOn, DownPayment: in.DownPayment,
			Amount: views.Amount{Cents: in.AmountCents, Currency: currency}})
	}
	return out
}

// optionOfPlan is a saved plan as the schedule it was made from, so a plan
// and an offered option read the same.
func optionOfPlan(p portal.Plan) plans.Option {
	o := plans.Option{Frequency: plans.Frequency(p.Frequency), Count: p.InstalmentCount, DownPaymentCents: p.DownPaymentCents,
		TotalCents: p.TotalCents, InstalmentCents: p.RequestedInstalmentCents}
	for _, in := range p.Instalments {
		if in.Status == portal.InstalmentCancelled && p.Status != portal.PlanStatusCancelled {
			continue
		}
		o.Instalments = append(o.Instalments, plans.Instalment{Seq: in.Seq, DueOn: in.DueOn.Time, AmountCents: in.AmountCents,
			DownPayment: in.Seq == 1 && p.DownPaymentCents > 0})
	}
	if n := len(o.Instalments); n > 0 {
		o.FirstDueOn, o.LastDueOn = o.Instalments[0].DueOn, o.Instalments[n-1].DueOn
		o.InstalmentCents = o.Instalments[n-1].AmountCents
	}
	return o
}

// scheduleInstalments lists a saved plan's instalments with their status.
func scheduleInstalments(p portal.Plan, currency string) []views.PlanInstalmentView {
	out := make([]views.PlanInstalmentView, 0, len(p.Instalments))
	for _, in := range p.Instalments {
		out = append(out, planInstalmentView(p, in, currency))
	}
	return out
}

func planInstalmentView(p portal.Plan, in portal.Instalment, currency string) views.PlanInstalmentView {
	return views.PlanInstalmentView{Seq: in.Seq, DueOn: in.DueOn.Time, Amount: views.Amount{Cents: in.AmountCents, Currency: currency},
		DownPayment: in.Seq == 1 && p.DownPaymentCents > 0, Status: in.Status}
}

// planReason says why the creditor must look at a plan first: the limit it
// breaks, with the limit's value from the policy, or "review" when every
// plan waits for the creditor.
func planReason(reason plans.Reason, limit int64, currency string) (key string, n int64, amount views.Amount) {
	switch reason {
	case "":
		return "review", 0, views.Amount{}
	case plans.ReasonDownPaymentTooSmall, plans.ReasonInstalmentTooSmall:
		return string(reason), 0, views.Amount{Cents: limit, Currency: currency}
	case plans.ReasonFrequencyNotAllowed, plans.ReasonTooManyInstalments, plans.ReasonFirstPaymentTooLate, plans.ReasonTooLong:
		return string(reason), limit, views.Amount{}
	}
	return "review", 0, views.Amount{}
}

// policyLimit is the value of the limit a saved request broke, read again
// from the policy (a plan keeps the reason, not the value).
func policyLimit(reason plans.Reason, p plans.Policy, totalCents int64) int64 {
	switch reason {
	case plans.ReasonTooManyInstalments:
		return int64(p.MaxInstalments)
	case plans.ReasonFirstPaymentTooLate:
		return int64(p.FirstPaymentWithinDays)
	case plans.ReasonDownPaymentTooSmall:
		// Rounded up to the cent, as plans does.
		return (totalCents*int64(p.MinDownPaymentPercent) + 99) / 100
	case plans.ReasonInstalmentTooSmall:
		return p.MinInstalmentCents
	case plans.ReasonTooLong:
		return int64(p.MaxDurationDays)
	}
	return 0
}

// allowedFrequencies are the policy's frequencies in the order the page
// lists them.
func allowedFrequencies(p plans.Policy) []string {
	var out []string
	for _, f := range views.Frequencies {
		for _, a := range p.Frequencies {
			if string(a) == f {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// planCheckURL is the check page of an offered option.
func planCheckURL(o plans.Option) string {
	q := url.Values{"frequency": {string(o.Frequency)}, "count": {strconv.Itoa(o.Count)}}
	return "/case/plan/check?" + q.Encode()
}

// planForm is the plan a debtor asks for, as the check page's query or
// the confirm form sends it: a frequency and either a number of payments
// or what they can afford per period.
type planForm struct {
	Frequency string
	Count     string
	Afford    string
	// HasAfford: the afford field was sent (empty or not).
	HasAfford bool
}

// request reads the form into a plan request. Amounts are read exactly
// into cents by portal.ParseAmount ("93,50" and "93.50" alike, never a
// float). Every problem found is returned, in the order of the fields.
func (f planForm) request() (portal.PlanRequest, views.FieldErrors) {
	var req portal.PlanRequest
	var errs views.FieldErrors
	freq, err := plans.ParseFrequency(f.Frequency)
	if err != nil {
		errs = append(errs, views.FieldError{Field: "frequency", Key: "plan.err.frequency.choose"})
	}
	req.Frequency = freq
	afford := strings.TrimSpace(f.Afford)
	switch {
	case afford != "":
		cents, err := portal.ParseAmount(afford)
		if err != nil || cents <= 0 {
			errs = append(errs, views.FieldError{Field: "afford", Key: "plan.err.afford.format"})
		}
		req.AffordableCents = cents
	case f.HasAfford:
		errs = append(errs, views.FieldError{Field: "afford", Key: "plan.err.afford.required"})
	default:
		n, err := strconv.Atoi(strings.TrimSpace(f.Count))
		if err != nil || n <= 0 || n > plans.MaxInstalments {
			errs = append(errs, views.FieldError{Field: "count", Key: "plan.err.count.choose"})
		}
		req.Count = n
	}
	return req, errs
}

// planFieldError turns the service's *InvalidError about a plan request
// into the field error the chooser shows; ok is false for any other error.
func planFieldError(err error) (views.FieldError, bool) {
	var inv *portal.InvalidError
	if !errors.As(err, &inv) {
		return views.FieldError{}, false
	}
	switch inv.Field {
	case "frequency":
		return views.FieldError{Field: "frequency", Key: "plan.err.frequency.choose"}, true
	case "affordable_cents":
		return views.FieldError{Field: "afford", Key: "plan.err.afford.format"}, true
	case "start_on":
		return views.FieldError{Field: "count", Key: "plan.err.start.past"}, true
	}
	return views.FieldError{Field: "count", Key: "plan.err.count.choose"}, true
}

// planRefusal answers calmly when the service refuses a plan action:
// a contested case, nothing left to pay, card payment not configured. A
// plan that already runs, or none waiting, sends the debtor to the plan
// page, which shows where things stand. ok is false for other errors.
func (s *Server) planRefusal(c *fiber.Ctx, err error, d portal.CaseDetail) (bool, error) {
	switch {
	case errors.Is(err, portal.ErrPaymentsPaused):
		return true, s.payProblem(c, fiber.StatusConflict, "paused", d)
	case errors.Is(err, portal.ErrNothingToPay):
		return true, s.payProblem(c, fiber.StatusConflict, "nothing_due", d)
	case errors.Is(err, portal.ErrCardNotConfigured):
		return true, s.payProblem(c, fiber.StatusServiceUnavailable, "unavailable", d)
	case errors.Is(err, portal.ErrConflict), errors.Is(err, portal.ErrNotFound):
		return true, c.Redirect(money.PlanPath, fiber.StatusSeeOther)
	}
	return false, nil
}

// planCase loads the session's case and answers in its language.
func (s *Server) planCase(c *fiber.Ctx) (portal.CaseDetail, error) {
	d, err := s.svc.CaseDetail(c.UserContext(), debtorCaseID(c))
	if err != nil {
		return d, err
	}
	useCaseLanguage(c, d.Case.DebtorLanguage)
	return d, nil
}

func planPage(d portal.CaseDetail, errs views.FieldErrors) views.PlanPage {
	return views.PlanPage{ChoicePage: views.ChoicePage{Creditor: contactOf(d.Creditor), Errors: errs}}
}
