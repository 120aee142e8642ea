package web

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/views"
)

// admPreviewBalance is the balance the settings page previews by default.
const admPreviewBalance = 100000

// adminCreditors is GET /admin/creditors: the creditors the admin manages.
func (s *Server) adminCreditors(c *fiber.Ctx) error {
	crs, err := s.svc.CreditorsForUser(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	v := views.AdmCreditorsView{User: boUser(c), Creditors: []views.AdmCreditorRow{}}
	for _, cr := range crs {
		base := fmt.Sprintf("/admin/creditors/%d/", cr.ID)
		v.Creditors = append(v.Creditors, views.AdmCreditorRow{Name: cr.Name, LegalName: cr.LegalName, Currency: cr.Currency,
			SettingsURL: base + "settings", ImportURL: base + "import"})
	}
	return s.render(c, fiber.StatusOK, "admin_creditors", v)
}

// adminCreditor loads :id for the signed-in admin (404 for another's).
func (s *Server) adminCreditor(c *fiber.Ctx) (portal.Creditor, error) {
	id, err := boCaseID(c, "id")
	if err != nil {
		return portal.Creditor{}, err
	}
	return s.office.CreditorForAdmin(c.UserContext(), currentUser(c), id)
}

// admPolicyField is one number of the policy form: its form id, the
// policy's JSON name (what Policy.Validate reports), and how to read and
// write it.
type admPolicyField struct {
	id, json string
	hint     bool
	get      func(plans.Policy) int64
	set      func(*plans.Policy, int64)
	money    bool
}

var admPolicyFields = []admPolicyField{
	{"max_instalments", "max_instalments", false, func(p plans.Policy) int64 { return int64(p.MaxInstalments) }, func(p *plans.Policy, v int64) { p.MaxInstalments = int(v) }, false},
	{"min_instalment", "min_instalment_cents", true, func(p plans.Policy) int64 { return p.MinInstalmentCents }, func(p *plans.Policy, v int64) { p.MinInstalmentCents = v }, true},
	{"max_duration_days", "max_duration_days", true, func(p plans.Policy) int64 { return int64(p.MaxDurationDays) }, func(p *plans.Policy, v int64) { p.MaxDurationDays = int(v) }, false},
	{"min_down_payment_percent", "min_down_payment_percent", true, func(p plans.Policy) int64 { return int64(p.MinDownPaymentPercent) }, func(p *plans.Policy, v int64) { p.MinDownPaymentPercent = int(v) }, false},
	{"first_payment_within_days", "first_payment_within_days", true, func(p plans.Policy) int64 { return int64(p.FirstPaymentWithinDays) }, func(p *plans.Policy, v int64) { p.FirstPaymentWithinDays = int(v) }, false},
	{"settlement_discount_percent", "settlement_discount_percent", true, func(p plans.Policy) int64 { return int64(p.SettlementDiscountPercent) }, func(p *plans.Policy, v int64) { p.SettlementDiscountPercent = int(v) }, false},
	{"settlement_valid_days", "settlement_valid_days", true, func(p plans.Policy) int64 { return int64(p.SettlementValidDays) }, func(p *plans.Policy, v int64) { p.SettlementValidDays = int(v) }, false},
	{"max_missed_instalments", "max_missed_instalments", true, func(p plans.Policy) int64 { return int64(p.MaxMissedInstalments) }, func(p *plans.Policy, v int64) { p.MaxMissedInstalments = int(v) }, false},
	{"promise_max_days", "promise_max_days", true, func(p plans.Policy) int64 { return int64(p.PromiseMaxDays) }, func(p *plans.Policy, v int64) { p.PromiseMaxDays = int(v) }, false},
}

// admCents writes cents as the forms read them back: "1000,00".
func admCents(c int64) string { return fmt.Sprintf("%d,%02d", c/100, c%100) }

// admSettingsForm holds the settings page's answers as typed.
type admSettingsForm struct {
	policy      map[string]string
	frequencies []string
	autoApprove bool
	preview     string
	profile     office.CreditorProfile
}

func admFormOfPolicy(p plans.Policy) admSettingsForm {
	f := admSettingsForm{policy: map[string]string{}, autoApprove: p.AutoApprove, preview: admCents(admPreviewBalance)}
	for _, pf := range admPolicyFields {
		if pf.money {
			f.policy[pf.id] = admCents(pf.get(p))
		} else {
			f.policy[pf.id] = strconv.FormatInt(pf.get(p), 10)
		}
	}
	for _, fr := range p.Frequencies {
		f.frequencies = append(f.frequencies, string(fr))
	}
	return f
}

// parsePolicy reads the policy form; wrong numbers are field errors.
func (f admSettingsForm) parsePolicy(base plans.Policy) (plans.Policy, views.FieldErrors) {
	p := base
	var errs views.FieldErrors
	for _, pf := range admPolicyFields {
		text := strings.TrimSpace(f.policy[pf.id])
		var v int64
		var err error
		if pf.money {
			v, err = portal.ParseAmount(text)
		} else {
			v, err = strconv.ParseInt(text, 10, 32)
		}
		if err != nil {
			key := "adm.err.number"
			if pf.money {
				key = "adm.err.amount"
			}
			errs = append(errs, views.FieldError{Field: pf.id, Key: key})
			continue
		}
		pf.set(&p, v)
	}
	p.Frequencies = nil
	for _, fr := range views.AdmFrequencies {
		if slices.Contains(f.frequencies, fr) {
			p.Frequencies = append(p.Frequencies, plans.Frequency(fr))
		}
	}
	p.AutoApprove = f.autoApprove
	if len(errs) == 0 {
		if err := p.Validate(); err != nil {
			var fe *plans.FieldError
			field := "frequencies"
			if errors.As(err, &fe) {
				field = fe.Field
			}
			id := field
			for _, pf := range admPolicyFields {
				if pf.json == field {
					id = pf.id
				}
			}
			errs = append(errs, views.FieldError{Field: id, Key: "adm.err.policy." + field})
		}
	}
	return p, errs
}

// adminSettingsView builds the settings page from the answers f.
func (s *Server) adminSettingsView(c *fiber.Ctx, cr portal.Creditor, f admSettingsForm, form string, errs views.FieldErrors) (views.AdmSettingsView, error) {
	ctx := c.UserContext()
	u := currentUser(c)
	base := fmt.Sprintf("/admin/creditors/%d/", cr.ID)
	v := views.AdmSettingsView{User: boUser(c), Creditor: cr.Name, Currency: cr.Currency, PolicyURL: base + "settings",
		ProfileURL: base + "profile", KeysURL: base + "keys", ImportURL: base + "import", RemindersURL: base + "reminders",
		AutoApprove: f.autoApprove, PreviewBalance: f.preview, Form: form, Errors: errs, Keys: []views.AdmKeyRow{}}
	for _, pf := range admPolicyFields {
		v.PolicyFields = append(v.PolicyFields, views.AdmField{ID: pf.id, Key: pf.id, Value: f.policy[pf.id], Hint: pf.hint, Numeric: true, Error: errs.For(pf.id)})
	}
	for _, fr := range views.AdmFrequencies {
		v.Frequencies = append(v.Frequencies, views.AdmCheck{ID: "frequencies-" + fr, Value: fr, Checked: slices.Contains(f.frequencies, fr)})
	}
	p := f.profile
	for _, pf := range []struct {
		id, val    string
		hint, long bool
	}{
		{"name", p.Name, false, false}, {"legal_name", p.LegalName, false, false}, {"legal_id", p.LegalID, true, false},
		{"address", p.Address, false, true}, {"contact_email", p.ContactEmail, false, false}, {"contact_phone", p.ContactPhone, false, false},
		{"contact_hours", p.ContactHours, true, false}, {"other_payment", p.OtherPayment, true, true},
	} {
		var fe *views.FieldError
		if form == "profile" {
			fe = errs.For(pf.id)
		}
		v.ProfileFields = append(v.ProfileFields, views.AdmField{ID: pf.id, Key: pf.id, Value: pf.val, Hint: pf.hint, Long: pf.long, Error: fe})
	}
	keys, err := s.office.APIKeysForAdmin(ctx, u, cr.ID)
	if err != nil {
		return v, err
	}
	loc := location(cr.TimeZone)
	for _, k := range keys {
		row := views.AdmKeyRow{Prefix: k.Prefix, CreatedAt: k.CreatedAt.In(loc)}
		if k.RevokedAt != nil {
			row.RevokedAt = k.RevokedAt.In(loc)
		} else {
			row.RevokeURL = fmt.Sprintf("%skeys/%d/revoke", base, k.ID)
		}
		v.Keys = append(v.Keys, row)
	}
	events, err := s.office.AuditTrail(ctx, u, cr.ID, 20)
	if err != nil {
		return v, err
	}
	var ids []int64
	for _, e := range events {
		if e.UserID != nil {
			ids = append(ids, *e.UserID)
		}
	}
	who, err := s.office.UsersByID(ctx, ids)
	if err != nil {
		return v, err
	}
	for _, e := range events {
		row := views.AdmAuditRow{Kind: e.Kind, At: e.CreatedAt.In(loc)}
		if !isKnown(views.AdmAuditKinds, row.Kind) {
			row.Kind = "unknown"
		}
		if e.UserID != nil {
			row.Who = who[*e.UserID]
		}
		v.Audit = append(v.Audit, row)
	}
	return v, nil
}

// adminPreview computes the options a balance gets under policy p, as the
// debtor's plan page would offer them today.
func (s *Server) adminPreview(cr portal.Creditor, p plans.Policy, balance int64) *views.AdmPreview {
	amount := func(c int64) views.Amount { return views.Amount{Cents: c, Currency: cr.Currency} }
	today := plans.DateOf(s.svc.Now().In(location(cr.TimeZone)))
	pv := &views.AdmPreview{Balance: amount(balance), Options: []views.AdmOption{}}
	for _, o := range plans.Options(balance, p, today) {
		pv.Options = append(pv.Options, views.AdmOption{Frequency: string(o.Frequency), Count: o.Count, DownPayment: amount(o.DownPaymentCents),
			Instalment: amount(o.InstalmentCents), FirstDue: o.FirstDueOn, LastDue: o.LastDueOn})
	}
	if a, ok := plans.Settlement(balance, p); ok {
		sa := amount(a)
		pv.Settlement, pv.SettlementUntil = &sa, plans.SettlementValidUntil(today, p)
	}
	return pv
}

// adminSettingsShow is GET /admin/creditors/:id/settings: the plan limits
// with a preview for a typical balance, the details debtors see, the API
// keys and the latest changes.
func (s *Server) adminSettingsShow(c *fiber.Ctx) error {
	cr, err := s.adminCreditor(c)
	if err != nil {
		return err
	}
	f := admFormOfPolicy(cr.Policy())
	f.profile = office.ProfileOf(cr)
	v, err := s.adminSettingsView(c, cr, f, "", views.FieldErrors{})
	if err != nil {
		return err
	}
	v.Preview = s.adminPreview(cr, cr.Policy(), admPreviewBalance)
	switch n := c.Query("notice"); n {
	case "policy_saved", "profile_saved", "key_revoked":
		v.Notice = n
	}
	return s.render(c, fiber.StatusOK, "admin_settings", v)
}

// adminSettingsSave is POST /admin/creditors/:id/settings. With
// action=preview it shows the options of preview_balance under the limits
// typed, saving nothing; otherwise it saves them (audited) and redirects.
// Limits that contradict each other show the form again with the problem
// and the answers kept (422), and change nothing.
func (s *Server) adminSettingsSave(c *fiber.Ctx) error {
	cr, err := s.adminCreditor(c)
	if err != nil {
		return err
	}
	f := admSettingsForm{policy: map[string]string{}, autoApprove: c.FormValue("auto_approve") != "",
		preview: strings.TrimSpace(c.FormValue("preview_balance")), profile: office.ProfileOf(cr)}
	for _, pf := range admPolicyFields {
		f.policy[pf.id] = c.FormValue(pf.id)
	}
	for _, fr := range c.Request().PostArgs().PeekMulti("frequencies") {
		f.frequencies = append(f.frequencies, string(fr))
	}
	if form, ferr := c.MultipartForm(); ferr == nil && len(f.frequencies) == 0 {
		f.frequencies = append(f.frequencies, form.Value["frequencies"]...)
	}
	p, errs := f.parsePolicy(cr.Policy())
	preview := c.FormValue("action") == "preview"
	balance := int64(admPreviewBalance)
	if preview {
		b, err := portal.ParseAmount(f.preview)
		if err != nil || b <= 0 {
			errs = append(errs, views.FieldError{Field: "preview_balance", Key: "adm.err.amount"})
		}
		balance = b
	}
	if len(errs) == 0 && !preview {
		_, err := s.office.UpdateCreditorPolicy(c.UserContext(), currentUser(c), cr.ID, p)
		if err == nil {
			return c.Redirect(fmt.Sprintf("/admin/creditors/%d/settings?notice=policy_saved", cr.ID), fiber.StatusSeeOther)
		}
		var inv *portal.InvalidError
		if !errors.As(err, &inv) {
			return err
		}
		errs = append(errs, views.FieldError{Field: inv.Field, Key: "adm.err.policy." + inv.Field})
	}
	v, err := s.adminSettingsView(c, cr, f, "policy", errs)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_settings", v)
	}
	v.Preview = s.adminPreview(cr, p, balance)
	return s.render(c, fiber.StatusOK, "admin_settings", v)
}

// adminProfileSave is POST /admin/creditors/:id/profile: what debtors see
// of the creditor. Problems show the form again (422), nothing saved.
func (s *Server) adminProfileSave(c *fiber.Ctx) error {
	cr, err := s.adminCreditor(c)
	if err != nil {
		return err
	}
	p := office.CreditorProfile{Name: c.FormValue("name"), LegalName: c.FormValue("legal_name"), LegalID: c.FormValue("legal_id"),
		Address: c.FormValue("address"), ContactEmail: c.FormValue("contact_email"), ContactPhone: c.FormValue("contact_phone"),
		ContactHours: c.FormValue("contact_hours"), OtherPayment: c.FormValue("other_payment")}
	_, err = s.office.UpdateCreditorProfile(c.UserContext(), currentUser(c), cr.ID, p)
	if err == nil {
		return c.Redirect(fmt.Sprintf("/admin/creditors/%d/settings?notice=profile_saved", cr.ID), fiber.StatusSeeOther)
	}
	var pe office.ProfileErrors
	if !errors.As(err, &pe) {
		return err
	}
	var errs views.FieldErrors
	for _, e := range pe {
		errs = append(errs, views.FieldError{Field: e.Field, Key: "adm.err." + e.Code})
	}
	f := admFormOfPolicy(cr.Policy())
	f.profile = p
	v, err := s.adminSettingsView(c, cr, f, "profile", errs)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusUnprocessableEntity, "admin_settings", v)
}

// adminKeyCreate is POST /admin/creditors/:id/keys: a new API key, shown
// on the answer page only (201); only its hash is kept.
func (s *Server) adminKeyCreate(c *fiber.Ctx) error {
	cr, err := s.adminCreditor(c)
	if err != nil {
		return err
	}
	key, _, err := s.office.CreateAPIKeyForAdmin(c.UserContext(), currentUser(c), cr.ID)
	if err != nil {
		return err
	}
	v := views.AdmKeyShownView{User: boUser(c), Creditor: cr.Name, Key: key, SettingsURL: fmt.Sprintf("/admin/creditors/%d/settings", cr.ID)}
	return s.render(c, fiber.StatusCreated, "admin_key_shown", v)
}

// adminKeyRevoke is POST /admin/creditors/:id/keys/:key/revoke.
func (s *Server) adminKeyRevoke(c *fiber.Ctx) error {
	cr, err := s.adminCreditor(c)
	if err != nil {
		return err
	}
	keyID, err := boCaseID(c, "key")
	if err != nil {
		return err
	}
	if err := s.office.RevokeAPIKey(c.UserContext(), currentUser(c), cr.ID, keyID); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/creditors/%d/settings?notice=key_revoked", cr.ID), fiber.StatusSeeOther)
}
