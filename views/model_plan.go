package views

import "time"

// The debtor's payment-plan pages: choose how often and how many
// payments ("case_plan"), check the whole schedule before saying yes
// ("case_plan_check"), the request an agent looks at ("plan_requested"), the
// return from Stripe ("case_plan_done") and the plan itself, with what is paid
// and what the debtor can do on it ("case_plan_schedule").

// planStyleVersion names the content of the plan pages' own stylesheet.
var planStyleVersion = version(assets["plan.css"].Body)

// PlanPage is what every plan page shares: who is asking, the answers'
// errors, and the stylesheets (the choices' one for the forms, the plan
// pages' own for the schedule).
type PlanPage struct {
	ChoicePage
}

// PlanStyleURL is the plan pages' stylesheet.
func (PlanPage) PlanStyleURL() string { return "/static/plan.css?v=" + planStyleVersion }

// Plan frequencies, as the forms send them.
const (
	FrequencyWeekly      = "weekly"
	FrequencyFortnightly = "fortnightly"
	FrequencyMonthly     = "monthly"
)

// Frequencies lists every frequency a page may name.
var Frequencies = []string{FrequencyWeekly, FrequencyFortnightly, FrequencyMonthly}

// PlanSummary is one schedule at a glance: "6 payments of 93,50 €, from
// 24 November 2026 to 24 April 2027". Regular is the amount most payments
// are; the first Extra regular payments are one cent more, so that the
// total is exact. DownPayment.Cents is 0 when the plan has no down payment
// (the first payment is then a regular one).
type PlanSummary struct {
	Frequency   string
	Count       int
	Regular     Amount
	Extra       int
	ExtraAmount Amount
	DownPayment Amount
	First       time.Time
	Last        time.Time
	Total       Amount
	// Undated: a request of more payments than any plan lists; only their
	// number, the most per payment and the total are known.
	Undated bool
}

// RegularCount is how many payments follow the down payment, or all of
// them when there is none.
func (s PlanSummary) RegularCount() int {
	if s.DownPayment.Cents > 0 {
		return s.Count - 1
	}
	return s.Count
}

// PlanOptionView is one offered plan with the link to check it.
type PlanOptionView struct {
	PlanSummary
	CheckURL string
}

// PlanInstalmentView is one line of a schedule. Status is "" on a plan not
// started yet, else an instalment status: scheduled, processing, paid,
// failed, requires_action or cancelled.
type PlanInstalmentView struct {
	Seq         int
	DueOn       time.Time
	Amount      Amount
	DownPayment bool
	Status      string
}

// InstalmentStatuses lists every PlanInstalmentView.Status but "".
var InstalmentStatuses = []string{"scheduled", "processing", "paid", "failed", "requires_action", "cancelled"}

// PlanChooseView is the "set up a plan" page: the frequencies the creditor
// allows (Frequency is the one shown), the options for it, and the form
// for what the debtor can afford per period (Afford keeps what was typed).
type PlanChooseView struct {
	PlanPage
	Balance     Amount
	Frequencies []string
	Frequency   string
	Options     []PlanOptionView
	Afford      string
	// Replacing is set when the case already has a plan waiting (for the
	// first payment or for the creditor) that a new choice replaces.
	Replacing bool
}

// PlanCheckView is the "check your plan" page: the full schedule, what
// happens if a payment is missed, whether the creditor must look at it
// first, and the confirm form with the choice in hidden fields.
type PlanCheckView struct {
	PlanPage
	Summary     PlanSummary
	Instalments []PlanInstalmentView
	// WithinLimits: the plan starts at once (the first payment, or saving
	// the card when nothing is due today, happens on Stripe's page).
	WithinLimits bool
	// PayToday is the amount paid on Stripe's page when the plan starts;
	// Cents is 0 when nothing is due today.
	PayToday Amount
	// Reason is why the creditor must look at the plan first (a limit,
	// translated under plan.reason.*), or "review" when every plan waits
	// for the creditor; "" when WithinLimits.
	Reason string
	// Limit fills the reason's message: a number of payments or days, or
	// an amount (LimitAmount).
	Limit       int64
	LimitAmount Amount
	AnswerBy    time.Time
	MaxMissed   int
	RetryDays   int
	// The hidden fields of the confirm form.
	Count  int
	Afford string
	// CardPayment is false when card payment is not configured: a plan
	// within limits cannot start, which the page says before the button.
	CardPayment bool
}

// PlanRequestedView is the page after a request outside the creditor's
// limits: what happens next and by when.
type PlanRequestedView struct {
	PlanPage
	Summary  PlanSummary
	AnswerBy time.Time
	// Reason is as in PlanCheckView.
	Reason      string
	Limit       int64
	LimitAmount Amount
}

// PlanScheduleView is the plan page once a plan is agreed. Status is the
// plan's: "pending" (the debtor left Stripe before the first payment: the
// page offers to continue), "active" (self-service) or "completed".
type PlanScheduleView struct {
	PlanPage
	Status      string
	Summary     PlanSummary
	Instalments []PlanInstalmentView
	Paid        Amount
	Remaining   Amount
	PaidCount   int
	// Next is the next payment to make, nil when none is left.
	Next *PlanInstalmentView
	// Failed is set when the next payment did not go through.
	Failed        bool
	CanPayNow     bool
	CanChangeCard bool
	MaxMissed     int
	RetryDays     int
}

// PlanScheduleStatuses lists every PlanScheduleView.Status.
var PlanScheduleStatuses = []string{"pending", "active", "completed"}

// PlanDoneView is where Stripe sends the debtor back: "we are confirming"
// until the webhook lands (RefreshURL checks again, no script needed),
// then the plan and its schedule.
type PlanDoneView struct {
	PlanPage
	Confirmed   bool
	Amount      Amount
	Summary     PlanSummary
	Instalments []PlanInstalmentView
	RefreshURL  string
}
