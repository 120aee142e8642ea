package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
	"github.com/reglo/reglo/portal/web"
)

// admEnv is a running app with two creditors of one organisation, an
// admin of everything, an admin limited to creditor A and an agent.
type admEnv struct {
	*testkit.Kit
	t            *testing.T
	srv          *web.Server
	credA, credB portal.Creditor
}

const admPassword = "correct horse battery"

func newAdmEnv(t *testing.T, store *portal.Store) *admEnv {
	t.Helper()
	k := testkit.New(t, store, testkit.Options{Messages: messages, Log: quietLog})
	e := &admEnv{t: t, Kit: k, srv: web.New(web.Config{Services: k.Services, BaseURL: "http://localhost:8080", Log: quietLog})}
	e.credA, _ = e.Creditor("Énergie Claire", nil)
	e.credB, _ = e.Creditor("Atelier Martin", nil)
	for _, u := range []portal.NewUser{
		{Email: "admin@example.org", Role: portal.RoleAdmin},
		{Email: "admin-a@example.org", Role: portal.RoleAdmin, CreditorID: &e.credA.ID},
		{Email: "agent@example.org", Role: portal.RoleAgent},
	} {
		u.Password = admPassword
		if _, err := k.Core.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// signIn returns a browser signed in as email.
func (e *admEnv) signIn(email string) *debtorBrowser {
	e.t.Helper()
	b := newDebtorBrowser(e.t, e.srv.App)
	b.headers["Accept-Language"] = "en"
	b.get("/admin/login")
	r := b.post("/admin/login", url.Values{"email": {email}, "password": {admPassword}})
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("sign in %s: %d %s", email, r.status, r.body)
	}
	return b
}

func (e *admEnv) addCase(cr portal.Creditor, ref string, cents int64) portal.Case {
	e.t.Helper()
	d, err := e.Core.CreateCase(context.Background(), cr, portal.NewCase{Reference: ref,
		Debtor: portal.NewDebtor{Name: "Debtor " + ref, Postcode: "75011"},
		Invoices: []portal.NewInvoice{{Number: "F1", IssuedOn: "2026-01-01", DueOn: "2026-02-01",
			Lines: []portal.NewLine{{Label: "Work", AmountCents: cents, Kind: portal.LinePrincipal}}}}}, portal.SystemActor)
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Case
}

func (e *admEnv) requestPlan(c portal.Case, count int) portal.Plan {
	e.t.Helper()
	p := portal.Plan{CaseID: c.ID, Status: portal.PlanStatusRequested, Frequency: "monthly", InstalmentCount: count,
		TotalCents: 1, OutsideReason: "too_many_instalments", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := e.Store.DB.Create(&p).Error; err != nil {
		e.t.Fatal(err)
	}
	return p
}

// upload posts a multipart file with the CSRF field of the last page.
func admUpload(b *debtorBrowser, path, name string, data []byte) debtorResponse {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", b.csrf)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func TestAdminRoleBoundaries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAdmEnv(t, store)
		a, b := fmt.Sprintf("/admin/creditors/%d", e.credA.ID), fmt.Sprintf("/admin/creditors/%d", e.credB.ID)

		anon := newDebtorBrowser(t, e.srv.App)
		if r := anon.get("/admin/worklist"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/admin/login") {
			t.Errorf("signed out worklist: %d %s", r.status, r.header.Get("Location"))
		}

		agent := e.signIn("agent@example.org")
		wantPageStatus(t, "agent worklist", agent.get("/admin/worklist"), http.StatusOK)
		for _, p := range []string{"/admin/creditors", a + "/settings", a + "/import"} {
			wantPageStatus(t, "agent GET "+p, agent.get(p), http.StatusForbidden)
		}
		agent.get("/admin/worklist")
		for _, p := range []string{a + "/settings", a + "/profile", a + "/keys", a + "/keys/1/revoke"} {
			wantPageStatus(t, "agent POST "+p, agent.post(p, url.Values{"max_instalments": {"99"}}), http.StatusForbidden)
		}
		wantPageStatus(t, "agent import", admUpload(agent, a+"/import", "cases.csv", []byte("x")), http.StatusForbidden)
		var keys int64
		store.DB.Model(&portal.APIKey{}).Count(&keys)
		if keys != 2 {
			t.Errorf("%d API keys after the agent's attempts, want 2", keys)
		}

		limited := e.signIn("admin-a@example.org")
		wantPageStatus(t, "limited admin, own settings", limited.get(a+"/settings"), http.StatusOK)
		list := limited.get("/admin/creditors")
		pageHas(t, "limited admin's creditors", list.body, e.credA.Name)
		pageLacks(t, "limited admin's creditors", list.body, e.credB.Name)
		for _, p := range []string{b + "/settings", b + "/import"} {
			wantPageStatus(t, "limited admin GET "+p, limited.get(p), http.StatusNotFound)
		}
		limited.get(a + "/settings")
		wantPageStatus(t, "limited admin POST keys of B", limited.post(b+"/keys", nil), http.StatusNotFound)
		wantPageStatus(t, "limited admin import to B", admUpload(limited, b+"/import", "cases.csv", []byte("x")), http.StatusNotFound)
	})
}

func TestAdminWorklistOrderReasonsAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAdmEnv(t, store)
		small := e.addCase(e.credA, "SMALL-A", 10000)
		e.requestPlan(small, 24)
		big := e.addCase(e.credB, "BIG-B", 500000)
		if err := store.DB.Model(&portal.Case{}).Where("id = ?", big.ID).Update("status", portal.StatusDisputed).Error; err != nil {
			t.Fatal(err)
		}
		mid := e.addCase(e.credA, "MID-A", 90000)
		p := e.requestPlan(mid, 24)
		e.addCase(e.credA, "CALM-A", 999999)

		admin := e.signIn("admin@example.org")
		r := admin.get("/admin/worklist")
		wantPageStatus(t, "worklist", r, http.StatusOK)
		iBig, iMid, iSmall := strings.Index(r.body, "BIG-B"), strings.Index(r.body, "MID-A"), strings.Index(r.body, "SMALL-A")
		if iBig < 0 || iMid < 0 || iSmall < 0 || iBig > iMid || iMid > iSmall {
			t.Errorf("want BIG-B, MID-A, SMALL-A in that order: %d %d %d", iBig, iMid, iSmall)
		}
		pageHas(t, "worklist", r.body, "Debt contested", "Plan request outside the limits", "Too many payments.", "€5,000.00")
		pageLacks(t, "worklist", r.body, "CALM-A")

		limited := e.signIn("admin-a@example.org")
		lr := limited.get("/admin/worklist")
		pageHas(t, "limited worklist", lr.body, "MID-A", "SMALL-A")
		pageLacks(t, "limited worklist", lr.body, "BIG-B", e.credB.Name)

		// A counter-offer outside the limits is refused at its field.
		counter := fmt.Sprintf("/admin/worklist/plans/%d/counter", p.ID)
		bad := admin.post(counter, url.Values{"frequency": {"monthly"}, "count": {"24"}, "reason": {"Six months is fine"}})
		wantPageStatus(t, "counter-offer outside the limits", bad, http.StatusUnprocessableEntity)
		pageHas(t, "counter-offer outside the limits", bad.body, "error-summary", fmt.Sprintf(`href="#count-%d"`, p.ID), "Too many payments for this creditor")
		admin.get("/admin/worklist")
		good := admin.post(counter, url.Values{"frequency": {"monthly"}, "count": {"6"}, "reason": {"Six months is fine"}})
		wantPageStatus(t, "counter-offer", good, http.StatusSeeOther)
		var plansNow []portal.Plan
		store.DB.Where("case_id = ?", mid.ID).Order("id").Find(&plansNow)
		if len(plansNow) != 2 || plansNow[0].Status != portal.PlanStatusDeclined || plansNow[1].Status != portal.PlanStatusPending || plansNow[1].InstalmentCount != 6 {
			t.Errorf("plans after the counter-offer: %+v", plansNow)
		}
		// Declining needs a reason the debtor will read.
		other := e.requestPlan(small, 3)
		admin.get("/admin/worklist")
		noReason := admin.post(fmt.Sprintf("/admin/worklist/plans/%d/decline", other.ID), url.Values{"reason": {"  "}})
		wantPageStatus(t, "decline without a reason", noReason, http.StatusUnprocessableEntity)
		pageHas(t, "decline without a reason", noReason.body, fmt.Sprintf(`href="#decline-reason-%d"`, other.ID), "Write a message to the debtor")
		admin.get("/admin/worklist")
		wantPageStatus(t, "decline", admin.post(fmt.Sprintf("/admin/worklist/plans/%d/decline", other.ID), url.Values{"reason": {"We cannot accept this"}}), http.StatusSeeOther)
		var declined portal.Plan
		store.DB.Take(&declined, other.ID)
		if declined.Status != portal.PlanStatusDeclined || declined.DecisionReason != "We cannot accept this" {
			t.Errorf("declined plan %s %q", declined.Status, declined.DecisionReason)
		}
		admin.get("/admin/worklist")
		limitedDecline := limited.post(fmt.Sprintf("/admin/worklist/plans/%d/decline", plansNow[0].ID), url.Values{"reason": {"no"}})
		if limitedDecline.status != http.StatusConflict {
			t.Errorf("deciding an answered request: %d", limitedDecline.status)
		}
	})
}

func TestAdminPolicyValidationAndPreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAdmEnv(t, store)
		admin := e.signIn("admin@example.org")
		path := fmt.Sprintf("/admin/creditors/%d/settings", e.credA.ID)
		page := admin.get(path)
		wantPageStatus(t, "settings", page, http.StatusOK)
		pageHas(t, "settings", page.body, "What a balance of €1,000.00 would be offered")
		form := url.Values{"max_instalments": {"6"}, "min_instalment": {"20,00"}, "max_duration_days": {"10"}, "min_down_payment_percent": {"0"},
			"first_payment_within_days": {"14"}, "settlement_discount_percent": {"10"}, "settlement_valid_days": {"15"},
			"max_missed_instalments": {"2"}, "promise_max_days": {"30"}, "frequencies": {"weekly", "monthly"}, "auto_approve": {"1"},
			"preview_balance": {"1000"}, "action": {"save"}}
		bad := admin.post(path, form)
		wantPageStatus(t, "contradictory limits", bad, http.StatusUnprocessableEntity)
		pageHas(t, "contradictory limits", bad.body, "error-summary", `href="#max_duration_days"`, "Longest plan: enter 0 to 3,660 days", `value="10"`, `aria-invalid="true"`)
		cr, _ := e.Core.Creditor(context.Background(), e.credA.ID)
		if cr.Policy().MaxInstalments != plans.DefaultPolicy().MaxInstalments {
			t.Errorf("an invalid policy changed the creditor: %+v", cr.Policy())
		}
		form.Set("max_instalments", "lots")
		form.Set("max_duration_days", "365")
		nan := admin.post(path, form)
		wantPageStatus(t, "not a number", nan, http.StatusUnprocessableEntity)
		pageHas(t, "not a number", nan.body, "Enter a whole number", `value="lots"`)

		form.Set("max_instalments", "6")
		form.Set("action", "preview")
		form.Set("preview_balance", "2 400,00")
		pv := admin.post(path, form)
		wantPageStatus(t, "preview", pv, http.StatusOK)
		pageHas(t, "preview", pv.body, "What a balance of €2,400.00 would be offered", "Settlement offer: €2,160.00")
		cr, _ = e.Core.Creditor(context.Background(), e.credA.ID)
		if cr.Policy().MaxInstalments != plans.DefaultPolicy().MaxInstalments {
			t.Error("a preview saved the policy")
		}

		form.Set("action", "save")
		wantPageStatus(t, "save", admin.post(path, form), http.StatusSeeOther)
		cr, _ = e.Core.Creditor(context.Background(), e.credA.ID)
		if p := cr.Policy(); p.MaxInstalments != 6 || p.SettlementDiscountPercent != 10 || len(p.Frequencies) != 2 || !p.AutoApprove {
			t.Errorf("saved policy %+v", p)
		}
		after := admin.get(path + "?notice=policy_saved")
		pageHas(t, "settings after saving", after.body, "The limits are saved.", "Plan limits changed", "admin@example.org")

		prof := admin.post(fmt.Sprintf("/admin/creditors/%d/profile", e.credA.ID), url.Values{"name": {"Énergie Claire"}, "legal_name": {""}, "contact_email": {"nope"}})
		wantPageStatus(t, "bad profile", prof, http.StatusUnprocessableEntity)
		pageHas(t, "bad profile", prof.body, `href="#legal_name"`, `href="#contact_email"`, `value="nope"`)
		admin.get(path)
		ok := admin.post(fmt.Sprintf("/admin/creditors/%d/profile", e.credA.ID), url.Values{"name": {"Énergie Claire"}, "legal_name": {"Énergie Claire SA"},
			"contact_email": {"aide@energie.example"}, "contact_hours": {"9 h - 17 h"}, "other_payment": {"Virement FR76"}})
		wantPageStatus(t, "profile", ok, http.StatusSeeOther)
		cr, _ = e.Core.Creditor(context.Background(), e.credA.ID)
		if cr.LegalName != "Énergie Claire SA" || cr.ContactHours != "9 h - 17 h" || cr.OtherPayment != "Virement FR76" {
			t.Errorf("profile not saved: %+v", cr)
		}
	})
}

func TestAdminAPIKeyShownOnceWorksAndRevokes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAdmEnv(t, store)
		admin := e.signIn("admin@example.org")
		settings := fmt.Sprintf("/admin/creditors/%d/settings", e.credA.ID)
		admin.get(settings)
		r := admin.post(fmt.Sprintf("/admin/creditors/%d/keys", e.credA.ID), nil)
		wantPageStatus(t, "new key", r, http.StatusCreated)
		m := regexpKey.FindString(r.body)
		if m == "" {
			t.Fatalf("no key on the page: %s", r.body)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		api := func(key string) int {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/policy", nil)
			req.Header.Set("Authorization", "Bearer "+key)
			res, err := e.srv.App.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		if s := api(m); s != http.StatusOK {
			t.Fatalf("new key on the API: %d", s)
		}
		page := admin.get(settings)
		pageLacks(t, "settings", page.body, m)
		pageHas(t, "settings", page.body, m[:10], "API key made")

		var k portal.APIKey
		store.DB.Where("prefix = ?", m[:10]).Take(&k)
		if k.KeyHash == "" || k.KeyHash == m {
			t.Fatalf("key stored as %q", k.KeyHash)
		}
		rv := admin.post(fmt.Sprintf("/admin/creditors/%d/keys/%d/revoke", e.credA.ID, k.ID), nil)
		wantPageStatus(t, "revoke", rv, http.StatusSeeOther)
		if s := api(m); s != http.StatusUnauthorized {
			t.Errorf("revoked key on the API: %d", s)
		}
		// A key of creditor A cannot be revoked through creditor B.
		admin.get(settings)
		wantPageStatus(t, "revoke through another creditor", admin.post(fmt.Sprintf("/admin/creditors/%d/keys/%d/revoke", e.credB.ID, k.ID), nil), http.StatusNotFound)
	})
}

const admCSVHeader = "reference;debtor_name;debtor_email;debtor_phone;debtor_postcode;debtor_language;debtor_kind;currency;invoice_number;issued_on;due_on;invoice_description;line_label;line_kind;amount\r\n"

func TestAdminCSVImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAdmEnv(t, store)
		admin := e.signIn("admin@example.org")
		path := fmt.Sprintf("/admin/creditors/%d/import", e.credA.ID)
		page := admin.get(path)
		wantPageStatus(t, "import page", page, http.StatusOK)
		pageHas(t, "import page", page.body, "debtor_postcode", "invoice_number", "line_kind", "amount", "1234,56")

		bad := admCSVHeader +
			"R-1;Anne;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Rent;principal;100,00\r\n" +
			"R-2;Bob;;;75002;fr;consumer;EUR;F1;2026-13-01;2026-01-31;;Rent;principal;12,345\r\n" +
			"R-3;;;;75003;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Rent;principal;5\r\n"
		r := admUpload(admin, path, "cases.csv", []byte(bad))
		wantPageStatus(t, "bad file", r, http.StatusUnprocessableEntity)
		pageHas(t, "bad file", r.body, "Nothing was imported", "2 rows of 3 have problems.", "<td>3</td><td><code>issued_on</code></td>",
			"<td>3</td><td><code>amount</code></td>", "<td>4</td><td><code>debtor_name</code></td>")
		var n int64
		store.DB.Model(&portal.Case{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d cases created from a bad file", n)
		}

		good := "\xef\xbb\xbf" + admCSVHeader +
			"R-1;Anne Dupré;anne@example.org;06 12 34 56 78;75001;fr;consumer;EUR;F1;01/01/2026;31/01/2026;Loyer;Loyer janvier;principal;1 234,56\r\n" +
			"R-1;Anne Dupré;anne@example.org;06 12 34 56 78;75001;fr;consumer;EUR;F1;01/01/2026;31/01/2026;Loyer;Charges;principal;0,44\r\n" +
			"R-2;Bob;;;SW1A 1AA;en;business;;G7;2026-01-01;2026-01-31;;Goods;;99.9\r\n"
		// The back office applies the fee rule of the case core: no fee on a
		// consumer case.
		admin.get(path)
		r = admUpload(admin, path, "cases.csv", []byte(admCSVHeader+
			"R-9;Anne;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Loyer;principal;100,00\r\n"+
			"R-9;Anne;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Frais;fee;10,00\r\n"))
		wantPageStatus(t, "consumer fee", r, http.StatusUnprocessableEntity)
		pageHas(t, "consumer fee", r.body, "Nothing was imported", "<td>3</td><td><code>line_kind</code></td>", "No collection fee for a consumer")

		admin.get(path)
		r = admUpload(admin, path, "cases.csv", []byte(good))
		wantPageStatus(t, "good file", r, http.StatusOK)
		pageHas(t, "good file", r.body, "Import done", "3 rows read", "2 cases, 2 invoices and 3 lines created")
		for ref, cents := range map[string]int64{"R-1": 123500, "R-2": 9990} {
			var c portal.Case
			if err := store.DB.Where("creditor_id = ? AND reference = ?", e.credA.ID, ref).Take(&c).Error; err != nil {
				t.Fatalf("%s: %v", ref, err)
			}
			d, _ := e.Core.CaseDetail(context.Background(), c.ID)
			if d.Balance.Cents() != cents {
				t.Errorf("%s: balance %d, want %d", ref, d.Balance.Cents(), cents)
			}
		}
		admin.get(path)
		again := admUpload(admin, path, "cases.csv", []byte(good))
		wantPageStatus(t, "same file again", again, http.StatusUnprocessableEntity)
		pageHas(t, "same file again", again.body, "This creditor already has a case with this reference")

		admin.get(path)
		wantPageStatus(t, "no file", admin.post(path, nil), http.StatusUnprocessableEntity)
	})
}

var regexpKey = regexp.MustCompile(`rk_[A-Za-z0-9_-]{20,}`)
