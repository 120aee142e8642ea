package mailpittest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/portal/notify/mailpittest"
)

func TestSMTPMailerDeliversToMailpit(t *testing.T) {
	mp := mailpittest.Start(t)
	m, err := notify.NewSMTPMailer(mp.SMTPURL("Reglo <reglo@example.org>"))
	if err != nil {
		t.Fatal(err)
	}
	err = m.SendEmail(context.Background(), notify.Email{To: "hélène@example.org", Subject: "Votre dossier Énergie Claire", Text: "Bonjour,\n\nhttps://reglo.example/l/abc\n"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := mp.WaitMessages(t, 1)
	got := msgs[0]
	if len(got.To) != 1 || got.To[0].Address != "hélène@example.org" {
		t.Errorf("to = %+v", got.To)
	}
	if got.From.Address != "reglo@example.org" {
		t.Errorf("from = %+v", got.From)
	}
	if got.Subject != "Votre dossier Énergie Claire" {
		t.Errorf("subject = %q", got.Subject)
	}
	if !strings.Contains(got.Text, "https://reglo.example/l/abc") {
		t.Errorf("text = %q", got.Text)
	}
}
