package plans

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

func TestDefaultPolicyIsValid(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("DefaultPolicy().Validate() = %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Policy)
		field  string // "" when the policy is valid
	}{
		{"default policy is valid", func(p *Policy) {}, ""},
		{"one instalment means no plans but is allowed", func(p *Policy) { p.MaxInstalments = 1; p.MaxDurationDays = 0 }, ""},
		{"120 instalments over ten years is allowed", func(p *Policy) { p.MaxInstalments = 120; p.MaxDurationDays = 3653 }, ""},
		{"no minimum instalment is allowed", func(p *Policy) { p.MinInstalmentCents = 0 }, ""},
		{"weekly only fits in seven days", func(p *Policy) { p.Frequencies = []Frequency{Weekly}; p.MaxDurationDays = 7 }, ""},
		{"a settlement with days to accept it is allowed", func(p *Policy) { p.SettlementDiscountPercent = 20; p.SettlementValidDays = 7 }, ""},
		{"a 99% down payment is allowed", func(p *Policy) { p.MinDownPaymentPercent = 99 }, ""},
		{"a 100% down payment is allowed without plans", func(p *Policy) { p.MaxInstalments = 1; p.MinDownPaymentPercent = 100 }, ""},
		{"first payment today only is allowed", func(p *Policy) { p.FirstPaymentWithinDays = 0 }, ""},
		{"lapsing at the first miss is allowed", func(p *Policy) { p.MaxMissedInstalments = 0 }, ""},

		{"zero instalments", func(p *Policy) { p.MaxInstalments = 0 }, "max_instalments"},
		{"negative instalments", func(p *Policy) { p.MaxInstalments = -3 }, "max_instalments"},
		{"more than 120 instalments", func(p *Policy) { p.MaxInstalments = 121 }, "max_instalments"},
		{"negative minimum instalment", func(p *Policy) { p.MinInstalmentCents = -1 }, "min_instalment_cents"},
		{"negative duration", func(p *Policy) { p.MaxDurationDays = -1 }, "max_duration_days"},
		{"duration beyond ten years", func(p *Policy) { p.MaxDurationDays = 4000 }, "max_duration_days"},
		{"negative down payment", func(p *Policy) { p.MinDownPaymentPercent = -1 }, "min_down_payment_percent"},
		{"down payment over 100%", func(p *Policy) { p.MinDownPaymentPercent = 101 }, "min_down_payment_percent"},
		{"100% down payment leaves nothing to spread", func(p *Policy) { p.MinDownPaymentPercent = 100 }, "min_down_payment_percent"},
		{"negative first payment delay", func(p *Policy) { p.FirstPaymentWithinDays = -1 }, "first_payment_within_days"},
		{"negative settlement discount", func(p *Policy) { p.SettlementDiscountPercent = -5; p.SettlementValidDays = 7 }, "settlement_discount_percent"},
		{"settlement discount over 100%", func(p *Policy) { p.SettlementDiscountPercent = 150; p.SettlementValidDays = 7 }, "settlement_discount_percent"},
		{"100% settlement discount leaves nothing to pay", func(p *Policy) { p.SettlementDiscountPercent = 100; p.SettlementValidDays = 7 }, "settlement_discount_percent"},
		{"settlement discount with no days to accept it", func(p *Policy) { p.SettlementDiscountPercent = 20 }, "settlement_valid_days"},
		{"negative settlement days", func(p *Policy) { p.SettlementValidDays = -1 }, "settlement_valid_days"},
		{"negative missed instalments", func(p *Policy) { p.MaxMissedInstalments = -1 }, "max_missed_instalments"},
		{"zero promise days", func(p *Policy) { p.PromiseMaxDays = 0 }, "promise_max_days"},
		{"promise beyond ten years", func(p *Policy) { p.PromiseMaxDays = 5000 }, "promise_max_days"},
		{"no frequency", func(p *Policy) { p.Frequencies = nil }, "frequencies"},
		{"empty frequency list", func(p *Policy) { p.Frequencies = []Frequency{} }, "frequencies"},
		{"unknown frequency", func(p *Policy) { p.Frequencies = []Frequency{Monthly, "daily"} }, "frequencies"},
		{"frequency listed twice", func(p *Policy) { p.Frequencies = []Frequency{Weekly, Monthly, Weekly} }, "frequencies"},
		{"duration too short for two monthly payments", func(p *Policy) { p.MaxDurationDays = 30 }, "max_duration_days"},
		{"duration too short for two weekly payments", func(p *Policy) { p.Frequencies = []Frequency{Weekly}; p.MaxDurationDays = 6 }, "max_duration_days"},
		{"duration too short for two fortnightly payments", func(p *Policy) { p.Frequencies = []Frequency{Weekly, Fortnightly}; p.MaxDurationDays = 13 }, "max_duration_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			tt.change(&p)
			err := p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate() = %v, want a *FieldError for %s", err, tt.field)
			}
			if fe.Field != tt.field {
				t.Errorf("Validate() field = %q (%s), want %q", fe.Field, fe.Message, tt.field)
			}
			if fe.Message == "" {
				t.Error("Validate() gave an empty message")
			}
		})
	}
}

func TestValidateNamesTheSlowestFrequencyThatDoesNotFit(t *testing.T) {
	p := DefaultPolicy()
	p.MaxDurationDays = 5
	var fe *FieldError
	if !errors.As(p.Validate(), &fe) || fe.Message != "must be at least 31 days to fit two monthly payments" {
		t.Fatalf("Validate() = %v, want the monthly limit", fe)
	}
}

func TestPolicyJSONNames(t *testing.T) {
	b, err := json.Marshal(DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	want := []string{
		"auto_approve", "first_payment_within_days", "frequencies", "max_duration_days",
		"max_instalments", "max_missed_instalments", "min_down_payment_percent",
		"min_instalment_cents", "promise_max_days", "settlement_discount_percent", "settlement_valid_days",
	}
	if !slices.Equal(got, want) {
		t.Errorf("JSON keys = %v, want %v", got, want)
	}
}

func TestDecodingIntoDefaultPolicyKeepsDefaultsForMissingFields(t *testing.T) {
	p := DefaultPolicy()
	if err := json.Unmarshal([]byte(`{"max_instalments": 6, "frequencies": ["monthly"]}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.MaxInstalments != 6 || !slices.Equal(p.Frequencies, []Frequency{Monthly}) || p.PromiseMaxDays != 30 || p.MinInstalmentCents != 2000 {
		t.Errorf("decoded policy = %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
}

func TestParseFrequency(t *testing.T) {
	tests := []struct {
		in   string
		want Frequency
		ok   bool
	}{
		{"weekly", Weekly, true},
		{"fortnightly", Fortnightly, true},
		{"monthly", Monthly, true},
		{" Monthly ", Monthly, true},
		{"WEEKLY", Weekly, true},
		{"daily", "", false},
		{"", "", false},
		{"biweekly", "", false},
	}
	for _, tt := range tests {
		got, err := ParseFrequency(tt.in)
		if tt.ok && (err != nil || got != tt.want) {
			t.Errorf("ParseFrequency(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
		if !tt.ok && !errors.Is(err, ErrUnknownFrequency) {
			t.Errorf("ParseFrequency(%q) = %q, %v, want ErrUnknownFrequency", tt.in, got, err)
		}
	}
}

func TestFieldErrorMessage(t *testing.T) {
	err := &FieldError{Field: "max_instalments", Message: "must be between 1 and 120"}
	if got := err.Error(); got != "max_instalments: must be between 1 and 120" {
		t.Errorf("Error() = %q", got)
	}
}
