package views

import "time"

func init() {
	areaSamples["case_plan"] = func() []any {
		var out []any
		for _, f := range Frequencies {
			out = append(out, PlanChooseView{PlanPage: samplePlanPage(nil), Balance: eur(124950), Frequencies: Frequencies, Frequency: f,
				Options: []PlanOptionView{
					{PlanSummary: samplePlanSummary(f, 6, 0, 2), CheckURL: "/case/plan/check?frequency=" + f + "&count=6"},
					{PlanSummary: samplePlanSummary(f, 4, 40000, 0), CheckURL: "/case/plan/check?frequency=" + f + "&count=4"},
					{PlanSummary: samplePlanSummary(f, 1, 0, 0), CheckURL: "/case/plan/check?frequency=" + f + "&count=1"},
				}})
		}
		errs := FieldErrors{{Field: "afford", Key: "plan.err.afford.format"}}
		out = append(out,
			PlanChooseView{PlanPage: samplePlanPage(errs), Balance: eur(124950), Frequencies: []string{FrequencyMonthly}, Frequency: FrequencyMonthly, Afford: "abc", Replacing: true},
			PlanChooseView{PlanPage: samplePlanPage(FieldErrors{{Field: "afford", Key: "plan.err.afford.required"}, {Field: "frequency", Key: "plan.err.frequency.choose"},
				{Field: "count", Key: "plan.err.count.choose"}, {Field: "start_on", Key: "plan.err.start.past"}}), Balance: eur(100), Frequencies: Frequencies, Frequency: FrequencyWeekly})
		return out
	}
	areaSamples["case_plan_check"] = func() []any {
		s := samplePlanSummary(FrequencyMonthly, 6, 0, 2)
		base := PlanCheckView{PlanPage: samplePlanPage(nil), Summary: s, Instalments: samplePlanInstalments(""), MaxMissed: 2, RetryDays: 3, Count: 6, CardPayment: true}
		within, setup, noCard, afford := base, base, base, base
		within.WithinLimits, within.PayToday = true, eur(20825)
		setup.WithinLimits = true
		noCard.WithinLimits, noCard.CardPayment = true, false
		afford.Afford, afford.Count, afford.AnswerBy = "50", 0, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
		out := []any{within, setup, noCard}
		for _, r := range []string{"review", "frequency_not_allowed", "too_many_instalments", "first_payment_too_late", "too_long"} {
			v := afford
			v.Reason, v.Limit = r, 12
			out = append(out, v)
		}
		for _, r := range []string{"down_payment_too_small", "instalment_too_small"} {
			v := afford
			v.Reason, v.LimitAmount = r, eur(2000)
			out = append(out, v)
		}
		return out
	}
	areaSamples["case_plan_requested"] = func() []any {
		return []any{
			PlanRequestedView{PlanPage: samplePlanPage(nil), Summary: samplePlanSummary(FrequencyWeekly, 30, 0, 0), AnswerBy: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
				Reason: "instalment_too_small", LimitAmount: eur(2000)},
			PlanRequestedView{PlanPage: samplePlanPage(nil), Summary: samplePlanSummary(FrequencyMonthly, 18, 0, 0), AnswerBy: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
				Reason: "too_many_instalments", Limit: 12},
			PlanRequestedView{PlanPage: samplePlanPage(nil), Summary: samplePlanSummary(FrequencyMonthly, 3, 0, 0), AnswerBy: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)},
		}
	}
	areaSamples["case_plan_done"] = func() []any {
		return []any{
			PlanDoneView{PlanPage: samplePlanPage(nil), RefreshURL: "/case/plan/done?session_id=cs_1"},
			PlanDoneView{PlanPage: samplePlanPage(nil), Confirmed: true, Amount: eur(20825), Summary: samplePlanSummary(FrequencyMonthly, 6, 0, 2), Instalments: samplePlanInstalments("paid")},
			PlanDoneView{PlanPage: samplePlanPage(nil), Confirmed: true, Summary: samplePlanSummary(FrequencyMonthly, 6, 0, 2), Instalments: samplePlanInstalments("scheduled")},
		}
	}
	areaSamples["case_plan_schedule"] = func() []any {
		var out []any
		for _, st := range PlanScheduleStatuses {
			ins := samplePlanInstalments("paid")
			v := PlanScheduleView{PlanPage: samplePlanPage(nil), Status: st, Summary: samplePlanSummary(FrequencyMonthly, 6, 0, 2), Instalments: ins,
				Paid: eur(20825), Remaining: eur(104125), PaidCount: 1, Next: &ins[1], CanPayNow: true, CanChangeCard: true, MaxMissed: 2, RetryDays: 3}
			out = append(out, v)
		}
		ins := samplePlanInstalments("paid")
		for _, s := range InstalmentStatuses {
			ins[1].Status = s
			v := PlanScheduleView{PlanPage: samplePlanPage(nil), Status: "active", Summary: samplePlanSummary(FrequencyWeekly, 6, 40000, 0), Instalments: append([]PlanInstalmentView(nil), ins...),
				Paid: eur(40000), PaidCount: 1, Next: &ins[1], Failed: s == "failed" || s == "requires_action", CanPayNow: s != "processing", MaxMissed: 1, RetryDays: 1}
			out = append(out, v)
		}
		return out
	}
}

func samplePlanPage(errs FieldErrors) PlanPage {
	return PlanPage{ChoicePage: ChoicePage{Creditor: sampleContact(), Errors: errs}}
}

func samplePlanSummary(freq string, count int, down int64, extra int) PlanSummary {
	first := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	return PlanSummary{Frequency: freq, Count: count, Regular: eur(20824), Extra: extra, ExtraAmount: eur(20825), DownPayment: eur(down),
		First: first, Last: first.AddDate(0, count-1, 0), Total: eur(124950)}
}

func samplePlanInstalments(firstStatus string) []PlanInstalmentView {
	first := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	var out []PlanInstalmentView
	for i := range 6 {
		st := ""
		if firstStatus != "" {
			st = "scheduled"
			if i == 0 {
				st = firstStatus
			}
		}
		out = append(out, PlanInstalmentView{Seq: i + 1, DueOn: first.AddDate(0, i, 0), Amount: eur(20825), DownPayment: i == 0 && firstStatus == "", Status: st})
	}
	return out
}
