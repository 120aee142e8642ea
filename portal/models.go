package portal

import (
	"time"

	"github.com/reglo/reglo/plans"
)

// Line kinds: what an amount on an invoice is for.
const (
	LinePrincipal = "principal"
	LineInterest  = "interest"
	LineFee       = "fee"
)

// Organisation runs the portal: a collection agency or an in-house credit team.
type Organisation struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// Creditor is the business a debt is owed to. Its identity and address are
// shown to debtors; Policy holds its plan limits as JSON.
type Creditor struct {
	ID             int64
	OrganisationID int64
	Name           string
	LegalName      string
	LegalID        string
	Address        string
	Currency       string
	ContactEmail   string
	ContactPhone   string
	ContactHours   string
	OtherPayment   string
	TimeZone       string
	PolicyJSON     string `gorm:"column:policy"`
	CreatedAt      time.Time
}

// APIKey is a creditor's API credential; only its SHA-256 is stored.
type APIKey struct {
	ID         int64
	CreditorID int64
	Prefix     string
	KeyHash    string
	CreatedAt  time.Time
	RevokedAt  *time.Time
}

// User is a back-office login.
type User struct {
	ID             int64
	OrganisationID int64
	Email          string
	PasswordHash   string
	Role           string
	CreditorID     *int64
	FailedLogins   int
	LockedUntil    *time.Time
	CreatedAt      time.Time
}

// Case is one debtor's debt to one creditor.
type Case struct {
	ID               int64
	CreditorID       int64
	Reference        string
	DebtorName       string
	DebtorEmail      string
	DebtorPhone      string
	DebtorPostcode   string
	DebtorLanguage   string
	DebtorKind       string
	Currency         string
	Status           Status
	PolicyOverride   *string
	StripeCustomerID string
	SearchText       string // lower-case, accent-free: see SearchText in case_search.go
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Invoice is one bill that makes up part of a case.
type Invoice struct {
	ID          int64
	CaseID      int64
	Number      string
	IssuedOn    Date
	DueOn       Date
	Description string
	Lines       []InvoiceLine `gorm:"foreignKey:InvoiceID"`
}

// InvoiceLine is one amount on an invoice: principal, interest or a fee.
type InvoiceLine struct {
	ID          int64
	InvoiceID   int64
	CaseID      int64
	Position    int
	Label       string
	Kind        string
	AmountCents int64
	Basis       string // what an interest or fee line rests on (BasisLegalRate...); "" for principal
}

// Document is a proof document (invoice PDF, contract, delivery note).
type Document struct {
	ID          int64
	CaseID      int64
	InvoiceID   *int64
	Title       string
	ContentType string
	Size        int64
	SHA256      string `gorm:"column:sha256"`
	StorageKey  string
	Source      string
	CreatedAt   time.Time
}

// Link is a secure link to a case; only the SHA-256 of its token is stored.
type Link struct {
	ID             int64
	CaseID         int64
	TokenHash      string
	Channel        string
	Purpose        string
	InstalmentID   *int64
	CreatedBy      *int64
	ExpiresAt      time.Time
	RevokedAt      *time.Time
	FailedAttempts int
	LockedAt       *time.Time
	LastOpenedAt   *time.Time
	CreatedAt      time.Time
}

// Session is a server-side login, of a debtor to one case or of a user.
type Session struct {
	IDHash     string `gorm:"primaryKey"`
	Kind       string
	CaseID     *int64
	UserID     *int64
	LinkID     *int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

// Plan is a payment schedule a debtor chose or requested.
type Plan struct {
	ID                       int64
	CaseID                   int64
	Status                   string
	Frequency                string
	InstalmentCount          int
	DownPaymentCents         int64
	TotalCents               int64
	RequestedInstalmentCents int64
	OutsideReason            string
	DecisionReason           string
	StripeCustomerID         string
	StripePaymentMethodID    string
	MissedCount              int
	CreatedAt                time.Time
	UpdatedAt                time.Time
	Instalments              []Instalment `gorm:"foreignKey:PlanID"`
}

// Instalment is one scheduled payment of a plan.
type Instalment struct {
	ID              int64
	PlanID          int64
	CaseID          int64
	Seq             int
	DueOn           Date
	AmountCents     int64
	Status          string
	Attempts        int
	NextAttemptAt   *time.Time
	PaymentIntentID string
	LastError       string
	UpdatedAt       time.Time
}

// CheckoutSession records a Stripe Checkout Session Reglo created, so a
// double tap reuses it rather than opening a second one.
type CheckoutSession struct {
	ID     int64
	CaseID int64
	// PlanID names the plan a plan session pays or saves a card for; nil
	// for paying in full or the settlement offer.
	PlanID          *int64
	StripeSessionID string
	IdempotencyKey  string
	URL             string `gorm:"column:url"`
	AmountCents     int64
	Purpose         string
	InstalmentID    *int64
	CreatedAt       time.Time
	ExpiresAt       time.Time
}

// Payment kinds. Card and instalment amounts are positive (they reduce the
// balance); refund and dispute amounts are negative (they bring it back). A
// discount is no money: it is what a creditor waived when a settlement offer
// was paid, recorded so the balance reaches zero and the trail shows why.
const (
	PaymentCard       = "card"
	PaymentInstalment = "instalment"
	PaymentRefund     = "refund"
	PaymentDispute    = "dispute"
	PaymentDiscount   = "discount"
)

// Payment is one money movement recorded from Stripe, unique on the Stripe
// object so it can never be counted twice.
type Payment struct {
	ID              int64
	CaseID          int64
	Kind            string
	AmountCents     int64
	Currency        string
	StripeObjectID  string
	PaymentIntentID string
	// ChargeID is the charge a card or instalment payment's PaymentIntent
	// made, when an event named it.
	ChargeID string
	// CheckoutSessionID links a card payment to the session that took it.
	CheckoutSessionID string
	// State is a dispute's stage (open, won, lost); empty for other kinds.
	State        string
	InstalmentID *int64
	Description  string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// StripeReturn is a refund (a charge's cumulative amount refunded) or a
// chargeback as Stripe reported it, before it is matched to a payment.
// ReturnKey is "refund:<charge>" or "dispute:<dispute>"; amounts only grow and
// dispute states only move forward.
type StripeReturn struct {
	ReturnKey       string `gorm:"primaryKey"`
	Kind            string
	CaseHint        *int64
	PaymentIntentID string
	ChargeID        string
	DisputeID       string
	AmountCents     int64
	Currency        string
	State           string
	Reason          string
	StripeEventID   string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Reasons money is unmatched.
const (
	// UnmatchedUnknownPayment: a refund or lost chargeback of a charge
	// Reglo recorded no payment for.
	UnmatchedUnknownPayment = "unknown_payment"
	// UnmatchedCurrency: money in another currency than the case's or the
	// payment's.
	UnmatchedCurrency = "currency"
	// UnmatchedExcess: refunds and lost chargebacks beyond what the
	// payment brought in.
	UnmatchedExcess = "excess"
	// UnmatchedNoCase: a payment naming a case that does not exist.
	UnmatchedNoCase = "no_case"
)

// UnmatchedMoney is money Stripe reported that Reglo could not match to
// what a case paid. It is never in a balance; an agent resolves it with a
// note. CaseID is nil when no case could be named. AmountCents may drop to
// zero when a late event lets Reglo match it after all.
type UnmatchedMoney struct {
	ID                int64
	MoneyKey          string
	CaseID            *int64
	Reason            string
	AmountCents       int64
	Currency          string
	StripeEventID     string
	PaymentIntentID   string
	ChargeID          string
	CheckoutSessionID string
	DisputeID         string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	ResolvedAt        *time.Time
	ResolvedBy        *int64
	ResolutionNote    string
}

// TableName keeps GORM from pluralising "money".
func (UnmatchedMoney) TableName() string { return "unmatched_money" }

// CheckoutClaim is held by the one request creating a case's Checkout
// Session for a slot (purpose, plan, instalment, amount).
type CheckoutClaim struct {
	CaseID       int64  `gorm:"primaryKey;autoIncrement:false"`
	Slot         string `gorm:"primaryKey"`
	ClaimedUntil *time.Time
}

// StripeEvent records a webhook event id that has been applied.
type StripeEvent struct {
	ID         string `gorm:"primaryKey"`
	Type       string
	ReceivedAt time.Time
}

// Actor kinds on the timeline.
const (
	ActorDebtor   = "debtor"
	ActorUser     = "user"
	ActorCreditor = "creditor"
	ActorStripe   = "stripe"
	ActorSystem   = "system"
)

// TimelineEvent is one append-only entry in a case's history.
type TimelineEvent struct {
	ID        int64
	CaseID    int64
	Kind      EventKind
	ActorKind string
	ActorID   *int64
	Data      string
	CreatedAt time.Time
}

// Plan statuses, as stored in plans.status.
const (
	// PlanStatusRequested: outside the creditor's limits (or auto_approve is
	// off); waiting for an agent.
	PlanStatusRequested = "requested"
	// PlanStatusPending: agreed, waiting for the first payment or the saved
	// card that Stripe's webhook confirms.
	PlanStatusPending = "pending"
	// PlanStatusActive: the scheduler charges its instalments.
	PlanStatusActive = "active"
	// PlanStatusCompleted: every instalment is paid (or the balance is).
	PlanStatusCompleted = "completed"
	// PlanStatusLapsed: too many missed instalments; the case is open again.
	PlanStatusLapsed = "lapsed"
	// PlanStatusCancelled: replaced by another choice or stopped.
	PlanStatusCancelled = "cancelled"
	// PlanStatusDeclined: an agent refused the request.
	PlanStatusDeclined = "declined"
)

// Instalment statuses, as stored in instalments.status.
const (
	InstalmentScheduled      = "scheduled"
	InstalmentProcessing     = "processing"
	InstalmentPaid           = "paid"
	InstalmentFailed         = "failed"
	InstalmentRequiresAction = "requires_action"
	InstalmentCancelled      = "cancelled"
)

// PlanReviewWorkingDays is how many working days an agent takes at most to
// answer a plan request; the debtor is told the date.
const PlanReviewWorkingDays = 2

// PlanRequest is the debtor's choice: a frequency and either a number of
// instalments (an offered option, or their own) or what they can afford per
// period. StartOn, when set, moves the first payment to a later day; nothing
// is then charged today and the card is saved through a setup session.
type PlanRequest struct {
	Frequency       plans.Frequency
	Count           int
	AffordableCents int64
	StartOn         Date
}
