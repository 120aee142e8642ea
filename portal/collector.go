package portal

import (
	"strings"
)

// Collector is the legal identity of the organisation running the portal
// when it is a collection agency acting for creditors (French CPCE R124-4:
// the agency's name, legal form, address, registration and professional
// insurance, and the dedicated account where it receives the funds). It
// comes from the environment (REGLO_COLLECTOR_*, see cmd/reglo), one per
// deployment. With no Name, the creditors collect their own debts (an
// in-house team) and no agency is named.
type Collector struct {
	Name      string
	LegalForm string // "SAS", "SARL"...
	Address   string // several lines
	SIREN     string
	// Registration is the trade-register entry (RCS Paris 123 456 789...).
	Registration string
	// Insurance names the professional civil liability insurer and policy.
	Insurance string
	// FundsAccount is the dedicated account (IBAN) where debtors' payments
	// are received for the creditors.
	FundsAccount string
	Email        string
	Phone        string
}

// Agency reports whether an agency collects on the creditors' behalf.
func (c Collector) Agency() bool { return strings.TrimSpace(c.Name) != "" }

// CheckCollector says what an agency's identity lacks: R124-4 requires the
// name, legal form, address, SIREN, registration and insurance, and the
// account where funds are received. It returns the missing field names.
func CheckCollector(c Collector) []string {
	if !c.Agency() {
		return nil
	}
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"legal_form", c.LegalForm}, {"address", c.Address}, {"siren", c.SIREN}, {"registration", c.Registration},
		{"insurance", c.Insurance}, {"funds_account", c.FundsAccount},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if c.Email == "" && c.Phone == "" {
		missing = append(missing, "email") // or a phone
	}
	return missing
}

// MessageData adds the collector's identity to a message's data, so every
// email and SMS names the agency beside the creditor (views.Messages).
func (c Collector) MessageData(data map[string]any) map[string]any {
	if !c.Agency() {
		return data
	}
	out := make(map[string]any, len(data)+3)
	for k, v := range data {
		out[k] = v
	}
	out["Collector"] = c.Name
	out["CollectorIdentity"] = c.OneLine()
	out["CollectorContact"] = strings.TrimSpace(strings.Join(nonEmpty(c.Email, c.Phone), " · "))
	return out
}

// OneLine is the agency's identity on one line: name, legal form, address,
// SIREN and registration.
func (c Collector) OneLine() string {
	addr := strings.Join(strings.Fields(strings.ReplaceAll(c.Address, "\n", ", ")), " ")
	return strings.Join(nonEmpty(c.Name+" "+c.LegalForm, addr, "SIREN "+c.SIREN, c.Registration), ", ")
}

func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if v != "" && v != "SIREN" {
			out = append(out, v)
		}
	}
	return out
}
