package main

import (
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal/notify/mailpittest"
)

// TestDemoSendsFirstReminders: with Mailpit as SMTP_URL, the demo's overdue
// cases get their first reminder email within a minute of starting, with
// a link to the served portal and the stop headers.
func TestDemoSendsFirstReminders(t *testing.T) {
	t.Parallel()
	mp := mailpittest.Start(t)
	env := testEnv(t)
	env["ADDR"] = "127.0.0.1:0"
	env["SMTP_URL"] = mp.SMTPURL("relances@reglo.test")
	s := startServer(t, env, "demo")
	if out := s.stdout.String(); !strings.Contains(out, "any hour, any day") {
		t.Errorf("the demo does not say its hours allow sending:\n%s", out)
	}
	// Receipts of the demo's paid cases go too: find the reminders.
	var reminders []mailpittest.Message
	deadline := time.Now().Add(60 * time.Second)
	for len(reminders) == 0 && time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
		for _, sm := range mp.Messages(t) {
			if m := mp.Message(t, sm.ID); strings.Contains(m.Text, "/u/") {
				reminders = append(reminders, m)
			}
		}
	}
	if len(reminders) == 0 {
		t.Fatalf("no reminder within a minute; stderr:\n%s", s.stderr)
	}
	m := reminders[0]
	if !strings.Contains(m.Text, "http://"+s.addr+"/l/") {
		t.Errorf("reminder text:\n%s", m.Text)
	}
	if h := mp.Headers(t, m.ID); len(h["List-Unsubscribe-Post"]) != 1 || len(h["List-Unsubscribe"]) != 1 {
		t.Errorf("headers: %v", h)
	}
	t.Logf("%d reminder emails within a minute of the demo starting", len(reminders))
	if code := s.stop(); code != exitOK {
		t.Fatalf("demo exited %d", code)
	}
}
