package choices_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/storetest"
)

func TestProposePlan(t *testing.T) {
	today := time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC)
	pol := plans.DefaultPolicy() // at most 12 payments of at least 20.00
	tests := []struct {
		name      string
		balance   int64
		budget    choices.Budget
		fits      bool
		count     int
		perPeriod int64
	}{
		{"half of what is left each month", 30000, choices.Budget{IncomeCents: 150000, HousingCents: 100000, FoodCents: 30000}, true, 3, 10000},
		{"the policy minimum when half is less but affordable", 20000, choices.Budget{IncomeCents: 103000, HousingCents: 100000}, true, 10, 2000},
		{"nothing left", 30000, choices.Budget{IncomeCents: 100000, HousingCents: 100000}, false, 0, 0},
		{"left is below the minimum", 30000, choices.Budget{IncomeCents: 101000, HousingCents: 100000}, false, 0, 0},
		{"more payments than the policy allows", 500000, choices.Budget{IncomeCents: 110000, HousingCents: 100000}, false, 0, 0},
	}
	for _, tt := range tests {
		o, ok := choices.ProposePlan(tt.balance, tt.budget, pol, today)
		if ok != tt.fits {
			t.Errorf("%s: fits = %v", tt.name, ok)
			continue
		}
		if ok && (o.Count != tt.count || o.Frequency != plans.Monthly || o.TotalCents != tt.balance || o.Instalments[0].AmountCents > tt.perPeriod) {
			t.Errorf("%s: %d × %d (%s)", tt.name, o.Count, o.InstalmentCents, o.Frequency)
		}
	}
}

func TestRequestHelp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newChoiceEnv(t, store)
		bad := []struct {
			name  string
			in    choices.Hardship
			field string
		}{
			{"no reason", choices.Hardship{}, "reason"},
			{"a negative figure", choices.Hardship{Reason: "illness", Budget: &choices.Budget{FoodCents: -1}}, "food"},
			{"a callback today", choices.Hardship{Reason: "illness", Callback: &choices.Callback{On: day("2026-06-04"), Slot: "morning"}}, "callback_on"},
			{"a callback without a time of day", choices.Hardship{Reason: "illness", Callback: &choices.Callback{On: day("2026-06-05")}}, "callback_slot"},
		}
		for _, tt := range bad {
			_, err := e.Choices.RequestHelp(ctx, e.c.ID, tt.in)
			var inv *portal.InvalidError
			if !errors.As(err, &inv) || inv.Field != tt.field {
				t.Errorf("%s: %v", tt.name, err)
			}
		}
		if e.count(&choices.HelpRequest{}, e.c.ID) != 0 || len(e.events(e.c.ID, "help_requested")) != 0 {
			t.Fatal("a refused request was recorded")
		}
		b := choices.Budget{IncomeCents: 150000, HousingCents: 70000, EnergyCents: 10000, FoodCents: 30000, TransportCents: 10000, OtherDebtsCents: 10000}
		h, err := e.Choices.RequestHelp(ctx, e.c.ID, choices.Hardship{Reason: "lost_income", Budget: &b})
		if err != nil {
			t.Fatal(err)
		}
		if *h.DisposableCents != 20000 || h.ProposalCount != 3 || h.ProposalInstalmentCents != 10000 {
			t.Fatalf("help request %+v", h)
		}
		if st := e.status(e.c.ID); st != portal.StatusOpen {
			t.Fatalf("status %s: asking for help must not change the case", st)
		}
		ev := e.events(e.c.ID, "help_requested")
		if len(ev) != 1 || ev[0]["reason"] != "lost_income" || ev[0]["budget"].(map[string]any)["income_cents"] != float64(150000) {
			t.Fatalf("timeline %v", ev)
		}
		if o, ok, err := e.Choices.HelpProposal(ctx, h); err != nil || !ok || o.Count != 3 {
			t.Fatalf("proposal %v %v %v", o.Count, ok, err)
		}
		if _, err := e.Choices.AskFollowUp(ctx, e.c.ID, nil, false); err == nil {
			t.Fatal("an empty follow-up was accepted")
		}
		if h, err = e.Choices.AskFollowUp(ctx, e.c.ID, &choices.Callback{On: day("2026-06-08"), Slot: "evening"}, false); err != nil || h.CallbackOn == nil {
			t.Fatalf("callback: %+v %v", h, err)
		}
		if h, err = e.Choices.AskFollowUp(ctx, e.c.ID, nil, true); err != nil || !h.PauseRequested || h.CallbackOn != nil {
			t.Fatalf("pause: %+v %v", h, err)
		}
		latest, err := e.Choices.LatestHelpRequest(ctx, e.c.ID)
		if err != nil || latest == nil || !latest.PauseRequested || latest.CallbackOn != nil {
			t.Fatalf("latest %+v %v", latest, err)
		}
		if len(e.events(e.c.ID, "help_callback_requested")) != 1 || len(e.events(e.c.ID, "help_pause_requested")) != 1 {
			t.Fatal("follow-up events missing")
		}
		u, err := e.Core.CreateUser(ctx, portal.NewUser{Email: "agent@example.org", Password: "correct horse battery staple", Role: portal.RoleAgent})
		if err != nil {
			t.Fatal(err)
		}
		list, err := e.Choices.OpenHelpRequests(ctx, u)
		if err != nil || len(list) != 1 || list[0].Budget == "" {
			t.Fatalf("worklist %+v %v", list, err)
		}
	})
}
