package views

import "time"

// Page is what every template receives: the layout's needs and the page's
// own typed view in Data.
type Page struct {
	// Lang is "fr" or "en"; it sets <html lang> and picks the messages.
	Lang string
	// CSRF is the token every form carries in its hidden "_csrf" field.
	CSRF string
	// SignedIn shows the sign-out button (which needs CSRF too).
	SignedIn bool
	// Unstorable names a field whose text could not be stored (a NUL byte,
	// bytes that are not UTF-8): the page says so above its content.
	Unstorable string
	// Data is the page's typed view: LinkView, CaseView, ErrorView, PlanView
	// or SignedOutView.
	Data any
	// Collector is the collection agency acting for the creditors, named
	// on every page; nil for an in-house team.
	Collector *CollectorView
}

// CollectorView is the collection agency's legal identity (portal.Collector).
type CollectorView struct {
	Name, LegalForm, Address, SIREN, Registration, Insurance, FundsAccount, Email, Phone string
	// PhoneURI is Phone as a tel: URI, empty if none.
	PhoneURI string
}

// Amount is money in minor units and its ISO currency; templates format it
// with {{money .}}.
type Amount struct {
	Cents    int64
	Currency string
}

// Contact is the creditor as a debtor sees it: who is asking, and how to
// reach them. Every field but Name may be empty.
type Contact struct {
	Name      string
	LegalName string
	LegalID   string
	Address   string
	Phone     string
	// PhoneURI is Phone as a tel: URI (digits and a leading +), empty if none.
	PhoneURI string
	Email    string
	Hours    string
}

// LinkView is the link landing page (page "link_show"): the identity
// question, and after a wrong answer the problem and the answer typed.
type LinkView struct {
	CreditorName string
	Answer       string
	// Problem is "" (first visit), "wrong" (answer did not match) or
	// "required" (nothing typed).
	Problem      string
	AttemptsLeft int
}

// Case page states: what the page offers.
const (
	StateOpen     = "open"     // the four choices
	StatePaid     = "paid"     // nothing left to pay
	StateDisputed = "disputed" // collection paused while the creditor looks
	StateClosed   = "closed"   // the creditor closed the file
)

// CaseStates lists every State a CaseView may have.
var CaseStates = []string{StateOpen, StatePaid, StateDisputed, StateClosed}

// CaseNotes lists every Note a CaseView may carry.
var CaseNotes = []string{"plan_requested", "plan_active", "promised"}

// CaseView is the case page (page "case_show").
type CaseView struct {
	Creditor   Contact
	DebtorName string
	Reference  string
	// State is one of CaseStates; Note is "" or one of CaseNotes, a calm
	// line about where things stand (a plan waiting for an answer...).
	State string
	Note  string
	// Choices are the buttons the case core allows now.
	Choices CaseChoices
	// Consumer shows the statement that recovery costs stay with the
	// creditor: a consumer case without any fee line. Business shows what
	// a professional may be charged instead.
	Consumer bool
	Business bool
	// Charges break the interest and fees down by what each rests on.
	Charges   []ChargeView
	Balance   Amount
	Principal Amount
	Interest  Amount
	Fees      Amount
	Total     Amount
	Paid      Amount
	Invoices  []InvoiceView
	Payments  []PaymentView
	Documents []DocumentView
	// CardPayment is false when Stripe is not configured: the page then
	// says so and shows OtherPayment and the contact details.
	CardPayment  bool
	OtherPayment string
	// Settlement is the creditor's reduced amount for paying everything at
	// once, while the offer is valid; nil when there is none.
	Settlement *SettlementView
	// ReviewBy is when the creditor will have looked at a contested debt
	// (zero when the case is not contested).
	ReviewBy time.Time
	// DisputeAnswer is the creditor's reasons when they did not agree with
	// the debtor's contest, shown so collection never resumes unexplained.
	DisputeAnswer string
}

// SettlementView is a settlement offer: pay Amount instead of the balance
// if paid in full by ValidUntil (inclusive).
type SettlementView struct {
	Amount     Amount
	ValidUntil time.Time
}

// InvoiceView is one invoice with its lines grouped by kind.
type InvoiceView struct {
	Number   string
	IssuedOn time.Time
	DueOn    time.Time
	Details  string
	Groups   []LineGroup
	Total    Amount
}

// Line kinds, in the order the page shows them.
var LineKinds = []string{"principal", "interest", "fee"}

// LineGroup is the lines of one kind (one of LineKinds) on an invoice.
type LineGroup struct {
	Kind  string
	Lines []LineView
	Total Amount
}

// LineView is one amount on an invoice. Basis is what an interest or fee
// line rests on (one of LineBases, or "" for principal and older lines).
type LineView struct {
	Label  string
	Amount Amount
	Basis  string
}

// LineBases lists every basis of an interest or fee line (portal.CheckLines):
// message "law.basis.<kind>.<basis>" names it on an invoice line and
// "law.charge.<kind>.<basis>" in the breakdown.
var LineBases = map[string][]string{
	"interest": {"legal_rate", "commercial_rate", "contract"},
	"fee":      {"recovery_indemnity", "contract"},
}

// ChargeView is one row of the breakdown beyond the principal: the total
// of the case's interest or fee lines of one basis ("" for lines stored
// before bases were recorded).
type ChargeView struct {
	Kind   string
	Basis  string
	Amount Amount
}

// PaymentKinds lists every PaymentView.Kind.
var PaymentKinds = []string{"card", "instalment", "refund", "dispute", "discount"}

// PaymentView is one payment already made (or returned), Amount positive.
type PaymentView struct {
	Kind   string
	On     time.Time
	Amount Amount
	// ReceiptURL is the receipt of a card or instalment payment, else "".
	ReceiptURL string
}

// DocumentKinds lists every DocumentView.Kind.
var DocumentKinds = []string{"pdf", "png", "jpeg", "file"}

// DocumentView is one proof document, linked at URL.
type DocumentView struct {
	Title string
	Kind  string
	Size  int64
	URL   string
}

// ErrorKinds lists every ErrorView.Kind.
var ErrorKinds = []string{
	"session_ended", "link_invalid", "link_locked", "csrf", "forbidden",
	"not_found", "bad_request", "rate_limited", "internal",
}

// ErrorView is a calm error page (page "error").
type ErrorView struct {
	// Kind is one of ErrorKinds.
	Kind string
	// RequestID is shown on "internal" pages so support can find the log line.
	RequestID string
	// Creditor is set when the page knows who to contact; nil otherwise.
	Creditor *Contact
}

// SignedOutView is the page after signing out (page "signed_out").
type SignedOutView struct{}

// CaseChoices says which of the case page's choices the case core's
// rulebook allows; the page never decides it.
type CaseChoices struct {
	Pay, Plan, Promise, Contest, CannotPay bool
}
