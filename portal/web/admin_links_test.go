package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/notify/mailpittest"
	"github.com/reglo/reglo/portal/storetest"
)

func TestBackOfficeLinkToCopyIsShownOnceAndStoredHashed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "fr")
		b := e.signIn(boAgentEmail)
		b.get(boCasePath(e.caseA.ID))
		r := b.post(boCasePath(e.caseA.ID, "/links"), url.Values{"channel": {"copy"}})
		wantPageStatus(t, "copy link", r, http.StatusCreated)
		link := boLinkURL.FindString(r.body)
		if link == "" {
			t.Fatalf("no link in the page:\n%s", r.body)
		}
		token := boTokenOf(link)
		if len(token) < 22 {
			t.Fatalf("token %q is too short for 128 bits", token)
		}
		pageHas(t, "link page", r.body, "data:image/png;base64,", `for="link-url"`, "Copy", boRefA)
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q: the page holds the token", cc)
		}
		ls := e.boLinks(e.caseA.ID)
		if len(ls) != 1 || ls[0].TokenHash != portal.HashToken(token) || strings.Contains(ls[0].TokenHash, token) || ls[0].Channel != "copy" {
			t.Fatalf("link not stored as the token's SHA-256: %+v", ls)
		}
		if ls[0].CreatedBy == nil {
			t.Error("link has no creator")
		}
		ev := e.lastEvent(e.caseA.ID)
		if ev.Kind != "link_created" || ev.ActorKind != portal.ActorUser || ev.ActorID == nil {
			t.Errorf("timeline: %+v, want link_created by the user", ev)
		}
		// Shown once: the case page and the timeline never show it again.
		r = b.get(boCasePath(e.caseA.ID))
		pageLacks(t, "case page after", r.body, token)
		pageHas(t, "case page after", r.body, "Links of this case", "active", "Revoke")
		// The link works for the debtor.
		if r := e.browser().get("/l/" + token); r.status != http.StatusOK {
			t.Errorf("debtor landing: status %d", r.status)
		}
	})
}

func TestBackOfficeRevokedLinkNoLongerWorks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newBoEnv(t, store, notify.Senders{}, "fr")
		b := e.signIn(boAgentEmail)
		b.get(boCasePath(e.caseA.ID))
		token := boTokenOf(boLinkURL.FindString(b.post(boCasePath(e.caseA.ID, "/links"), url.Values{"channel": {"copy"}}).body))
		linkID := e.boLinks(e.caseA.ID)[0].ID

		r := b.get(boCasePath(e.caseA.ID))
		revoke := boCasePath(e.caseA.ID, "/links/", itoa(linkID), "/revoke")
		pageHas(t, "case page", r.body, `action="`+revoke+`"`)
		r = b.post(revoke, nil)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != boCasePath(e.caseA.ID)+"?notice=revoked" {
			t.Fatalf("revoke: status %d, location %q", r.status, r.header.Get("Location"))
		}
		r = b.get(r.header.Get("Location"))
		pageHas(t, "case page after revoke", r.body, "The link was revoked.", "revoked", "Link revoked")
		pageLacks(t, "case page after revoke", r.body, `action="`+revoke+`"`)
		if ev := e.lastEvent(e.caseA.ID); ev.Kind != "link_revoked" || ev.ActorKind != portal.ActorUser {
			t.Errorf("timeline: %+v, want link_revoked by the user", ev)
		}

		debtor := newDebtorBrowser(t, e.srv.App)
		r = debtor.get("/l/" + token)
		wantPageStatus(t, "revoked link", r, http.StatusNotFound)
		pageHas(t, "revoked link", r.body, "Ce lien ne fonctionne plus")
		pageLacks(t, "revoked link", r.body, `name="answer"`, boCreditorA)

		// Revoking without the CSRF token changes nothing.
		token2 := boTokenOf(boLinkURL.FindString(b.post(boCasePath(e.caseA.ID, "/links"), url.Values{"channel": {"copy"}}).body))
		id2 := e.boLinks(e.caseA.ID)[0].ID
		r = b.postRaw(boCasePath(e.caseA.ID, "/links/", itoa(id2), "/revoke"), url.Values{})
		wantPageStatus(t, "revoke without CSRF", r, http.StatusForbidden)
		if r := debtor.get("/l/" + token2); r.status != http.StatusOK {
			t.Errorf("link revoked without a CSRF token: status %d", r.status)
		}
	})
}

// smsRequest is what the fake SMS API received.
type smsRequest struct {
	path, contentType, user, pass string
	basic                         bool
	form                          url.Values
}

// boSMSServer is a Twilio-compatible API that records every message and
// answers with status.
func boSMSServer(t *testing.T, status int) (*httptest.Server, func() []smsRequest) {
	var mu sync.Mutex
	var got []smsRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		user, pass, ok := r.BasicAuth()
		mu.Lock()
		got = append(got, smsRequest{path: r.URL.Path, contentType: r.Header.Get("Content-Type"), user: user, pass: pass, basic: ok, form: form})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"sid": "SM123", "status": "queued"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []smsRequest {
		mu.Lock()
		defer mu.Unlock()
		return append([]smsRequest(nil), got...)
	}
}

const (
	boSMSSID   = "AC0123456789abcdef"
	boSMSToken = "sms-auth-token"
	boSMSFrom  = "+33700000000"
)

func boSMSSender(t *testing.T, srv *httptest.Server) notify.SMSSender {
	t.Helper()
	sms, err := notify.NewHTTPSMS(srv.URL+"/2010-04-01/Accounts/"+boSMSSID+"/Messages.json", boSMSSID, boSMSToken, boSMSFrom, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return sms
}

func TestBackOfficeSendLinkBySMS(t *testing.T) {
	langs := []struct {
		lang  string
		words []string
	}{
		{"fr", []string{"voyez votre dossier"}},
		{"en", []string{"see your file"}},
	}
	for _, l := range langs {
		t.Run("debtor speaks "+l.lang, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, store *portal.Store) {
				srv, received := boSMSServer(t, http.StatusCreated)
				e := newBoEnv(t, store, notify.Senders{SMS: boSMSSender(t, srv)}, l.lang)
				b := e.signIn(boAgentEmail)
				r := b.get(boCasePath(e.caseA.ID))
				pageLacks(t, "case page", r.body, `id="channel-sms" name="channel" value="sms" disabled`)
				r = b.post(boCasePath(e.caseA.ID, "/links"), url.Values{"channel": {"sms"}})
				if r.status != http.StatusSeeOther || r.header.Get("Location") != boCasePath(e.caseA.ID)+"?notice=sent_sms" {
					t.Fatalf("send: status %d, location %q, body %s", r.status, r.header.Get("Location"), r.body)
				}
				pageHas(t, "case page after", b.get(r.header.Get("Location")).body, "The link was sent by SMS.", "Link sent")

				got := received()
				if len(got) != 1 {
					t.Fatalf("%d SMS requests, want 1", len(got))
				}
				req := got[0]
				if req.path != "/2010-04-01/Accounts/"+boSMSSID+"/Messages.json" {
					t.Errorf("path %q", req.path)
				}
				if req.contentType != "application/x-www-form-urlencoded" {
					t.Errorf("Content-Type %q", req.contentType)
				}
				if !req.basic || req.user != boSMSSID || req.pass != boSMSToken {
					t.Errorf("basic auth = %v %q %q", req.basic, req.user, req.pass)
				}
				if to, from := req.form.Get("To"), req.form.Get("From"); to != "+33612345678" || from != boSMSFrom {
					t.Errorf("To %q From %q", to, from)
				}
				body := req.form.Get("Body")
				link := boLinkURL.FindString(body)
				if link == "" {
					t.Fatalf("no link in the SMS %q", body)
				}
				if ls := e.boLinks(e.caseA.ID); len(ls) != 1 || ls[0].TokenHash != portal.HashToken(boTokenOf(link)) || ls[0].Channel != "sms" {
					t.Errorf("the SMS link is not the stored one: %+v", ls)
				}
				pageHas(t, "SMS", body, append([]string{boCreditorA}, l.words...)...)
				pageLacks(t, "SMS", body, append([]string{"€", "EUR"}, boAmountTexts...)...)
				if n := len([]rune(body)); n > 160 {
					t.Errorf("SMS is %d characters: %q", n, body)
				}
				if ev := e.lastEvent(e.caseA.ID); ev.Kind != "link_sent" || ev.ActorKind != portal.ActorUser {
					t.Errorf("timeline: %+v, want link_sent by the user", ev)
				}
			})
		})
	}
}

func TestBackOfficeSendLinkProblems(t *testing.T) {
	t.Run("SMS API refuses: the link is revoked and the agent told", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, store *portal.Store) {
			srv, received := boSMSServer(t, http.StatusUnauthorized)
			e := newBoEnv(t, store, notify.Senders{SMS: boSMSSender(t, srv)}, "fr")
			b := e.signIn(boAgentEmail)
			b.get(boCasePath(e.caseA.ID))
			r := b.post(boCasePath(e.caseA.ID, "/links"), url.Values{"channel": {"sms"}})
			wantPageStatus(t, "send", r, http.StatusBadGateway)
			pageHas(t, "send failed", r.body, "There is a problem", "The message could not be sent", `href="#channel-sms"`)
			if len(received()) != 1 {
				t.Fatal("no SMS request")
			}
			ls := e.boLinks(e.caseA.ID)
			if len(ls) != 1 || ls[0].RevokedAt == nil {
				t.Fatalf("the unsent link lives on: %+v", ls)
			}
			if ev := e.lastEvent(e.caseA.ID); ev.Kind != "link_send_failed" {
				t.Errorf("timeline: %+v", ev)
			}
		})
	})
	tests := []struct {
		name, channel, problem string
	}{
		{"email not configured", "email", "Email is not set up"},
		{"SMS not configured", "sms", "SMS is not set up"},
		{"unknown channel", "fax", "Choose how to send the link"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" creates nothing", func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, store *portal.Store) {
				e := newBoEnv(t, store, notify.Senders{}, "fr")
				b := e.signIn(boAgentEmail)
				r := b.get(boCasePath(e.caseA.ID))
				if tt.channel != "fax" {
					pageHas(t, "case page", r.body, `value="`+tt.channel+`" disabled`)
				}
				r = b.post(boCasePath(e.caseA.ID, "/links"), url.Values{"channel": {tt.channel}})
				wantPageStatus(t, "send", r, http.StatusUnprocessableEntity)
				pageHas(t, "send", r.body, "There is a problem", tt.problem)
				if ls := e.boLinks(e.caseA.ID); len(ls) != 0 {
					t.Fatalf("links made: %+v", ls)
				}
			})
		})
	}
	t.Run("debtor without email", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, store *portal.Store) {
			mailer := &recordingMailer{}
			e := newBoEnv(t, store, notify.Senders{Mail: mailer}, "fr")
			c := e.addCase(e.credA, "NRG-NO-MAIL", portal.NewDebtor{Name: "Sans Courriel", Postcode: "75001"}, 100)
			b := e.signIn(boAgentEmail)
			b.get(boCasePath(c.ID))
			r := b.post(boCasePath(c.ID, "/links"), url.Values{"channel": {"email"}})
			wantPageStatus(t, "send", r, http.StatusUnprocessableEntity)
			pageHas(t, "send", r.body, "The debtor has no email address")
			if len(e.boLinks(c.ID)) != 0 || mailer.n != 0 {
				t.Fatal("something was made or sent")
			}
		})
	})
}

// recordingMailer counts emails without sending them.
type recordingMailer struct{ n int }

func (m *recordingMailer) SendEmail(_ context.Context, _ notify.Email) error { m.n++; return nil }

func TestBackOfficeSendLinkByEmailReachesARealSMTPServer(t *testing.T) {
	mp := mailpittest.Start(t)
	langs := []struct {
		lang, subject string
		words         []string
	}{
		{"fr", "Votre dossier " + boCreditorA, []string{"Bonjour", "code postal"}},
		{"en", "Your file with " + boCreditorA, []string{"Hello", "postcode"}},
	}
	for _, l := range langs {
		t.Run("debtor speaks "+l.lang, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, store *portal.Store) {
				mailer, err := notify.NewSMTPMailer(mp.SMTPURL("Reglo <reglo@reglo.example>"))
				if err != nil {
					t.Fatal(err)
				}
				e := newBoEnv(t, store, notify.Senders{Mail: mailer}, l.lang)
				before := len(mp.Messages(t))
				b := e.signIn(boAgentEmail)
				b.get(boCasePath(e.caseA.ID))
				r := b.post(boCasePath(e.caseA.ID, "/links"), url.Values{"channel": {"email"}})
				if r.status != http.StatusSeeOther || r.header.Get("Location") != boCasePath(e.caseA.ID)+"?notice=sent_email" {
					t.Fatalf("send: status %d, location %q, body %s", r.status, r.header.Get("Location"), r.body)
				}
				msg := mp.WaitMessages(t, before+1)[0]
				if len(msg.To) != 1 || msg.To[0].Address != boEmailA {
					t.Errorf("To = %+v, want %s", msg.To, boEmailA)
				}
				if msg.From.Address != "reglo@reglo.example" {
					t.Errorf("From = %+v", msg.From)
				}
				if msg.Subject != l.subject {
					t.Errorf("Subject = %q, want %q", msg.Subject, l.subject)
				}
				link := boLinkURL.FindString(msg.Text)
				if link == "" {
					t.Fatalf("no link in the email:\n%s", msg.Text)
				}
				if ls := e.boLinks(e.caseA.ID); len(ls) != 1 || ls[0].TokenHash != portal.HashToken(boTokenOf(link)) || ls[0].Channel != "email" {
					t.Errorf("the emailed link is not the stored one: %+v", ls)
				}
				pageHas(t, "email", msg.Text, append([]string{boCreditorA}, l.words...)...)
				pageLacks(t, "email", msg.Subject+"\n"+msg.Text, append([]string{"€", "EUR"}, boAmountTexts...)...)
				if ev := e.lastEvent(e.caseA.ID); ev.Kind != "link_sent" || ev.ActorKind != portal.ActorUser {
					t.Errorf("timeline: %+v, want link_sent by the user", ev)
				}
				// The link in the email opens the debtor's landing page.
				if r := newDebtorBrowser(t, e.srv.App).get("/l/" + boTokenOf(link)); r.status != http.StatusOK {
					t.Errorf("emailed link: status %d", r.status)
				}
			})
		})
	}
}
