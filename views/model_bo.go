package views

import (
	"html/template"
	"time"
)

// BoUser is the signed-in back-office user, shown in every back-office
// page's header with the sign-out form.
type BoUser struct {
	Email string
	Role  string
}

// BoLoginProblems lists every BoLoginView.Problem.
var BoLoginProblems = []string{"required", "wrong", "locked"}

// BoLoginView is the back-office sign-in page (page "admin_login").
type BoLoginView struct {
	Email string
	// Problem is "" or one of BoLoginProblems.
	Problem string
	// Next is where to go after signing in (a path under /admin).
	Next string
}

// BoSearchView is the search page, the back office's home (page "admin_search").
type BoSearchView struct {
	User  BoUser
	Query string
	// Searched is true when Query was long enough to search.
	Searched bool
	Results  []BoCaseRow
	// Limit is how many results a search shows at most.
	Limit int
}

// BoCaseRow is one case in the search results.
type BoCaseRow struct {
	URL        string
	Reference  string
	DebtorName string
	Creditor   string
	Status     string
	Postcode   string
	Email      string
	Phone      string
	Balance    Amount
}

// BoEventView is one timeline event.
type BoEventView struct {
	Kind string
	// Known says Kind is one of the core's event kinds (it has a label).
	Known bool
	// Actor is "debtor", "stripe", "system", "creditor" or "user"; Who
	// names the user for "user".
	Actor string
	Who   string
	At    time.Time
	// Detail is a short extra (the channel of a link...), may be empty.
	Detail string
}

// BoActors lists every BoEventView.Actor.
var BoActors = []string{"debtor", "user", "creditor", "stripe", "system"}

// BoTimelineView is a case's timeline (page "admin_timeline", and a part of
// the case page). The case page's script reloads it from URL.
type BoTimelineView struct {
	URL    string
	Events []BoEventView
}

// BoLinkView is one link of a case.
type BoLinkView struct {
	ID        int64
	Channel   string
	CreatedAt time.Time
	ExpiresAt time.Time
	// State is "active", "revoked", "expired" or "locked".
	State     string
	Opened    bool
	RevokeURL string
}

// BoLinkStates lists every BoLinkView.State.
var BoLinkStates = []string{"active", "revoked", "expired", "locked"}

// BoPlanView is a case's plan and instalments.
type BoPlanView struct {
	Status      string
	Frequency   string
	Instalments []BoInstalmentView
}

// Plan and instalment states and frequencies the agent page labels.
var (
	BoPlanStatuses       = []string{"requested", "pending", "active", "completed", "lapsed", "cancelled", "declined"}
	BoInstalmentStatuses = []string{"scheduled", "processing", "paid", "failed", "requires_action", "cancelled"}
	BoFrequencies        = []string{"weekly", "fortnightly", "monthly"}
)

// BoInstalmentView is one instalment of a plan.
type BoInstalmentView struct {
	Seq    int
	DueOn  time.Time
	Amount Amount
	Status string
}

// BoSendProblems lists every BoCaseView.SendProblem.
var BoSendProblems = []string{"no_email", "no_phone", "email_off", "sms_off", "channel", "send_failed"}

// BoCaseView is the agent's case page (page "admin_case_show").
type BoCaseView struct {
	User       BoUser
	ID         int64
	Reference  string
	Status     string
	Creditor   string
	DebtorName string
	DebtorKind string
	Email      string
	Phone      string
	Postcode   string
	Language   string
	Balance    Amount
	Total      Amount
	Paid       Amount
	Invoices   []InvoiceView
	Documents  []DocumentView
	Payments   []PaymentView
	Plan       *BoPlanView
	Links      []BoLinkView
	Timeline   BoTimelineView
	// LinkAction is where the send-a-link form posts.
	LinkAction string
	// CanEmail and CanSMS say whether the debtor has an address or a phone
	// and the channel is configured.
	EmailOff bool
	SMSOff   bool
	// SendProblem is "" or one of BoSendProblems; Channel keeps the choice.
	SendProblem string
	Channel     string
	// Notice is "" or "sent_email", "sent_sms", "revoked".
	Notice string
	// ScriptURL is the progressive-enhancement script that refreshes the
	// timeline; empty renders no script.
	ScriptURL string
	// Unmatched is the money Stripe reported for the case that no balance
	// took, unresolved first; Errors the problems of a resolution just sent.
	Unmatched []BoUnmatched
	Errors    FieldErrors
}

// BoNotices lists every BoCaseView.Notice.
var BoNotices = []string{"sent_email", "sent_sms", "revoked", "unmatched_resolved"}

// BoUnmatchedReasons lists every BoUnmatched.Reason.
var BoUnmatchedReasons = []string{"unknown_payment", "currency", "excess", "no_case"}

// BoUnmatched is money Stripe reported that no balance took, and the form
// an agent resolves it with.
type BoUnmatched struct {
	ID     int64
	Reason string
	Amount Amount
	Since  time.Time
	// Stripe names the Stripe objects, for finding them in Stripe's
	// dashboard: "pi_...", "ch_...", "cs_...", "dp_...", "evt_...".
	Stripe []string
	// ResolvedAt is zero while unresolved; then Note says how it was
	// resolved and ResolveURL is empty.
	ResolvedAt time.Time
	Note       string
	ResolveURL string
	// Failed says this resolution just had problems (Errors hold them
	// under "note-<ID>"); Note then keeps what was typed.
	Failed bool
}

// BoLinkShownView shows a link made to copy, once (page "admin_link_shown").
type BoLinkShownView struct {
	User      BoUser
	CaseURL   string
	Reference string
	URL       string
	ExpiresAt time.Time
	// QR is a data: URL of a PNG QR code of URL; empty when none could be made.
	QR        template.URL
	ScriptURL string
}
