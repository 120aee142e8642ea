package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

func TestDocumentOfTheSessionCaseIsShown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		b.signIn(f.token)
		r := b.get("/case/documents/" + strconv.FormatInt(f.docID, 10))
		wantPageStatus(t, "document", r, http.StatusOK)
		if r.body != string(debtorPDF) {
			t.Errorf("body %q", r.body)
		}
		for h, want := range map[string]string{
			"Content-Type":           "application/pdf",
			"X-Content-Type-Options": "nosniff",
			"Cache-Control":          "private, no-store",
			"Content-Disposition":    `inline; filename="Facture F-2026-001.pdf"; filename*=UTF-8''Facture%20F-2026-001.pdf`,
		} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		kinds := strings.Join(f.timelineKinds(f.caseID), ",")
		if !strings.Contains(kinds, "document_viewed") {
			t.Errorf("timeline %s lacks document_viewed", kinds)
		}
	})
}

func TestDocumentOutsideTheSessionCaseIsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		anon := f.visitor()
		wantPageStatus(t, "document without a session", anon.get("/case/documents/"+strconv.FormatInt(f.docID, 10)), http.StatusUnauthorized)

		b := f.visitor()
		b.signIn(f.token)
		for name, path := range map[string]string{
			"another case's document": "/case/documents/" + strconv.FormatInt(f.otherDocID, 10),
			"no such document":        "/case/documents/999999",
			"not a number":            "/case/documents/abc",
			"negative id":             "/case/documents/-1",
		} {
			r := b.get(path)
			wantPageStatus(t, name, r, http.StatusNotFound)
			pageLacks(t, name, r.body, otherCasePDFTitle, "%PDF")
			pageHas(t, name, r.body, "Page introuvable")
		}
		for _, k := range f.timelineKinds(f.otherCaseID) {
			if k == "document_viewed" {
				t.Error("the other case's timeline shows a view")
			}
		}
	})
}
