// Package mailpittest runs Mailpit, a real SMTP server with an HTTP API,
// for tests that must see an email really delivered and read it back.
//
// Mailpit is pinned in go.mod as a tool and started with "go tool mailpit";
// the first run compiles it, later runs reuse Go's build cache.
//
//	func TestSendsEmail(t *testing.T) {
//		mp := mailpittest.Start(t)
//		mailer, _ := notify.NewSMTPMailer(mp.SMTPURL("reglo@example.org"))
//		... send ...
//		msgs := mp.WaitMessages(t, 1)
//	}
//
// Each Start runs its own Mailpit on free loopback ports, with its own
// database in a temporary directory, killed (with its process group) when
// the test ends.
package mailpittest

import (
	"encoding/json"
	"fmt"
	"github.com/reglo/reglo/payments/stripemock/gotool"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startTimeout bounds the wait for Mailpit to answer; the first run in a
// fresh build cache compiles it.
const startTimeout = 180 * time.Second

// Server is a running Mailpit.
type Server struct {
	// SMTPAddr is host:port of its SMTP server (no auth, no TLS).
	SMTPAddr string
	// APIURL is the base URL of its web UI and HTTP API.
	APIURL string

	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
}

// Start runs a Mailpit for the calling test and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	root, err := gotool.ModuleRoot()
	if err != nil {
		t.Fatalf("mailpittest: %v", err)
	}
	var lastErr error
	for try := 0; try < 3; try++ {
		srv, out, err := launch(root, t.TempDir())
		if err == nil {
			t.Cleanup(srv.Stop)
			return srv
		}
		lastErr = err
		if !strings.Contains(out, "address already in use") {
			break
		}
	}
	t.Fatalf("mailpittest: %v", lastErr)
	return nil
}

// SMTPURL is an SMTP_URL (see notify.NewSMTPMailer) that sends through
// this Mailpit, from the given address, without TLS.
func (s *Server) SMTPURL(from string) string {
	return "smtp://" + s.SMTPAddr + "?tls=none&from=" + url.QueryEscape(from)
}

// Stop kills Mailpit and the "go tool" that started it; it is safe to
// call more than once.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		gotool.KillGroup(s.cmd)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
		}
	})
}

func launch(root, dir string) (*Server, string, error) {
	smtpPort, err := gotool.FreePort()
	if err != nil {
		return nil, "", err
	}
	httpPort, err := gotool.FreePort()
	if err != nil {
		return nil, "", err
	}
	smtpAddr := "127.0.0.1:" + strconv.Itoa(smtpPort)
	httpAddr := "127.0.0.1:" + strconv.Itoa(httpPort)
	cmd := exec.Command("go", "tool", "mailpit",
		"--smtp", smtpAddr, "--listen", httpAddr,
		"--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--smtp-disable-rdns",
		"--disable-version-check", "--quiet")
	cmd.Dir = root
	out := &gotool.Output{}
	cmd.Stdout, cmd.Stderr = out, out
	gotool.OwnGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start go tool mailpit: %w", err)
	}
	s := &Server{SMTPAddr: smtpAddr, APIURL: "http://" + httpAddr, cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return nil, out.String(), fmt.Errorf("mailpit exited before answering:\n%s", out.String())
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := client.Get(s.APIURL + "/api/v1/messages")
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			// The HTTP API answers once the SMTP server listens too, but
			// check it: a test sends straight away.
			if c, err := net.DialTimeout("tcp", smtpAddr, time.Second); err == nil {
				c.Close()
				return s, out.String(), nil
			}
		}
	}
	s.Stop()
	return nil, out.String(), fmt.Errorf("mailpit did not answer within %s:\n%s", startTimeout, out.String())
}

// Address is one mailbox of a message.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is a message as GET /api/v1/messages lists it.
type Summary struct {
	ID      string    `json:"ID"`
	From    Address   `json:"From"`
	To      []Address `json:"To"`
	Subject string    `json:"Subject"`
}

// Message is a message as GET /api/v1/message/{ID} gives it.
type Message struct {
	ID      string    `json:"ID"`
	From    Address   `json:"From"`
	To      []Address `json:"To"`
	Subject string    `json:"Subject"`
	Text    string    `json:"Text"`
	HTML    string    `json:"HTML"`
}

// Messages lists the messages Mailpit holds, newest first.
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var list struct {
		Messages []Summary `json:"messages"`
	}
	s.getJSON(t, "/api/v1/messages", &list)
	return list.Messages
}

// Message reads one message in full.
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.getJSON(t, "/api/v1/message/"+url.PathEscape(id), &m)
	return m
}

// WaitMessages waits (up to 10 seconds) until Mailpit holds at least n
// messages and returns them read in full, newest first.
func (s *Server) WaitMessages(t testing.TB, n int) []Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		list := s.Messages(t)
		if len(list) >= n {
			out := make([]Message, len(list))
			for i, m := range list {
				out[i] = s.Message(t, m.ID)
			}
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpittest: %d messages after 10s, want %d", len(list), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Server) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(s.APIURL + path)
	if err != nil {
		t.Fatalf("mailpittest: GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpittest: GET %s: status %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpittest: GET %s: %v", path, err)
	}
}

// Headers reads every header of one message, as Mailpit received it.
func (s *Server) Headers(t testing.TB, id string) map[string][]string {
	t.Helper()
	h := map[string][]string{}
	s.getJSON(t, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	return h
}
