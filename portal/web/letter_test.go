package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
)

// letterMailer keeps the emails it is given.
type letterMailer struct{ sent []notify.Email }

func (m *letterMailer) SendEmail(_ context.Context, e notify.Email) error {
	m.sent = append(m.sent, e)
	return nil
}

// The debtor reads the first letter from the case page, in their language.
func TestDebtorDownloadsTheFirstLetter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		for _, lang := range []string{"fr", "en"} {
			f := newDebtorFixture(t, store, fixtureOptions{language: lang})
			f.Core.Collector = testCollector
			b := f.visitor()
			b.signIn(f.token)
			page := b.get("/case")
			pageHas(t, "case page", page.body, `href="/case/letter.pdf"`)
			r := b.get("/case/letter.pdf")
			wantPageStatus(t, "letter", r, http.StatusOK)
			if r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF-") || r.header.Get("Cache-Control") != "private, no-store" {
				t.Fatalf("%s letter: %q %q", lang, r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
			}
			text := testkit.PDFText([]byte(r.body))
			want := map[string][]string{
				"fr": {"Lettre de mise en demeure amiable", "Recouvre Sud exerce une activité de recouvrement amiable", debtorReference, debtorName, "Atelier Dupont SARL", "12 rue de la Paix", "Réparation de la toiture", "1 249,50 €", "Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier", "localhost:8080"},
				"en": {"First notice: amicable recovery of a debt", "Recouvre Sud carries out amicable debt recovery", debtorReference, "€1,249.50", "The costs of recovery undertaken without an enforceable title stay with the creditor", "Les frais de recouvrement entrepris sans titre exécutoire"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s letter lacks %q:\n%s", lang, w, text)
				}
			}
			if strings.Contains(text, "DUP-2026-0099") {
				t.Error("the letter shows another case")
			}
		}
	})
}

// The creditor API gives a creditor the letter of its own cases only.
func TestAPILetterIsTheCreditorsOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		st, body := e.json("POST", "/api/v1/cases", e.keyA, sampleCase("REF-L"))
		if st != http.StatusCreated {
			t.Fatalf("create: %d %v", st, body)
		}
		path := "/api/v1/cases/" + itoa(int64(body["id"].(float64))) + "/letter.pdf"
		for _, tc := range []struct {
			name, key string
			want      int
		}{{"own case", e.keyA, 200}, {"another creditor's case", e.keyB, 404}, {"no key", "", 401}} {
			t.Run(tc.name, func(t *testing.T) {
				req, _ := http.NewRequest("GET", path, nil)
				if tc.key != "" {
					req.Header.Set("Authorization", "Bearer "+tc.key)
				}
				resp, err := e.srv.App.Test(req, -1)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != tc.want {
					t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
				}
				if tc.want == 200 {
					var sb strings.Builder
					buf := make([]byte, 4096)
					for {
						n, err := resp.Body.Read(buf)
						sb.Write(buf[:n])
						if err != nil {
							break
						}
					}
					text := testkit.PDFText([]byte(sb.String()))
					if resp.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(text, "REF-L") || !strings.Contains(text, "Camille Durand") || !strings.Contains(text, "Intérêts de retard au taux légal") {
						t.Errorf("letter %q: %s", resp.Header.Get("Content-Type"), text)
					}
				}
			})
		}
	})
}

// An agent downloads the letter, sends it by email or records it posted;
// each sending is on the timeline, and the letter keeps the first date.
func TestAgentSendsTheFirstLetter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		mailer := &letterMailer{}
		e := newBoEnv(t, store, notify.Senders{Mail: mailer}, "fr")
		b := e.signIn(boAgentEmail)
		page := b.get(boCasePath(e.caseA.ID))
		pageHas(t, "case page", page.body, boCasePath(e.caseA.ID, "/letter.pdf"), "First letter (article R124-4)")
		r := b.get(boCasePath(e.caseA.ID, "/letter.pdf"))
		wantPageStatus(t, "download", r, http.StatusOK)
		if text := testkit.PDFText([]byte(r.body)); !strings.Contains(text, "Lettre de mise en demeure amiable") || !strings.Contains(text, boRefA) {
			t.Errorf("agent's letter (the debtor speaks French): %s", text)
		}
		r = b.post(boCasePath(e.caseA.ID, "/letter"), url.Values{"channel": {"email"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("send by email: %d %s", r.status, r.body)
		}
		if len(mailer.sent) != 1 || mailer.sent[0].To != boEmailA || !strings.Contains(mailer.sent[0].Text, boRefA) || !boLinkURL.MatchString(mailer.sent[0].Text) {
			t.Fatalf("email %+v", mailer.sent)
		}
		for _, a := range boAmountTexts {
			if strings.Contains(mailer.sent[0].Text, a) {
				t.Errorf("the email carries the amount %q", a)
			}
		}
		e.Clock.Add(72 * time.Hour)
		b = e.signIn(boAgentEmail)
		b.get(boCasePath(e.caseA.ID))
		r = b.post(boCasePath(e.caseA.ID, "/letter"), url.Values{"channel": {"post"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("record posted: %d", r.status)
		}
		r = b.post(boCasePath(e.caseA.ID, "/letter"), url.Values{"channel": {"pigeon"}})
		wantPageStatus(t, "unknown channel", r, http.StatusUnprocessableEntity)
		var evs []portal.TimelineEvent
		store.DB.Where("case_id = ? AND kind = ?", e.caseA.ID, portal.EventLetterSent).Order("id").Find(&evs)
		if len(evs) != 2 || !strings.Contains(evs[0].Data, `"email"`) || !strings.Contains(evs[1].Data, `"post"`) || evs[0].ActorKind != portal.ActorUser {
			t.Fatalf("timeline %+v", evs)
		}
		l, err := e.Core.FirstLetter(context.Background(), e.caseA.ID)
		if err != nil || !l.SentAt.Equal(evs[0].CreatedAt) {
			t.Errorf("the letter is dated %v, want the first sending %v (%v)", l.SentAt, evs[0].CreatedAt, err)
		}
		// Another creditor's admin cannot read it.
		other := e.signIn(boAdminAEmail)
		if r := other.get(boCasePath(e.caseB.ID, "/letter.pdf")); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
			t.Errorf("admin of creditor A read creditor B's letter: %d", r.status)
		}
	})
}
