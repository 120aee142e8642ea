package views

import (
	"testing"
	"time"
)

func init() {
	day := time.Date(2026, 6, 4, 10, 0, 0, 0, time.UTC)
	admin := BoUser{Email: "admin@example.org", Role: "admin"}
	agent := BoUser{Email: "agent@example.org", Role: "agent"}
	areaSamples["admin_worklist"] = func() []any {
		var reasons []AdmReason
		for _, k := range AdmReasons {
			r := AdmReason{Kind: k, Since: day, Count: 1}
			switch k {
			case "instalment_failed", "chargeback", "overpaid":
				r.Amount, r.Count = eur(1000), 2
			case "link_locked":
				r.NewLinkURL = "/admin/cases/1"
			case "help_request":
				r.CallbackOn, r.CallbackSlot = day, "morning"
				r.SaidKey, r.Pause = "choice.hardship.reason.illness_label", true
				r.Budget = &AdmBudget{Income: eur(150000), Outgoings: eur(140000), Disposable: eur(10000)}
			case "dispute":
				r.SaidKey, r.Text = "choice.contest.reason.already_paid_label", "J'ai déjà payé <b>en mars</b>."
				r.Dispute = &AdmDispute{ID: 7, ResolveURL: "/admin/worklist/disputes/7/resolve"}
			case "promise_missed":
				r.PromisedOn, r.Promised = day, eur(5000)
			}
			reasons = append(reasons, r)
		}
		var plansReasons []AdmReason
		for i, o := range AdmOutsideReasons {
			p := &AdmPlanRequest{ID: int64(i + 1), Frequency: AdmFrequencies[i%3], Count: 14, Total: eur(120000), OutsideReason: o,
				ApproveURL: "/admin/worklist/plans/1/approve", CounterURL: "/admin/worklist/plans/1/counter", DeclineURL: "/admin/worklist/plans/1/decline"}
			if i%2 == 0 {
				p.PerPeriod = eur(5000)
			}
			if i == 1 {
				p.Failed, p.CounterFrequency, p.CounterCount, p.Reason = true, "monthly", "24", "Voici"
			}
			plansReasons = append(plansReasons, AdmReason{Kind: "plan_requested", Since: day, Count: 1, Plan: p})
		}
		for _, c := range AdmContestReasons {
			reasons = append(reasons, AdmReason{Kind: "dispute", Since: day, Count: 1, SaidKey: "choice.contest.reason." + c + "_label"})
		}
		for _, h := range AdmHardshipReasons {
			reasons = append(reasons, AdmReason{Kind: "help_request", Since: day, Count: 1, SaidKey: "choice.hardship.reason." + h + "_label",
				Budget: &AdmBudget{Disposable: eur(-2000)}})
		}
		reasons = append(reasons, AdmReason{Kind: "promise_missed", Since: day, Count: 1, PromisedOn: day})
		for i, d := range AdmDisputeDecisions {
			reasons = append(reasons, AdmReason{Kind: "dispute", Since: day, Count: 1,
				Dispute: &AdmDispute{ID: int64(10 + i), ResolveURL: "/admin/worklist/disputes/10/resolve", Decision: d, Reasons: "Voici", Failed: true}})
		}
		for _, s := range AdmCallbackSlots {
			reasons = append(reasons, AdmReason{Kind: "help_request", Since: day, Count: 1, CallbackOn: day, CallbackSlot: s})
		}
		item := AdmWorkItem{CaseURL: "/admin/cases/1", Reference: "R-1", DebtorName: "Hélène Côté", Creditor: "Atelier", Status: "open", Balance: eur(120000), Since: day}
		a, b := item, item
		a.Reasons, b.Reasons = reasons, plansReasons
		out := []any{AdmWorklistView{User: agent, Frequencies: AdmFrequencies}}
		for _, n := range AdmWorklistNotices {
			out = append(out, AdmWorklistView{User: admin, Items: []AdmWorkItem{a}, Notice: n, Frequencies: AdmFrequencies, DisputeDecisions: AdmDisputeDecisions})
		}
		var errs AdmErrors
		for _, k := range []string{"adm.err.count", "adm.err.frequency", "adm.err.reason_required", "adm.err.reason_too_long", "adm.err.no_schedule",
			"adm.err.limit_frequency_not_allowed", "adm.err.limit_too_many_instalments", "adm.err.limit_first_payment_too_late",
			"adm.err.limit_down_payment_too_small", "adm.err.limit_instalment_too_small", "adm.err.limit_too_long",
			"adm.err.decision", "adm.err.dispute_reasons_required", "adm.err.dispute_reasons_too_long"} {
			errs = append(errs, FieldError{Field: "count-2", Key: k})
		}
		errs = append(errs, FieldError{Field: "decision-10", Key: "adm.err.decision"}, FieldError{Field: "dispute-reasons-12", Key: "adm.err.dispute_reasons_required"})
		errs = append(errs, FieldError{Field: "note-1", Key: "adm.err.unmatched_note_required"}, FieldError{Field: "note-2", Key: "adm.err.unmatched_note_too_long"})
		out = append(out, AdmWorklistView{User: admin, NoCase: sampleUnmatched(), Errors: errs[len(errs)-2:]})
		return append(out, AdmWorklistView{User: agent, Items: []AdmWorkItem{a, b}, More: 3, Errors: errs, Frequencies: AdmFrequencies, DisputeDecisions: AdmDisputeDecisions})
	}
	areaSamples["admin_creditors"] = func() []any {
		return []any{AdmCreditorsView{User: admin}, AdmCreditorsView{User: admin, Creditors: []AdmCreditorRow{{Name: "Atelier", LegalName: "Atelier SARL", Currency: "EUR",
			SettingsURL: "/admin/creditors/1/settings", ImportURL: "/admin/creditors/1/import"}}}}
	}
	areaSamples["admin_key_shown"] = func() []any {
		return []any{AdmKeyShownView{User: admin, Creditor: "Atelier", Key: "rk_abc", SettingsURL: "/admin/creditors/1/settings"}}
	}
	areaSamples["admin_settings"] = func() []any {
		base := AdmSettingsView{User: admin, Creditor: "Atelier", Currency: "EUR", PolicyURL: "/admin/creditors/1/settings",
			ProfileURL: "/admin/creditors/1/profile", KeysURL: "/admin/creditors/1/keys", ImportURL: "/admin/creditors/1/import", PreviewBalance: "1000,00"}
		for _, k := range []string{"max_instalments", "min_instalment", "max_duration_days", "min_down_payment_percent", "first_payment_within_days",
			"settlement_discount_percent", "settlement_valid_days", "max_missed_instalments", "promise_max_days"} {
			base.PolicyFields = append(base.PolicyFields, AdmField{ID: k, Key: k, Value: "1", Hint: k != "max_instalments", Numeric: true})
		}
		for _, k := range []string{"name", "legal_name", "legal_id", "address", "contact_email", "contact_phone", "contact_hours", "other_payment"} {
			base.ProfileFields = append(base.ProfileFields, AdmField{ID: k, Key: k, Value: "x", Hint: k == "legal_id", Long: k == "address"})
		}
		for _, f := range AdmFrequencies {
			base.Frequencies = append(base.Frequencies, AdmCheck{ID: "frequencies-" + f, Value: f, Checked: f == "monthly"})
		}
		full := base
		full.Keys = []AdmKeyRow{{Prefix: "rk_abcdefg", CreatedAt: day, RevokeURL: "/admin/creditors/1/keys/1/revoke"}, {Prefix: "rk_zzz", CreatedAt: day, RevokedAt: day}}
		for _, k := range AdmAuditKinds {
			full.Audit = append(full.Audit, AdmAuditRow{Kind: k, At: day, Who: "admin@example.org"})
		}
		settle := eur(90000)
		full.Preview = &AdmPreview{Balance: eur(100000), Settlement: &settle, SettlementUntil: day,
			Options: []AdmOption{{Frequency: "monthly", Count: 3, DownPayment: eur(40000), Instalment: eur(30000), FirstDue: day, LastDue: day}, {Frequency: "weekly", Count: 2, Instalment: eur(50000), FirstDue: day, LastDue: day}}}
		empty := base
		empty.Preview = &AdmPreview{Balance: eur(100)}
		out := []any{base, full, empty}
		bad := base
		bad.PolicyFields = append([]AdmField(nil), base.PolicyFields...)
		bad.Form = "policy"
		for _, k := range []string{"max_instalments", "min_instalment_cents", "max_duration_days", "min_down_payment_percent", "first_payment_within_days",
			"settlement_discount_percent", "settlement_valid_days", "max_missed_instalments", "promise_max_days", "frequencies"} {
			bad.Errors = append(bad.Errors, FieldError{Field: k, Key: "adm.err.policy." + k})
		}
		bad.Errors = append(bad.Errors, FieldError{Field: "max_instalments", Key: "adm.err.number"}, FieldError{Field: "preview_balance", Key: "adm.err.amount"})
		bad.PolicyFields[0].Error = &bad.Errors[0]
		out = append(out, bad)
		for _, n := range AdmSettingsNotices {
			v := full
			v.Notice = n
			out = append(out, v)
		}
		prof := base
		prof.ProfileFields = append([]AdmField(nil), base.ProfileFields...)
		for _, k := range []string{"required", "too_long", "email", "phone"} {
			prof.Errors = append(prof.Errors, FieldError{Field: "contact_email", Key: "adm.err." + k})
		}
		prof.ProfileFields[4].Error = &prof.Errors[2]
		return append(out, prof)
	}
	areaSamples["admin_import"] = func() []any {
		base := AdmImportView{User: admin, Creditor: "Atelier", Action: "/admin/creditors/1/import", SettingsURL: "/admin/creditors/1/settings"}
		for _, c := range []string{"reference", "debtor_name", "debtor_email", "debtor_phone", "debtor_postcode", "debtor_language", "debtor_kind", "currency",
			"invoice_number", "issued_on", "due_on", "invoice_description", "line_label", "line_kind", "amount"} {
			base.Columns = append(base.Columns, AdmColumn{Name: c, Required: c == "reference"})
		}
		done := base
		done.Report = &AdmImportReport{Done: true, Rows: 4, Cases: 2, Invoices: 3, Lines: 4, Seconds: "0,1"}
		bad := base
		bad.Report = &AdmImportReport{Rows: 10, Rejected: 3, More: 2, Seconds: "0,1"}
		for i, c := range AdmImportCodes {
			bad.Report.Problems = append(bad.Report.Problems, AdmImportProblem{Row: i, Column: "amount", Code: c})
		}
		one := base
		one.Report = &AdmImportReport{Rows: 1, Rejected: 1, More: 1, Problems: []AdmImportProblem{{Row: 0, Code: "encoding"}}}
		missing := base
		missing.Errors = AdmErrors{{Field: "file", Key: "adm.err.file_required"}}
		large := base
		large.Errors = AdmErrors{{Field: "file", Key: "adm.err.file_large"}}
		return []any{base, done, bad, one, missing, large}
	}
}

func TestAdminKeysExist(t *testing.T) {
	ids, err := MessageIDs()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		known := set(ids[lang])
		var want []string
		for _, k := range AdmReasons {
			want = append(want, "adm.reason."+k)
		}
		for _, k := range AdmImportCodes {
			want = append(want, "adm.import.err."+k)
		}
		for _, k := range AdmAuditKinds {
			want = append(want, "adm.audit."+k)
		}
		for _, k := range want {
			if !known[k] {
				t.Errorf("%s: message %q is missing", lang, k)
			}
		}
	}
}
