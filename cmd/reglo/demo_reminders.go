package main

import (
	"context"
	"fmt"
	"io"

	"github.com/reglo/reglo/portal/areas"
	"github.com/reglo/reglo/portal/demo"
	"github.com/reglo/reglo/portal/outreach"
)

// demoScenario is the demo creditors' reminder scenario: the first email
// on the due date, and sending allowed at any hour on any day, so a
// try-out sees reminders at once whatever the time.
func demoScenario(kind string) outreach.Scenario {
	sc := outreach.DefaultScenario(kind)
	sc.Steps = []outreach.Step{
		{Day: 0, Channel: outreach.ChannelEmail, Template: "gentle"},
		{Day: 7, Channel: outreach.ChannelSMS, Template: "clear"},
		{Day: 14, Channel: outreach.ChannelEmail, Template: "clear"},
		{Day: 30, Channel: outreach.ChannelEmail, Template: "last_amicable"},
	}
	sc.QuietHours = outreach.Window{From: "00:00", To: "24:00"}
	sc.Days = outreach.Weekdays
	sc.SendOnPublicHolidays = true
	return sc
}

// demoReminders gives the demo creditors their scenario and says what it
// means for the try-out.
func demoReminders(ctx context.Context, svc *areas.Services, sum demo.Summary, mailOn bool, stdout io.Writer) error {
	for _, cr := range sum.Creditors {
		for _, kind := range []string{outreach.DebtorConsumer, outreach.DebtorBusiness} {
			if _, err := svc.Outreach.SaveScenario(ctx, cr.ID, demoScenario(kind)); err != nil {
				return fmt.Errorf("demo reminder scenario: %w", err)
			}
		}
	}
	fmt.Fprintln(stdout, "Reminders: the demo creditors' scenarios may send at any hour, any day (real creditors default to 08:00-20:00, Monday to Saturday).")
	if mailOn {
		fmt.Fprintln(stdout, "Overdue open cases get their first reminder email within a minute.")
	} else {
		fmt.Fprintln(stdout, "Set SMTP_URL (for example Mailpit: go tool mailpit, then SMTP_URL='smtp://localhost:1025?tls=none&from=relances@reglo.test') to see reminder emails.")
	}
	return nil
}
