package views

import "time"

// The debtor's other choices: promise to pay (page
// "case_promise"), contest the debt ("case_contest"), and "I can't pay
// now" ("case_cannot_pay", then "case_cannot_pay_next").

// choiceStyleVersion and choiceScriptVersion name the content of the
// choices' own stylesheet and script, for cache-busting URLs.
var (
	choiceStyleVersion  = version(assets["choice.css"].Body)
	choiceScriptVersion = version(assets["choice.js"].Body)
)

// ChoiceScriptURL is the small script that shows a live character count on
// the contest page; pages work the same without it.
func ChoiceScriptURL() string { return "/static/choice.js?v=" + choiceScriptVersion }

// FieldError is one invalid answer, shown GOV.UK style: in the error
// summary at the top, linking to the field (Field is the input's id), and
// again at the field. Key is the message key; First, Last and N fill the
// message's {{.First}}, {{.Last}} and {{.N}} when it has them.
type FieldError struct {
	Field string
	Key   string
	First time.Time
	Last  time.Time
	N     int
}

// FieldErrors are a form's invalid answers, in the order of the fields.
type FieldErrors []FieldError

// For returns the error of a field, or nil.
func (e FieldErrors) For(field string) *FieldError {
	for i := range e {
		if e[i].Field == field {
			return &e[i]
		}
	}
	return nil
}

// ChoicePage is what every choice page shares: who is asking, the answers'
// errors, and the page's own stylesheet.
type ChoicePage struct {
	Creditor Contact
	Errors   FieldErrors
}

// StyleURL is the choices' stylesheet, linked from each choice page.
func (ChoicePage) StyleURL() string { return "/static/choice.css?v=" + choiceStyleVersion }

// PromiseView is the promise-to-pay page. Date and Amount keep what the
// debtor typed; First and Last bound the date picker.
type PromiseView struct {
	ChoicePage
	Balance Amount
	First   time.Time
	Last    time.Time
	Date    string
	Amount  string
	// Promised is set once a promise is recorded: the page thanks the
	// debtor, and still lets them pay early or change the date.
	Promised *PromisedView
	// CardPayment offers paying now by card (POST /case/pay).
	CardPayment bool
	// Blocked is "" or why no promise can be made now: "paused" (contested),
	// "nothing_due" or "plan" (a plan already says when to pay).
	Blocked string
}

// PromisedView is a recorded promise; Amount.Cents is 0 for the balance.
type PromisedView struct {
	On     time.Time
	Amount Amount
}

// PromiseBlocks lists every PromiseView.Blocked reason.
var PromiseBlocks = []string{"paused", "nothing_due", "plan"}

// ContestInvoice is one invoice the debtor may tick.
type ContestInvoice struct {
	ID      int64
	Number  string
	Total   Amount
	Checked bool
}

// ContestView is the "I don't think I owe this" page.
type ContestView struct {
	ChoicePage
	Reasons  []string
	Reason   string
	Invoices []ContestInvoice
	Text     string
	MaxText  int
	MaxFiles int
	// ScriptURL loads the character count; empty leaves it out.
	ScriptURL string
	// Sent is the case's latest contest, if any: while it is open the page
	// says what happens next and when; once resolved, the creditor's answer.
	Sent *ContestSentView
	// CanContest shows the form: no contest is open and the case is not
	// paid or closed.
	CanContest bool
}

// ContestSentView is a contest that was recorded. Status is the dispute's
// (open, upheld, rejected); Resolution is the creditor's reasons.
type ContestSentView struct {
	On         time.Time
	ReviewBy   time.Time
	Status     string
	Resolution string
}

// ContestStatuses lists every ContestSentView.Status.
var ContestStatuses = []string{"open", "upheld", "rejected"}

// HardshipView is the "I can't pay now" page. The budget fields keep what
// the debtor typed.
type HardshipView struct {
	ChoicePage
	Reasons    []string
	Reason     string
	Income     string
	Housing    string
	Energy     string
	Food       string
	Transport  string
	OtherDebts string
}

// BudgetFields lists the budget's outgoings, in the order the page shows them
// (the field ids and message keys).
var BudgetFields = []string{"housing", "energy", "food", "transport", "other_debts"}

// Value returns the typed text of a budget field by its id.
func (v HardshipView) Value(field string) string {
	switch field {
	case "income":
		return v.Income
	case "housing":
		return v.Housing
	case "energy":
		return v.Energy
	case "food":
		return v.Food
	case "transport":
		return v.Transport
	case "other_debts":
		return v.OtherDebts
	}
	return ""
}

// Outgoings is BudgetFields, for the template.
func (HardshipView) Outgoings() []string { return BudgetFields }

// HardshipNextView is the page after "I can't pay now": the plan the budget
// leaves room for, or a callback or a pause to ask for, and free advice.
type HardshipNextView struct {
	ChoicePage
	// HasBudget says whether the debtor gave a budget.
	HasBudget bool
	Proposal  *ProposalView
	// Asked is "", "callback" or "pause": what the debtor already asked for.
	Asked      string
	CallbackOn time.Time
	Slot       string
	// The follow-up form: FollowUp is "callback" or "pause"; CallbackDate
	// and the slot keep what was typed; First and Last bound the date.
	FollowUp     string
	CallbackDate string
	Slots        []string
	First        time.Time
	Last         time.Time
	PauseDays    int
}

// ProposalView is a monthly plan proposed from the debtor's budget.
type ProposalView struct {
	Count      int
	Instalment Amount
	Total      Amount
	FirstDue   time.Time
	LastDue    time.Time
}
