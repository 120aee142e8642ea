package web

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/outreach"
	"github.com/reglo/reglo/views"
)

// remBlankRows is how many empty step rows the form offers after the
// scenario's steps.
const remBlankRows = 2

// remKind reads ?kind= (consumer by default).
func remKind(c *fiber.Ctx) string {
	if c.Query("kind") == outreach.DebtorBusiness {
		return outreach.DebtorBusiness
	}
	return outreach.DebtorConsumer
}

// adminRemindersShow is GET /admin/creditors/:id/reminders[?kind=]: the
// scenario's form and every step's words in French and English.
func (s *Server) adminRemindersShow(c *fiber.Ctx) error {
	cr, err := s.adminCreditor(c)
	if err != nil {
		return err
	}
	kind := remKind(c)
	sc, err := s.cfg.Services.Outreach.Scenario(c.UserContext(), cr.ID, kind)
	if err != nil {
		return err
	}
	v := s.remView(c, cr, kind, remFormOf(sc), sc)
	if c.Query("notice") == "saved" {
		v.Notice = "saved"
	}
	return s.render(c, fiber.StatusOK, "admin_reminders", v)
}

// adminRemindersSave is POST /admin/creditors/:id/reminders[?kind=]. With
// action=preview it shows the preview of what was typed, saving nothing;
// otherwise it saves and redirects. A refused scenario shows the form
// again with the problem (422) and changes nothing.
func (s *Server) adminRemindersSave(c *fiber.Ctx) error {
	cr, err := s.adminCreditor(c)
	if err != nil {
		return err
	}
	kind := remKind(c)
	v := remFormFrom(c)
	sc, err := remScenarioOf(v, kind)
	if err == nil {
		err = sc.Validate()
	}
	if err != nil {
		var inv *portal.InvalidError
		if !errors.As(err, &inv) {
			return err
		}
		out := s.remView(c, cr, kind, v, outreach.Scenario{})
		out.Error, out.ErrorStep = remError(inv)
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_reminders", out)
	}
	if c.FormValue("action") == "preview" {
		return s.render(c, fiber.StatusOK, "admin_reminders", s.remView(c, cr, kind, v, sc))
	}
	if _, err := s.cfg.Services.Outreach.SaveScenario(c.UserContext(), cr.ID, sc); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/creditors/%d/reminders?kind=%s&notice=saved", cr.ID, kind), fiber.StatusSeeOther)
}

var remStepField = regexp.MustCompile(`^steps\[(\d+)\]`)

// remError is the catalogue key of a refusal and the step it names.
func remError(inv *portal.InvalidError) (string, int) {
	step := 0
	if m := remStepField.FindStringSubmatch(inv.Field); m != nil {
		n, _ := strconv.Atoi(m[1])
		step = n + 1
	}
	for _, k := range views.RemErrors {
		if k == inv.Code {
			return k, step
		}
	}
	return "steps", step
}

// remFormOf is a saved scenario as the form shows it.
func remFormOf(sc outreach.Scenario) views.RemScenarioView {
	v := views.RemScenarioView{From: sc.QuietHours.From, To: sc.QuietHours.To, Days: map[string]bool{}, Max: strconv.Itoa(sc.MaxPer7Days),
		TimeZone: sc.TimeZone, Holidays: sc.SendOnPublicHolidays}
	for _, d := range sc.Days {
		v.Days[d] = true
	}
	for _, st := range sc.Steps {
		f := views.RemStepForm{Day: strconv.Itoa(st.Day), Channel: st.Channel, Template: st.Template, NoContact: st.OnlyIfNoContact}
		if st.MinBalanceCents != nil {
			f.MinBalance = remAmount(*st.MinBalanceCents)
		}
		v.Steps = append(v.Steps, f)
	}
	return v
}

// remAmount writes cents as the form reads them back ("150" or "150,50").
func remAmount(cents int64) string {
	if cents%100 == 0 {
		return strconv.FormatInt(cents/100, 10)
	}
	return fmt.Sprintf("%d,%02d", cents/100, cents%100)
}

// remFormFrom reads the posted form as typed.
func remFormFrom(c *fiber.Ctx) views.RemScenarioView {
	args := c.Request().PostArgs()
	multi := func(name string) []string {
		var out []string
		for _, b := range args.PeekMulti(name) {
			out = append(out, strings.TrimSpace(string(b)))
		}
		return out
	}
	days, channels, templates, mins := multi("day"), multi("channel"), multi("template"), multi("min_balance")
	noContact := map[string]bool{}
	for _, i := range multi("no_contact") {
		noContact[i] = true
	}
	v := views.RemScenarioView{From: c.FormValue("from"), To: c.FormValue("to"), Days: map[string]bool{}, Max: c.FormValue("max_per_7_days"),
		TimeZone: strings.TrimSpace(c.FormValue("time_zone")), Holidays: c.FormValue("holidays") != ""}
	for _, d := range multi("days") {
		v.Days[d] = true
	}
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return xs[i]
		}
		return ""
	}
	for i := range days {
		v.Steps = append(v.Steps, views.RemStepForm{Day: days[i], Channel: at(channels, i), Template: at(templates, i), MinBalance: at(mins, i), NoContact: noContact[strconv.Itoa(i)]})
	}
	return v
}

// remScenarioOf turns the form into a scenario; rows without a day are
// left out.
func remScenarioOf(v views.RemScenarioView, kind string) (outreach.Scenario, error) {
	sc := outreach.Scenario{Kind: kind, QuietHours: outreach.Window{From: v.From, To: v.To}, TimeZone: v.TimeZone, SendOnPublicHolidays: v.Holidays}
	for _, d := range outreach.Weekdays {
		if v.Days[d] {
			sc.Days = append(sc.Days, d)
		}
	}
	max, err := strconv.Atoi(strings.TrimSpace(v.Max))
	if err != nil {
		return sc, portal.Invalid("max_per_7_days", "range", "a number")
	}
	sc.MaxPer7Days = max
	for _, f := range v.Steps {
		if f.Day == "" {
			continue
		}
		i := len(sc.Steps)
		day, err := strconv.Atoi(f.Day)
		if err != nil {
			return sc, portal.Invalid(fmt.Sprintf("steps[%d].day", i), "range", "a number")
		}
		st := outreach.Step{Day: day, Channel: f.Channel, Template: f.Template, OnlyIfNoContact: f.NoContact}
		if f.MinBalance != "" {
			cents, err := portal.ParseAmount(f.MinBalance)
			if err != nil {
				return sc, portal.Invalid(fmt.Sprintf("steps[%d].min_balance_cents", i), "amount", "an amount")
			}
			st.MinBalanceCents = &cents
		}
		sc.Steps = append(sc.Steps, st)
	}
	return sc, nil
}

// remView completes the page: the rows numbered with blanks after them,
// the choices, the links, and the preview of sc's steps.
func (s *Server) remView(c *fiber.Ctx, cr portal.Creditor, kind string, v views.RemScenarioView, sc outreach.Scenario) views.RemScenarioView {
	base := fmt.Sprintf("/admin/creditors/%d/reminders", cr.ID)
	v.User, v.Creditor, v.Kind = boUser(c), cr.Name, kind
	v.BackURL = fmt.Sprintf("/admin/creditors/%d/settings", cr.ID)
	v.Action = base + "?kind=" + kind
	v.KindURLs = map[string]string{outreach.DebtorConsumer: base + "?kind=consumer", outreach.DebtorBusiness: base + "?kind=business"}
	v.ChannelOptions = []string{outreach.ChannelEmail, outreach.ChannelSMS}
	v.TemplateOptions = outreach.Templates
	v.DaysList = views.RemWeekdays
	for range remBlankRows {
		if len(v.Steps) < outreach.MaxSteps {
			v.Steps = append(v.Steps, views.RemStepForm{})
		}
	}
	for i := range v.Steps {
		v.Steps[i].N = i + 1
	}
	v.Preview = s.remPreview(c, cr, sc)
	return v
}

// remPreview writes every step's message for a sample case, in French and
// English, through the same writer the scheduler uses.
func (s *Server) remPreview(c *fiber.Ctx, cr portal.Creditor, sc outreach.Scenario) []views.RemPreviewStep {
	if len(sc.Steps) == 0 {
		return nil
	}
	data, err := s.cfg.Services.Outreach.SampleData(c.UserContext(), cr.ID, sc)
	if err != nil {
		return nil
	}
	var out []views.RemPreviewStep
	for i, st := range sc.Steps {
		p := views.RemPreviewStep{Step: i + 1, Day: st.Day, Channel: st.Channel, Template: st.Template}
		for _, lang := range views.Languages {
			m, err := s.svc.WriteMessage(lang, "reminder_"+st.Template, data)
			if err != nil {
				continue
			}
			p.Texts = append(p.Texts, views.RemPreviewText{Lang: lang, Subject: m.Subject, Text: m.Text, SMS: m.SMS})
		}
		out = append(out, p)
	}
	return out
}
