package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/storetest"
)

// choiceSignedIn is a signed-in debtor of the shared debtor fixture, on a
// clock that starts now (cookies are judged by the real time).
func choiceSignedIn(t *testing.T, store *portal.Store, opts ...fixtureOptions) (*debtorFixture, *debtorBrowser) {
	t.Helper()
	f := newDebtorFixture(t, store, opts...)
	b := f.visitor()
	b.signIn(f.token)
	return f, b
}

func (f *debtorFixture) choiceStatus() portal.Status {
	f.t.Helper()
	d, err := f.Core.CaseDetail(context.Background(), f.caseID)
	if err != nil {
		f.t.Fatal(err)
	}
	return d.Case.Status
}

func (f *debtorFixture) choiceCount(model any) int64 {
	f.t.Helper()
	var n int64
	if err := f.Store.DB.Model(model).Where("case_id = ?", f.caseID).Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

// choiceToday is the creditor's calendar day (Europe/Paris).
func (f *debtorFixture) choiceToday() time.Time {
	loc, _ := time.LoadLocation("Europe/Paris")
	y, m, d := f.Clock.Now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func TestChoicePromiseJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f, b := choiceSignedIn(t, store, fixtureOptions{cardPayment: true})
		today := f.choiceToday()
		r := b.get("/case/promise")
		wantPageStatus(t, "promise form", r, http.StatusOK)
		pageHas(t, "promise form", r.body, "Promettre de payer à une date", `type="date"`,
			`min="`+today.Format("2006-01-02")+`"`, `max="`+today.AddDate(0, 0, 30).Format("2006-01-02")+`"`,
			`name="_csrf"`, `action="/case/pay"`, "Points conseil budget", "/static/choice.css?v=")

		bad := []struct {
			name  string
			form  url.Values
			wants []string
		}{
			{"nothing typed", url.Values{}, []string{"Choisissez une date."}},
			{"a date that is not one", url.Values{"date": {"31/02/2026x"}, "amount": {"abc"}},
				[]string{"Écrivez la date comme 31/12/2026.", "Écrivez un montant comme 120 ou 120,50.", `value="abc"`, `value="31/02/2026x"`}},
			{"a date too far", url.Values{"date": {today.AddDate(0, 0, 31).Format("02/01/2006")}}, []string{"Choisissez une date entre le"}},
			{"more than the balance", url.Values{"date": {today.Format("2006-01-02")}, "amount": {"5000"}}, []string{"Le montant doit être plus petit"}},
		}
		for _, tt := range bad {
			r := b.post("/case/promise", tt.form)
			wantPageStatus(t, tt.name, r, http.StatusUnprocessableEntity)
			pageHas(t, tt.name, r.body, append(tt.wants, `role="alert"`, "Il y a un problème", `aria-invalid="true"`)...)
		}
		if st := f.choiceStatus(); st != portal.StatusOpen || f.choiceCount(&choices.Promise{}) != 0 {
			t.Fatalf("bad answers changed the case: %s", st)
		}

		when := today.AddDate(0, 0, 10)
		r = b.post("/case/promise", url.Values{"date": {when.Format("02/01/2006")}, "amount": {"120,50"}})
		wantPageStatus(t, "promise", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); loc != "/case/promise" {
			t.Fatalf("redirected to %q", loc)
		}
		if st := f.choiceStatus(); st != portal.StatusPromised {
			t.Fatalf("status %s", st)
		}
		r = b.get("/case/promise")
		wantPageStatus(t, "promised", r, http.StatusOK)
		pageHas(t, "promised", r.body, "Merci, votre promesse est enregistrée", "120,50", "La veille", `action="/case/pay"`)
		kinds := strings.Join(f.timelineKinds(f.caseID), " ")
		if !strings.Contains(kinds, "promise_made") {
			t.Fatalf("timeline %s", kinds)
		}
		r = b.get("/case/promise?lang=en")
		pageHas(t, "promised in English", r.body, "Thank you, your promise is saved", "€120.50")
	})
}

// choiceMultipart builds a multipart form with fields and files.
func choiceMultipart(t *testing.T, fields url.Values, files map[string][]byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, data := range files {
		fw, err := w.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func (b *debtorBrowser) choicePostMultipart(path string, fields url.Values, files map[string][]byte) debtorResponse {
	b.t.Helper()
	if fields.Get("_csrf") == "" {
		fields.Set("_csrf", b.csrf)
	}
	body, ctype := choiceMultipart(b.t, fields, files)
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", ctype)
	return b.do(req)
}

func TestChoiceContestJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f, b := choiceSignedIn(t, store, fixtureOptions{cardPayment: true})
		var inv portal.Invoice
		store.DB.Where("case_id = ?", f.caseID).Take(&inv)
		r := b.get("/case/contest")
		wantPageStatus(t, "contest form", r, http.StatusOK)
		pageHas(t, "contest form", r.body, "Je pense ne pas devoir cette somme", `type="radio"`, "<legend>", `type="checkbox"`,
			`maxlength="2000"`, "2000 caractères au plus", `enctype="multipart/form-data"`, `<script src="/static/choice.js?v=`, "F-2026-001")
		docsBefore := f.choiceCount(&portal.Document{})

		r = b.choicePostMultipart("/case/contest", url.Values{"text": {strings.Repeat("a", 2001)}, "invoice": {"999999"}},
			map[string][]byte{"virus.exe": []byte("MZ\x90\x00")})
		wantPageStatus(t, "bad contest", r, http.StatusUnprocessableEntity)
		pageHas(t, "bad contest", r.body, `role="alert"`, `href="#reason"`, `href="#text"`, `href="#files"`,
			"Choisissez une réponse.", "2000 caractères au plus", "Envoyez des fichiers PDF, PNG ou JPEG")
		r = b.choicePostMultipart("/case/contest", url.Values{"reason": {"amount_wrong"}, "invoice": {"999999"}}, nil)
		wantPageStatus(t, "another invoice", r, http.StatusUnprocessableEntity)
		pageHas(t, "another invoice", r.body, "Choisissez parmi les factures", `value="amount_wrong" id="reason-amount_wrong" checked`)
		if st := f.choiceStatus(); st != portal.StatusOpen || f.choiceCount(&portal.Document{}) != docsBefore || f.choiceCount(&choices.Dispute{}) != 0 {
			t.Fatalf("a bad contest changed the case: %s", st)
		}

		r = b.choicePostMultipart("/case/contest", url.Values{"reason": {"already_paid"}, "invoice": {itoa64(inv.ID)}, "text": {"J'ai payé par virement."}},
			map[string][]byte{"virement.pdf": debtorPDF})
		wantPageStatus(t, "contest", r, http.StatusSeeOther)
		if st := f.choiceStatus(); st != portal.StatusDisputed {
			t.Fatalf("status %s", st)
		}
		if n := f.choiceCount(&portal.Document{}); n != docsBefore+1 {
			t.Fatalf("%d documents", n)
		}
		r = b.get("/case/contest")
		wantPageStatus(t, "contest sent", r, http.StatusOK)
		pageHas(t, "contest sent", r.body, "Merci, nous avons bien reçu votre contestation", "au plus tard le", "vous ne recevrez pas de rappel")
		pageLacks(t, "contest sent", r.body, `enctype="multipart/form-data"`)
		if !strings.Contains(strings.Join(f.timelineKinds(f.caseID), " "), "dispute_opened") {
			t.Fatal("no dispute_opened on the timeline")
		}

		// A contested case is not asked to pay: POST /case/pay neither goes
		// to Stripe (which is unreachable here) nor changes anything.
		var sessions int64
		r = b.post("/case/pay", url.Values{"choice": {"full"}})
		wantPageStatus(t, "pay while contested", r, http.StatusConflict)
		if loc := r.header.Get("Location"); loc != "" {
			t.Fatalf("redirected to %q", loc)
		}
		store.DB.Model(&portal.CheckoutSession{}).Where("case_id = ?", f.caseID).Count(&sessions)
		if st := f.choiceStatus(); st != portal.StatusDisputed || sessions != 0 {
			t.Fatalf("paying a contested case changed it: %s, %d sessions", st, sessions)
		}
		r = b.get("/case/promise")
		pageHas(t, "promise while contested", r.body, "Votre contestation est en cours")
		pageLacks(t, "promise while contested", r.body, `action="/case/promise"`)
	})
}

func itoa64(n int64) string { return strings.TrimSpace(strings.Repeat(" ", 0) + formatInt(n)) }

func formatInt(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func TestChoiceCannotPayJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f, b := choiceSignedIn(t, store)
		r := b.get("/case/cannot-pay")
		wantPageStatus(t, "cannot pay form", r, http.StatusOK)
		pageHas(t, "cannot pay form", r.body, "Je ne peux pas payer maintenant", "<legend>", `name="income"`, `name="other_debts"`,
			"Rien n'est ajouté à ce que vous devez", "https://www.mesquestionsdargent.fr/budget/points-conseil-budget",
			"https://particuliers.banque-france.fr/surendettement")

		r = b.post("/case/cannot-pay", url.Values{"income": {"1500"}, "food": {"3OO"}})
		wantPageStatus(t, "bad budget", r, http.StatusUnprocessableEntity)
		pageHas(t, "bad budget", r.body, `href="#reason"`, `href="#food"`, `value="3OO"`, `value="1500"`)
		if n := f.choiceCount(&choices.HelpRequest{}); n != 0 {
			t.Fatalf("a bad answer was recorded")
		}

		// 1 500 in, 1 000 out: 250 a month, 5 payments for 1 249,50.
		r = b.post("/case/cannot-pay", url.Values{"reason": {"lost_income"}, "income": {"1 500"}, "housing": {"700,00"},
			"energy": {"80.50"}, "food": {"150"}, "transport": {"69,50"}})
		wantPageStatus(t, "help", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); loc != "/case/cannot-pay/next" {
			t.Fatalf("redirected to %q", loc)
		}
		r = b.get("/case/cannot-pay/next")
		wantPageStatus(t, "proposal", r, http.StatusOK)
		pageHas(t, "proposal", r.body, "Une solution qui tient dans votre budget", "5 fois", `href="/case/plan"`, "Points conseil budget")
		if st := f.choiceStatus(); st != portal.StatusOpen {
			t.Fatalf("status %s: asking for help changes no status", st)
		}
		if !strings.Contains(strings.Join(f.timelineKinds(f.caseID), " "), "help_requested") {
			t.Fatal("no help_requested on the timeline")
		}

		// Without a budget: a callback at a chosen time.
		r = b.post("/case/cannot-pay", url.Values{"reason": {"illness"}})
		wantPageStatus(t, "help without budget", r, http.StatusSeeOther)
		r = b.get("/case/cannot-pay/next")
		pageHas(t, "no budget", r.body, `name="follow_up"`, `name="callback_on"`, "Une pause de 30 jours")
		pageLacks(t, "no budget", r.body, `href="/case/plan"`)
		r = b.post("/case/cannot-pay/next", url.Values{"follow_up": {"callback"}})
		wantPageStatus(t, "callback without a day", r, http.StatusUnprocessableEntity)
		pageHas(t, "callback without a day", r.body, "Choisissez le jour de l'appel.", "Choisissez un moment de la journée.", `href="#callback_on"`)
		when := f.choiceToday().AddDate(0, 0, 2)
		r = b.post("/case/cannot-pay/next", url.Values{"follow_up": {"callback"}, "callback_on": {when.Format("2006-01-02")}, "callback_slot": {"evening"}})
		wantPageStatus(t, "callback", r, http.StatusSeeOther)
		r = b.get("/case/cannot-pay/next")
		pageHas(t, "callback asked", r.body, "Nous vous appellerons", "en fin de journée")
		if !strings.Contains(strings.Join(f.timelineKinds(f.caseID), " "), "help_callback_requested") {
			t.Fatal("no help_callback_requested on the timeline")
		}
	})
}

func TestChoicePagesNeedASessionAndCSRF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f, b := choiceSignedIn(t, store)
		for _, p := range []string{"/case/promise", "/case/contest", "/case/cannot-pay", "/case/cannot-pay/next"} {
			if r := f.visitor().get(p); r.status != http.StatusUnauthorized {
				t.Errorf("GET %s without a session: %d", p, r.status)
			}
		}
		b.get("/case/promise")
		r := b.postRaw("/case/promise", url.Values{"date": {f.choiceToday().Format("2006-01-02")}})
		if r.status != http.StatusForbidden {
			t.Errorf("POST without CSRF: %d", r.status)
		}
		if f.choiceCount(&choices.Promise{}) != 0 {
			t.Error("a promise without CSRF was recorded")
		}
	})
}
