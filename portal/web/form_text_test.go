package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/storetest"
)

// TestFormUnstorableTextIs422 posts debtor and back-office forms holding
// text the database cannot store (a NUL byte, bytes that are not UTF-8):
// the form's page comes back, status 422, with an error naming the field in
// the reader's language, and nothing changes; a form without a page of its
// own, and a query string, get the error page with the same message.
// Never a 500, on either database.
func TestFormUnstorableTextIs422(t *testing.T) {
	const frError, enError = "Le champ «\u00a0%s\u00a0» contient un caractère invisible ou illisible", "The field “%s” holds an invisible or unreadable character"
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		t.Run("identity answer", func(t *testing.T) {
			f := newDebtorFixture(t, store)
			b := f.visitor()
			b.get("/l/" + f.token)
			for _, answer := range []string{debtorPostcode + "\x00", "75\xff011"} {
				r := b.post("/l/"+f.token, url.Values{"answer": {answer}})
				wantPageStatus(t, fmt.Sprintf("answer %q", answer), r, http.StatusUnprocessableEntity)
				pageHas(t, "landing again", r.body, fmt.Sprintf(frError, "answer"), `role="alert"`, `name="answer"`, `name="_csrf"`)
				if _, ok := r.cookies["reglo_session"]; ok {
					t.Fatal("a session was opened")
				}
			}
			var l portal.Link
			if err := store.DB.Where("token_hash = ?", portal.HashToken(f.token)).Take(&l).Error; err != nil {
				t.Fatal(err)
			}
			if l.FailedAttempts != 0 {
				t.Errorf("failed attempts %d: a refused form must count nothing", l.FailedAttempts)
			}
			b.signIn(f.token) // the link still works
		})
		t.Run("promise, in English", func(t *testing.T) {
			f, b := choiceSignedIn(t, store)
			b.get("/case/promise?lang=en")
			day := f.choiceToday().AddDate(0, 0, 3).Format("2006-01-02")
			r := b.post("/case/promise", url.Values{"date": {day}, "amount": {"12\xff"}})
			wantPageStatus(t, "promise", r, http.StatusUnprocessableEntity)
			pageHas(t, "promise again", r.body, fmt.Sprintf(enError, "amount"), `action="/case/promise"`)
			if n := f.choiceCount(&choices.Promise{}); n != 0 {
				t.Errorf("%d promises recorded", n)
			}
		})
		t.Run("contest, multipart", func(t *testing.T) {
			f, b := choiceSignedIn(t, store)
			b.get("/case/contest")
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			_ = w.WriteField("_csrf", b.csrf)
			_ = w.WriteField("reason", "already_paid")
			_ = w.WriteField("text", "J'ai payé\x00 le 2 mai")
			w.Close()
			req := httptest.NewRequest(http.MethodPost, "/case/contest", &body)
			req.Header.Set("Content-Type", w.FormDataContentType())
			r := b.do(req)
			wantPageStatus(t, "contest", r, http.StatusUnprocessableEntity)
			pageHas(t, "contest again", r.body, fmt.Sprintf(frError, "text"), `action="/case/contest"`)
			if st := f.choiceStatus(); st != portal.StatusOpen {
				t.Errorf("status %s after a refused contest", st)
			}
		})
		t.Run("a form without a page of its own", func(t *testing.T) {
			f, b := choiceSignedIn(t, store)
			b.get("/case")
			r := b.post("/case/pay", url.Values{"choice": {"full\x00"}})
			wantPageStatus(t, "pay", r, http.StatusUnprocessableEntity)
			pageHas(t, "error page", r.body, fmt.Sprintf(frError, "choice"))
			if loc := r.header.Get("Location"); loc != "" {
				t.Errorf("redirected to %q", loc)
			}
			if st := f.choiceStatus(); st != portal.StatusOpen {
				t.Errorf("status %s", st)
			}
		})
		t.Run("query string", func(t *testing.T) {
			_, b := choiceSignedIn(t, store)
			r := b.get("/case?note=%00")
			wantPageStatus(t, "query", r, http.StatusUnprocessableEntity)
			pageHas(t, "error page", r.body, fmt.Sprintf(frError, "note"))
		})
		t.Run("back office", func(t *testing.T) {
			e := newAdmEnv(t, store)
			b := newDebtorBrowser(t, e.srv.App)
			b.headers["Accept-Language"] = "en"
			b.get("/admin/login")
			r := b.post("/admin/login", url.Values{"email": {"admin@example.org\xc3"}, "password": {admPassword}})
			wantPageStatus(t, "login", r, http.StatusUnprocessableEntity)
			pageHas(t, "login again", r.body, fmt.Sprintf(enError, "email"), `name="password"`)
			if _, ok := r.cookies["reglo_admin"]; ok {
				t.Error("signed in")
			}

			admin := e.signIn("admin@example.org")
			settings := fmt.Sprintf("/admin/creditors/%d/settings", e.credA.ID)
			admin.get(settings)
			r = admin.post(fmt.Sprintf("/admin/creditors/%d/profile", e.credA.ID), url.Values{"name": {"Énergie\x00Claire"}, "contact_email": {"a@example.org"}})
			wantPageStatus(t, "profile", r, http.StatusUnprocessableEntity)
			pageHas(t, "profile refused", r.body, fmt.Sprintf(enError, "name"))
			var cr portal.Creditor
			if err := store.DB.Take(&cr, e.credA.ID).Error; err != nil {
				t.Fatal(err)
			}
			if cr.Name != e.credA.Name {
				t.Errorf("creditor renamed to %q", cr.Name)
			}

			imp := fmt.Sprintf("/admin/creditors/%d/import", e.credA.ID)
			var before, after int64
			store.DB.Model(&portal.Case{}).Count(&before)
			admin.get(imp)
			file := admCSVHeader + "R-1;Anne\x00;;;75001;fr;consumer;EUR;F1;2026-01-01;2026-01-31;;Rent;principal;10,00\r\n"
			r = admUpload(admin, imp, "cases.csv", []byte(file))
			wantPageStatus(t, "import", r, http.StatusUnprocessableEntity)
			pageHas(t, "import report", r.body, "Nothing was imported", "<td>2</td><td><code>debtor_name</code></td>", "holds a NUL character")
			admin.get(imp)
			r = admUpload(admin, imp, "cases\xff.csv", []byte(admCSVHeader))
			wantPageStatus(t, "import file name", r, http.StatusUnprocessableEntity)
			pageHas(t, "import page again", r.body, fmt.Sprintf(enError, "file"), `type="file"`)
			store.DB.Model(&portal.Case{}).Count(&after)
			if after != before {
				t.Errorf("%d cases before the imports, %d after", before, after)
			}
		})
	})
}
