package outreach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/portal"
)

// Channels a reminder step may use.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Kinds of debtor, each with its own scenario.
const (
	DebtorConsumer = "consumer"
	DebtorBusiness = "business"
)

// Templates are the built-in reminder messages, mildest first: a gentle
// reminder, a clear one, and the last amicable message that says factually
// what may come next. Their words live in the catalogues (msg.reminder_*).
var Templates = []string{"gentle", "clear", "last_amicable"}

// Weekdays are the day names a scenario's days use, Monday first.
var Weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Scenario limits.
const (
	MaxSteps = 12
	MaxDay   = 365
	// MaxPer7Days bounds the cap a creditor may set: more than three a
	// week already is a lot for a debtor to receive.
	MaxPer7Days = 7
	// DefaultPer7Days is the cap per debtor per 7 days across all messages.
	DefaultPer7Days = 3
)

// Step is one planned message of a scenario.
type Step struct {
	// Day counts from the oldest unpaid due date (0 is that day).
	Day      int    `json:"day"`
	Channel  string `json:"channel"`
	Template string `json:"template"`
	// MinBalanceCents, when set, sends the step only if the balance is at
	// least this much; otherwise it is skipped.
	MinBalanceCents *int64 `json:"min_balance_cents,omitempty"`
	// OnlyIfNoContact sends the step only while the debtor has never
	// opened a link of the case.
	OnlyIfNoContact bool `json:"only_if_no_contact,omitempty"`
}

// Window is the time of day when sending is allowed, "HH:MM" to "HH:MM"
// in the scenario's time zone ("24:00" is the end of the day). Outside it
// is quiet.
type Window struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Scenario is a creditor's reminder plan for one kind of debtor: the steps
// and the sending rules.
type Scenario struct {
	// Kind is "consumer" or "business"; the API names it with ?kind=.
	Kind       string `json:"kind"`
	Steps      []Step `json:"steps"`
	QuietHours Window `json:"quiet_hours"`
	// Days are the weekdays when sending is allowed.
	Days        []string `json:"days"`
	MaxPer7Days int      `json:"max_per_7_days"`
	TimeZone    string   `json:"time_zone"`
	// SendOnPublicHolidays lets messages go on French public holidays
	// (off by default).
	SendOnPublicHolidays bool `json:"send_on_public_holidays"`
	// InstalmentNoticeDays is how many days before each instalment of an
	// active plan the debtor gets a notice (0: none); nil is the default, 3.
	InstalmentNoticeDays *int `json:"instalment_notice_days,omitempty"`
}

// DefaultInstalmentNoticeDays is the notice before an instalment.
const DefaultInstalmentNoticeDays = 3

// NoticeDays is the scenario's notice before an instalment, in days.
func (s Scenario) NoticeDays() int {
	if s.InstalmentNoticeDays == nil {
		return DefaultInstalmentNoticeDays
	}
	return *s.InstalmentNoticeDays
}

// DefaultScenario is the scenario shipped ready to use for a kind of
// debtor: gentle, then clear, then the last amicable message, by email
// with an SMS between, from 08:00 to 20:00 Monday to Saturday in Paris.
func DefaultScenario(kind string) Scenario {
	s := Scenario{Kind: kind, QuietHours: Window{From: "08:00", To: "20:00"},
		Days: []string{"mon", "tue", "wed", "thu", "fri", "sat"}, MaxPer7Days: DefaultPer7Days, TimeZone: portal.DefaultTimeZone}
	if kind == DebtorBusiness {
		s.Steps = []Step{
			{Day: 1, Channel: ChannelEmail, Template: "gentle"},
			{Day: 8, Channel: ChannelEmail, Template: "clear"},
			{Day: 15, Channel: ChannelSMS, Template: "clear"},
			{Day: 30, Channel: ChannelEmail, Template: "last_amicable"},
		}
		return s
	}
	s.Kind = DebtorConsumer
	s.Steps = []Step{
		{Day: 3, Channel: ChannelEmail, Template: "gentle"},
		{Day: 10, Channel: ChannelSMS, Template: "gentle"},
		{Day: 20, Channel: ChannelEmail, Template: "clear"},
		{Day: 35, Channel: ChannelSMS, Template: "clear", OnlyIfNoContact: true},
		{Day: 45, Channel: ChannelEmail, Template: "last_amicable"},
	}
	return s
}

// Validate reports the first contradictory or unknown field, named as the
// API names it (steps[1].day, quiet_hours.to...).
func (s Scenario) Validate() error {
	if s.Kind != DebtorConsumer && s.Kind != DebtorBusiness {
		return portal.Invalid("kind", "kind", `kind must be "consumer" or "business"`)
	}
	if len(s.Steps) == 0 {
		return portal.Invalid("steps", "required", "a scenario needs at least one step")
	}
	if len(s.Steps) > MaxSteps {
		return portal.Invalid("steps", "too_many", fmt.Sprintf("a scenario has at most %d steps", MaxSteps))
	}
	for i, st := range s.Steps {
		f := fmt.Sprintf("steps[%d].", i)
		switch {
		case st.Day < 0 || st.Day > MaxDay:
			return portal.Invalid(f+"day", "range", fmt.Sprintf("day must be between 0 and %d", MaxDay))
		case i > 0 && st.Day <= s.Steps[i-1].Day:
			return portal.Invalid(f+"day", "order", "each step's day must come after the previous step's")
		case st.Channel != ChannelEmail && st.Channel != ChannelSMS:
			return portal.Invalid(f+"channel", "channel", `channel must be "email" or "sms"`)
		case !slices.Contains(Templates, st.Template):
			return portal.Invalid(f+"template", "template", `template must be "gentle", "clear" or "last_amicable"`)
		case st.MinBalanceCents != nil && *st.MinBalanceCents < 0:
			return portal.Invalid(f+"min_balance_cents", "range", "min_balance_cents cannot be negative")
		}
	}
	from, okFrom := parseClock(s.QuietHours.From)
	if !okFrom {
		return portal.Invalid("quiet_hours.from", "time", `quiet_hours.from must be a time "HH:MM"`)
	}
	to, okTo := parseClock(s.QuietHours.To)
	if !okTo {
		return portal.Invalid("quiet_hours.to", "time", `quiet_hours.to must be a time "HH:MM" (up to "24:00")`)
	}
	if to <= from {
		return portal.Invalid("quiet_hours.to", "order", "quiet_hours.to must come after quiet_hours.from: sending is allowed from one to the other")
	}
	if len(s.Days) == 0 {
		return portal.Invalid("days", "required", "name at least one day when messages may be sent")
	}
	for i, d := range s.Days {
		if !slices.Contains(Weekdays, d) {
			return portal.Invalid(fmt.Sprintf("days[%d]", i), "day", `days are "mon", "tue", "wed", "thu", "fri", "sat" or "sun"`)
		}
		if slices.Index(s.Days, d) != i {
			return portal.Invalid(fmt.Sprintf("days[%d]", i), "duplicate", "a day is named twice")
		}
	}
	if s.MaxPer7Days < 1 || s.MaxPer7Days > MaxPer7Days {
		return portal.Invalid("max_per_7_days", "range", fmt.Sprintf("max_per_7_days must be between 1 and %d", MaxPer7Days))
	}
	if n := s.InstalmentNoticeDays; n != nil && (*n < 0 || *n > 14) {
		return portal.Invalid("instalment_notice_days", "range", "instalment_notice_days must be between 0 and 14")
	}
	if s.TimeZone == "" {
		return portal.Invalid("time_zone", "required", "time_zone is required, for example Europe/Paris")
	}
	if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "Local" {
		return portal.Invalid("time_zone", "time_zone", "time_zone must be an IANA time zone, for example Europe/Paris")
	}
	return nil
}

// parseClock reads "HH:MM" as minutes since midnight; "24:00" is 1440.
func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, m := int(s[0]-'0')*10+int(s[1]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
	for _, c := range []byte{s[0], s[1], s[3], s[4]} {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// scenarioRow is a creditor's saved scenario for one kind of debtor.
type scenarioRow struct {
	ID         int64
	CreditorID int64
	DebtorKind string
	Scenario   string
	UpdatedAt  time.Time
}

func (scenarioRow) TableName() string { return "reminder_scenarios" }

// kindOf is a case's debtor kind, consumer unless it says business.
func kindOf(debtorKind string) string {
	if debtorKind == DebtorBusiness {
		return DebtorBusiness
	}
	return DebtorConsumer
}

// Scenario returns the creditor's scenario for a kind of debtor: the saved
// one, or the default one with the creditor's time zone.
func (s *Service) Scenario(ctx context.Context, creditorID int64, kind string) (Scenario, error) {
	return s.scenarioTx(s.db(ctx), creditorID, kind)
}

func (s *Service) scenarioTx(db *gorm.DB, creditorID int64, kind string) (Scenario, error) {
	if kind != DebtorConsumer && kind != DebtorBusiness {
		return Scenario{}, portal.Invalid("kind", "kind", `kind must be "consumer" or "business"`)
	}
	var row scenarioRow
	err := db.Where("creditor_id = ? AND debtor_kind = ?", creditorID, kind).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		sc := DefaultScenario(kind)
		var cr portal.Creditor
		if err := db.Select("id", "time_zone").Take(&cr, creditorID).Error; err != nil {
			return Scenario{}, portal.NotFound(err)
		}
		if cr.TimeZone != "" {
			sc.TimeZone = cr.TimeZone
		}
		return sc, nil
	}
	if err != nil {
		return Scenario{}, err
	}
	var sc Scenario
	if err := json.Unmarshal([]byte(row.Scenario), &sc); err != nil {
		return Scenario{}, fmt.Errorf("reminder scenario %d: %w", row.ID, err)
	}
	sc.Kind = kind
	return sc, nil
}

// SaveScenario validates and stores a creditor's scenario for sc.Kind; the
// next message of every case follows it.
func (s *Service) SaveScenario(ctx context.Context, creditorID int64, sc Scenario) (Scenario, error) {
	if sc.Kind == "" {
		sc.Kind = DebtorConsumer
	}
	if err := sc.Validate(); err != nil {
		return Scenario{}, err
	}
	raw, err := json.Marshal(sc)
	if err != nil {
		return Scenario{}, err
	}
	row := scenarioRow{CreditorID: creditorID, DebtorKind: sc.Kind, Scenario: string(raw), UpdatedAt: s.now()}
	err = s.db(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "creditor_id"}, {Name: "debtor_kind"}},
		DoUpdates: clause.AssignmentColumns([]string{"scenario", "updated_at"}),
	}).Create(&row).Error
	if err != nil {
		return Scenario{}, fmt.Errorf("save reminder scenario: %w", err)
	}
	return sc, nil
}
