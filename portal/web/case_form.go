package web

import (
	"errors"
	"strings"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/views"
)

// Shared by the debtor's other choices (promise, contest, cannot pay):
// reading dates and amounts as people type them, and turning invalid
// answers into GOV.UK-style field errors.

// dayLayouts are the ways a date may be typed: what <input type="date">
// sends, and by hand where the browser shows a text box instead.
var dayLayouts = []string{"2006-01-02", "2/1/2006", "2-1-2006", "2.1.2006"}

// parseDay reads a calendar date typed as YYYY-MM-DD or DD/MM/YYYY.
func parseDay(s string) (portal.Date, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dayLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return portal.Date{Time: t}, true
		}
	}
	return portal.Date{}, false
}

// choiceFieldError turns a domain *InvalidError into the field error a
// choice page shows, with its message key. ok is false for an error the
// page has no field for.
func choiceFieldError(err error) (views.FieldError, bool) {
	var inv *portal.InvalidError
	if !errors.As(err, &inv) {
		return views.FieldError{}, false
	}
	fe := views.FieldError{Field: inv.Field}
	switch inv.Field + "/" + inv.Code {
	case "date/promise_date_range":
		fe.Key = "choice.err.date.range"
	case "amount/promise_amount_range":
		fe.Key = "choice.err.amount.range"
	case "reason/required":
		fe.Key = "choice.err.reason.required"
	case "invoices/unknown_invoice":
		fe.Key = "choice.err.invoices.unknown"
	case "text/required_other":
		fe.Key = "choice.err.text.required_other"
	case "text/too_long":
		fe.Key, fe.N = "choice.err.text.too_long", choices.MaxContestText
	case "files/too_many":
		fe.Key, fe.N = "choice.err.files.too_many", choices.MaxContestFiles
	case "files/empty", "files/too_large", "files/type":
		fe.Key = "choice.err.files." + inv.Code
	case "callback_on/callback_date_range":
		fe.Key = "choice.err.callback_on.range"
	case "callback_slot/required":
		fe.Key = "choice.err.callback_slot.required"
	case "follow_up/required", "follow_up/one":
		fe.Key = "choice.err.follow_up.required"
	default:
		switch inv.Code {
		case "amount": // a budget figure
			fe.Key = "choice.err.budget.format"
		default:
			return views.FieldError{}, false
		}
	}
	return fe, true
}
