package views

import "time"

// Back-office admin area: the agents' worklist
// (page "admin_worklist"), creditor settings ("admin_creditors",
// "admin_settings", "admin_key_shown") and the CSV import ("admin_import").

// AdmErrors are a form's invalid answers, GOV.UK style (see FieldError):
// Key is an "adm.err..." message that may use {{.N}}.
type AdmErrors = FieldErrors

// AdmReasons lists every AdmReason.Kind (portal.WorkReasons).
var AdmReasons = []string{"plan_requested", "instalment_failed", "plan_lapsed", "link_locked", "help_request", "dispute", "promise_missed", "chargeback", "unmatched", "overpaid"}

// AdmContestReasons lists every AdmReason.Said of a "dispute" (labels
// "choice.contest.reason.<said>_label"); AdmHardshipReasons those of a
// "help_request" ("choice.hardship.reason.<said>_label").
var (
	AdmContestReasons  = []string{"not_me", "already_paid", "amount_wrong", "not_received_or_faulty", "other"}
	AdmHardshipReasons = []string{"lost_income", "illness", "unexpected_costs", "other"}
)

// AdmDisputeDecisions lists every AdmDispute.Decision but "".
var AdmDisputeDecisions = []string{"upheld_close", "upheld_correct", "rejected"}

// AdmOutsideReasons lists every reason a plan request is outside the
// limits (plans.Reason), plus "" for a request that waits only because
// the creditor approves every plan by hand.
var AdmOutsideReasons = []string{"", "frequency_not_allowed", "too_many_instalments", "first_payment_too_late", "down_payment_too_small", "instalment_too_small", "too_long"}

// AdmFrequencies lists every payment frequency.
var AdmFrequencies = []string{"weekly", "fortnightly", "monthly"}

// AdmCallbackSlots lists every callback slot ("" when none was asked).
var AdmCallbackSlots = []string{"", "morning", "afternoon", "evening"}

// AdmWorklistNotices lists every AdmWorklistView.Notice.
var AdmWorklistNotices = []string{"approved", "countered", "declined", "dispute_upheld", "dispute_rejected", "unmatched_resolved"}

// AdmWorklistView is the agents' worklist (page "admin_worklist").
type AdmWorklistView struct {
	User  BoUser
	Items []AdmWorkItem
	// More is how many items are not shown (the page shows the first ones).
	More int
	// Notice is "" or one of AdmWorklistNotices.
	Notice string
	// Errors are the problems of the plan decision just sent (with the
	// decided plan's answers kept in its AdmPlanRequest).
	Errors AdmErrors
	// Frequencies are the choices of a counter-offer.
	Frequencies []string
	// DisputeDecisions are the choices of a dispute's resolution
	// (AdmDisputeDecisions).
	DisputeDecisions []string
	// NoCase is the unresolved money Stripe reported that names no case:
	// shown only to users who see every creditor.
	NoCase []BoUnmatched
}

// AdmWorkItem is one case on the worklist.
type AdmWorkItem struct {
	CaseURL    string
	Reference  string
	DebtorName string
	Creditor   string
	Status     string
	Balance    Amount
	Since      time.Time
	Reasons    []AdmReason
}

// AdmReason is one reason a case is on the worklist.
type AdmReason struct {
	// Kind is one of AdmReasons.
	Kind  string
	Since time.Time
	Count int
	// Amount is the money concerned (failed instalments, chargeback,
	// overpayment); zero otherwise.
	Amount Amount
	// Plan is the request of a "plan_requested" reason.
	Plan *AdmPlanRequest
	// CallbackOn and CallbackSlot: when a "help_request" debtor would like
	// a call (zero, "" when they did not ask).
	CallbackOn   time.Time
	CallbackSlot string
	// NewLinkURL is where an agent sends a new link ("link_locked").
	NewLinkURL string
	// UnmatchedURL is where an agent resolves unmatched money ("unmatched").
	UnmatchedURL string
	// SaidKey is the label of the reason the debtor chose ("dispute",
	// "help_request"), "" when none; Text is their own words.
	SaidKey string
	Text    string
	// Budget is a "help_request" debtor's monthly budget, nil when none.
	Budget *AdmBudget
	// Pause says a "help_request" debtor asks for a pause.
	Pause bool
	// PromisedOn and Promised are a "promise_missed" debtor's promise
	// (Promised zero: the whole balance).
	PromisedOn time.Time
	Promised   Amount
	// Dispute is the open dispute an agent resolves, nil when none.
	Dispute *AdmDispute
}

// AdmBudget is a debtor's monthly budget.
type AdmBudget struct {
	Income     Amount
	Outgoings  Amount
	Disposable Amount
}

// AdmDispute is an open dispute and its resolution form.
type AdmDispute struct {
	ID         int64
	ResolveURL string
	// Decision (one of AdmDisputeDecisions or "") and Reasons are the
	// answers kept after a problem; Failed says this dispute's decision
	// just had problems.
	Decision string
	Reasons  string
	Failed   bool
}

// AdmPlanRequest is a plan request an agent decides on.
type AdmPlanRequest struct {
	ID        int64
	Frequency string
	Count     int
	// PerPeriod is what the debtor said they can afford per period (zero
	// when they chose a number of payments).
	PerPeriod Amount
	Total     Amount
	// OutsideReason is one of AdmOutsideReasons.
	OutsideReason string
	ApproveURL    string
	CounterURL    string
	DeclineURL    string
	// The counter-offer and decline forms' answers, kept after a problem.
	CounterFrequency string
	CounterCount     string
	Reason           string
	// Failed says the decision just sent for this plan had problems.
	Failed bool
}

// AdmCreditorsView lists the creditors an admin manages (page "admin_creditors").
type AdmCreditorsView struct {
	User      BoUser
	Creditors []AdmCreditorRow
}

// AdmCreditorRow is one creditor in the list.
type AdmCreditorRow struct {
	Name        string
	LegalName   string
	Currency    string
	SettingsURL string
	ImportURL   string
}

// AdmField is one text field of a settings form. Key names its label
// ("adm.field.<Key>") and hint ("adm.hint.<Key>", when Hint); ID is the
// input's id and name; Error is its problem, nil when none.
type AdmField struct {
	ID      string
	Key     string
	Value   string
	Hint    bool
	Numeric bool
	Long    bool
	Error   *FieldError
}

// AdmCheck is one checkbox of a settings form.
type AdmCheck struct {
	ID      string
	Value   string
	Checked bool
}

// AdmPreview is the options a balance gets under the limits in the form.
type AdmPreview struct {
	Balance Amount
	Options []AdmOption
	// Settlement is the settlement offer's amount, nil without one.
	Settlement      *Amount
	SettlementUntil time.Time
}

// AdmOption is one plan the preview offers.
type AdmOption struct {
	Frequency   string
	Count       int
	DownPayment Amount
	Instalment  Amount
	FirstDue    time.Time
	LastDue     time.Time
}

// AdmKeyRow is one API key (its prefix only: keys are stored hashed).
type AdmKeyRow struct {
	Prefix    string
	CreatedAt time.Time
	// RevokedAt is zero while the key works.
	RevokedAt time.Time
	RevokeURL string
}

// AdmAuditRow is one change in the creditor's audit trail.
type AdmAuditRow struct {
	Kind string
	At   time.Time
	Who  string
}

// AdmAuditKinds lists every AdmAuditRow.Kind ("unknown" for a kind
// without a label).
var AdmAuditKinds = []string{"policy_updated", "creditor_profile_updated", "api_key_created", "api_key_revoked", "cases_imported", "unknown"}

// AdmSettingsNotices lists every AdmSettingsView.Notice.
var AdmSettingsNotices = []string{"policy_saved", "profile_saved", "key_revoked"}

// AdmSettingsView is a creditor's settings (page "admin_settings").
type AdmSettingsView struct {
	User       BoUser
	Creditor   string
	Currency   string
	PolicyURL  string
	ProfileURL string
	KeysURL    string
	ImportURL  string
	// RemindersURL is the creditor's reminder scenario page.
	RemindersURL string
	// PolicyFields are the plan limits and settlement offer; Frequencies
	// and AutoApprove their checkboxes.
	PolicyFields []AdmField
	Frequencies  []AdmCheck
	AutoApprove  bool
	// ProfileFields are what debtors see of the creditor.
	ProfileFields []AdmField
	// Form is the form Errors belong to: "policy" or "profile".
	Form   string
	Errors AdmErrors
	// PreviewBalance is the balance typed for the preview.
	PreviewBalance string
	Preview        *AdmPreview
	Keys           []AdmKeyRow
	Audit          []AdmAuditRow
	// Notice is "" or one of AdmSettingsNotices.
	Notice string
}

// AdmKeyShownView shows a new API key, once (page "admin_key_shown").
type AdmKeyShownView struct {
	User        BoUser
	Creditor    string
	Key         string
	SettingsURL string
}

// AdmImportView is the CSV import page and its report (page "admin_import").
type AdmImportView struct {
	User     BoUser
	Creditor string
	Action   string
	// SettingsURL leads back to the creditor.
	SettingsURL string
	Columns     []AdmColumn
	Errors      AdmErrors
	Report      *AdmImportReport
}

// AdmColumn is one documented column of the import file.
type AdmColumn struct {
	Name     string
	Required bool
}

// AdmImportReport is what an import read, and did or refused.
type AdmImportReport struct {
	Done     bool
	Rows     int
	Cases    int
	Invoices int
	Lines    int
	Rejected int
	Problems []AdmImportProblem
	// More is how many problems are not listed.
	More    int
	Seconds string
}

// AdmImportProblem is one problem of an import file: Row 0 is the file
// as a whole, Column "" the whole row; Code is one of AdmImportCodes.
type AdmImportProblem struct {
	Row    int
	Column string
	Code   string
}

// AdmImportCodes lists every AdmImportProblem.Code (portal.ImportProblemCodes).
var AdmImportCodes = []string{
	"encoding", "empty", "header_missing", "header_unknown", "header_duplicate", "too_large", "syntax", "field_count",
	"required", "too_long", "email", "phone", "language", "kind", "currency", "date", "date_order", "amount",
	"line_kind", "mismatch", "invoice_mismatch", "duplicate_reference", "reference_exists", "too_many_invoices",
	"too_many_lines", "total_too_large", "consumer_fee", "basis", "fee_basis", "indemnity_amount", "indemnity_twice",
	"unstorable",
}
