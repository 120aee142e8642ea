package views

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func init() {
	day := time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC)
	errs := FieldErrors{{Field: "date", Key: "choice.err.date.range", First: day, Last: day.AddDate(0, 0, 30)}}
	areaSamples["case_promise"] = func() []any {
		base := PromiseView{ChoicePage: ChoicePage{Creditor: sampleContact()}, Balance: eur(124950), First: day, Last: day.AddDate(0, 0, 30), CardPayment: true}
		withErr := base
		withErr.Errors, withErr.Date, withErr.Amount = errs, "2027-01-01", "12,5"
		promised := base
		promised.Promised = &PromisedView{On: day.AddDate(0, 0, 3), Amount: eur(12050)}
		whole := base
		whole.CardPayment = false
		whole.Promised = &PromisedView{On: day, Amount: eur(0)}
		out := []any{base, withErr, promised, whole}
		for _, b := range PromiseBlocks {
			v := base
			v.Blocked = b
			out = append(out, v)
		}
		return out
	}
	areaSamples["case_contest"] = func() []any {
		base := ContestView{ChoicePage: ChoicePage{Creditor: sampleContact()}, Reasons: []string{"not_me", "already_paid", "amount_wrong", "not_received_or_faulty", "other"},
			Invoices: []ContestInvoice{{ID: 1, Number: "F-1", Total: eur(1000)}, {ID: 2, Number: "F-2", Total: eur(2000), Checked: true}},
			MaxText:  2000, MaxFiles: 5, CanContest: true}
		withErr := base
		withErr.Reason, withErr.Text = "other", "Bonjour"
		withErr.Errors = FieldErrors{{Field: "reason", Key: "choice.err.reason.required"}, {Field: "invoices", Key: "choice.err.invoices.unknown"},
			{Field: "text", Key: "choice.err.text.too_long", N: 2000}, {Field: "files", Key: "choice.err.files.too_many", N: 5}}
		out := []any{base, withErr}
		for _, st := range ContestStatuses {
			v := base
			v.Sent = &ContestSentView{On: day, ReviewBy: day.AddDate(0, 0, 14), Status: st, Resolution: "La facture a été livrée le 2 mai."}
			v.CanContest = st == "rejected"
			out = append(out, v)
		}
		bare := base
		bare.Creditor, bare.Invoices = Contact{Name: "Bare"}, nil
		bare.Sent = &ContestSentView{On: day, ReviewBy: day, Status: "open"}
		bare.CanContest = false
		return append(out, bare)
	}
	areaSamples["case_cannot_pay"] = func() []any {
		base := HardshipView{ChoicePage: ChoicePage{Creditor: sampleContact()}, Reasons: []string{"lost_income", "illness", "unexpected_costs", "other"}}
		withErr := base
		withErr.Reason, withErr.Income, withErr.Food = "other", "1200", "abc"
		withErr.Errors = FieldErrors{{Field: "reason", Key: "choice.err.reason.required"}, {Field: "food", Key: "choice.err.budget.format"}}
		return []any{base, withErr}
	}
	areaSamples["case_cannot_pay_next"] = func() []any {
		base := HardshipNextView{ChoicePage: ChoicePage{Creditor: sampleContact()}, Slots: []string{"morning", "afternoon", "evening"},
			First: day, Last: day.AddDate(0, 0, 30), PauseDays: 30}
		plan := base
		plan.HasBudget = true
		plan.Proposal = &ProposalView{Count: 6, Instalment: eur(20825), Total: eur(124950), FirstDue: day, LastDue: day.AddDate(0, 5, 0)}
		one := plan
		one.Proposal = &ProposalView{Count: 1, Instalment: eur(124950), Total: eur(124950), FirstDue: day, LastDue: day}
		noFit := base
		noFit.HasBudget = true
		noFit.Errors = FieldErrors{{Field: "follow_up", Key: "choice.err.follow_up.required"}, {Field: "callback_on", Key: "choice.err.callback_on.range", First: day, Last: day},
			{Field: "callback_slot", Key: "choice.err.callback_slot.required"}}
		out := []any{base, plan, one, noFit}
		for _, s := range base.Slots {
			v := base
			v.Asked, v.CallbackOn, v.Slot = "callback", day, s
			out = append(out, v)
		}
		pause := base
		pause.Asked = "pause"
		bare := base
		bare.Creditor = Contact{Name: "Bare"}
		return append(out, pause, bare)
	}
}

// TestChoicePagesShowErrorsTheGOVUKWay checks the error summary links to
// the field and the message is repeated at the field.
func TestChoicePagesShowErrorsTheGOVUKWay(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC)
	v := PromiseView{ChoicePage: ChoicePage{Creditor: sampleContact(), Errors: FieldErrors{{Field: "date", Key: "choice.err.date.range", First: day, Last: day.AddDate(0, 0, 30)}}},
		Balance: eur(100), First: day, Last: day.AddDate(0, 0, 30), Date: "2030-01-01"}
	var buf bytes.Buffer
	if err := r.Render(&buf, "case_promise", Page{Lang: "en", CSRF: "x", Data: v}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{`role="alert"`, `href="#date"`, `id="date-error"`, `aria-invalid="true"`, `value="2030-01-01"`,
		"<title>Error: Promise to pay", "Choose a date between 4 June 2026 and 4 July 2026.", `min="2026-06-04"`, `max="2026-07-04"`, "/static/choice.css?v="} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Count(html, "Choose a date between") != 2 {
		t.Errorf("the message should be in the summary and at the field")
	}
}
