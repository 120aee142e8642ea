package views

// UnsubscribeView is the page a reminder's stop link opens (page
// "unsubscribe"): GET shows a confirm form, POST (one click) stops the
// channel and shows Done.
type UnsubscribeView struct {
	// Action is the form's target, /u/{token}.
	Action   string
	Channel  string // "email" or "sms"
	Creditor string
	Done     bool
}

// RemMessagesView is the agent's page of what was sent to a case's debtor
// and their opt-outs (page "admin_case_messages").
type RemMessagesView struct {
	User      BoUser
	CaseURL   string
	Reference string
	// Action is the opt-out form's target.
	Action   string
	CanEdit  bool
	Channels []RemChannelView
	Messages []RemMessageView
	Notice   string
}

// RemChannelView is one channel of the debtor.
type RemChannelView struct {
	Channel    string // "email" or "sms"
	HasAddress bool
	OptedOut   bool
}

// RemMessageView is one message planned or sent.
type RemMessageView struct {
	// At is when it went (or is due), "YYYY-MM-DD HH:MM" in the creditor's zone.
	At       string
	Reason   string
	Step     int
	Channel  string
	Template string
	State    string
	Outcome  string
}

// RemReasons, RemStates and RemOutcomes are the values the messages page
// names, each with its words in the catalogues (rem.reason.*, rem.state.*,
// rem.outcome.*).
var (
	RemReasons  = []string{"reminder", "promise_reminder", "instalment_missed", "instalment_notice"}
	RemStates   = []string{"planned", "sending", "sent", "failed", "suppressed", "uncertain", "cancelled"}
	RemOutcomes = []string{"sent", "link_opened", "provider_error", "lease_expired", "opted_out", "below_min_balance", "contact_made", "no_address",
		"channel_not_configured", "quiet_hours", "cap", "not_due", "help_requested", "nothing_owed", "scenario_ended",
		"too_late", "instalment_settled", "no_channel", "case_plan_requested", "case_plan_active", "case_promised", "case_disputed", "case_paid", "case_closed"}
)

// RemScenarioView is the admin page of a creditor's reminder scenario
// (page "admin_reminders"): the form and a preview of every step's words
// in French and English for a sample case.
type RemScenarioView struct {
	User     BoUser
	Creditor string
	// BackURL is the creditor's settings page; Action the form's target.
	BackURL string
	Action  string
	// Kind is "consumer" or "business"; KindURLs switch between them.
	Kind     string
	KindURLs map[string]string
	Steps    []RemStepForm
	From, To string
	Days     map[string]bool
	Max      string
	TimeZone string
	Holidays bool
	// Error is the first problem of a refused form: a rem.admin.error.*
	// key, and the step it is about (0 when none).
	Error     string
	ErrorStep int
	Notice    string
	Preview   []RemPreviewStep
	// The choices the form offers.
	ChannelOptions, TemplateOptions, DaysList []string
}

// RemStepForm is one row of the steps form, as typed.
type RemStepForm struct {
	// N is the step's number, from 1.
	N                                  int
	Day, Channel, Template, MinBalance string
	NoContact                          bool
}

// RemPreviewStep is one step's message in each language.
type RemPreviewStep struct {
	Step     int
	Day      int
	Channel  string
	Template string
	Texts    []RemPreviewText
}

// RemPreviewText is a message as the debtor would read it.
type RemPreviewText struct {
	Lang, Subject, Text, SMS string
}

// RemWeekdays and RemErrors are the days and the refusals the page names
// (rem.day.*, rem.admin.error.*).
var (
	RemWeekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	RemErrors   = []string{"order", "range", "channel", "template", "time", "required", "day", "duplicate", "time_zone", "too_many", "steps", "amount"}
)

// VerifyView is the "is this message really from us?" page (page
// "verify"): the form, and after a POST its answer.
type VerifyView struct {
	Reference, Postcode string
	// Result is "" (the form), "genuine", "unknown" or "required".
	Result string
}
