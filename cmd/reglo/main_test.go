package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/crypto/bcrypt"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// lockedBuffer is a bytes.Buffer that a running server may write to while
// the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type result struct {
	code           int
	stdout, stderr string
}

// testEnv is an environment in which nothing touches the working
// directory: a fresh SQLite database and documents directory.
func testEnv(t *testing.T) map[string]string {
	dir := t.TempDir()
	return map[string]string{
		"DATABASE_URL":  "sqlite://" + filepath.Join(dir, "reglo.db"),
		"DOCUMENTS_DIR": filepath.Join(dir, "documents"),
	}
}

func reglo(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb lockedBuffer
	code := run(context.Background(), args, mapEnv(env), strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func mapEnv(m map[string]string) env { return func(k string) string { return m[k] } }

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no command shows usage", nil, nil, "no command given"},
		{"unknown command", nil, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"creditor without create", nil, []string{"creditor"}, "reglo creditor create --name NAME"},
		{"creditor create without name", nil, []string{"creditor", "create"}, "--name is required"},
		{"creditor create with unknown flag", nil, []string{"creditor", "create", "--name", "X", "--colour", "red"}, "flag provided but not defined: -colour"},
		{"creditor create with a bad currency", nil, []string{"creditor", "create", "--name", "X", "--currency", "XYZ"}, "--currency: currency must be"},
		{"user create without password-stdin", nil, []string{"user", "create", "--email", "a@b.test", "--role", "agent"}, "--password-stdin is required"},
		{"user create with a bad role", nil, []string{"user", "create", "--email", "a@b.test", "--password-stdin", "--role", "boss"}, "--role must be admin or agent"},
		{"user create with a short password", nil, []string{"user", "create", "--email", "a@b.test", "--password-stdin", "--role", "agent"}, "password must be 12 to 72 characters"},
		{"stray argument", nil, []string{"migrate", "now"}, `unexpected argument "now"`},
		{"bad LOG_LEVEL", map[string]string{"LOG_LEVEL": "loud"}, []string{"migrate"}, "LOG_LEVEL"},
		{"bad TRUSTED_PROXIES", map[string]string{"TRUSTED_PROXIES": "10.0.0.1, lb.internal"}, []string{"migrate"}, `"lb.internal" is neither`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := testEnv(t)
			for k, v := range tt.env {
				env[k] = v
			}
			r := reglo(t, env, "short\n", tt.args...)
			if r.code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "reglo help") {
				t.Errorf("stderr does not say %q and point to help:\n%s", tt.want, r.stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"--help"}, {"creditor", "create", "-h"}} {
		r := reglo(t, testEnv(t), "", args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "Usage") {
			t.Errorf("%v: exit %d, stdout:\n%s", args, r.code, r.stdout)
		}
	}
	r := reglo(t, testEnv(t), "", "help")
	for _, name := range []string{"serve", "migrate", "demo", "creditor create", "user create", "DATABASE_URL", "ADDR", "BASE_URL",
		"REGLO_SECRET", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "DOCUMENTS_DIR"} {
		if !strings.Contains(r.stdout, name) {
			t.Errorf("usage does not mention %s", name)
		}
	}
}

func TestServeRefusesWithoutSecret(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	r := reglo(t, env, "", "serve")
	if r.code != exitUsage || !strings.Contains(r.stderr, "REGLO_SECRET is not set") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(strings.TrimPrefix(env["DATABASE_URL"], "sqlite://")); !os.IsNotExist(err) {
		t.Errorf("serve touched the database before refusing: %v", err)
	}
	env["REGLO_SECRET"] = "too-short"
	if r := reglo(t, env, "", "serve"); r.code != exitUsage || !strings.Contains(r.stderr, "at least 16 characters") {
		t.Errorf("short secret: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// emptyDatabase returns the URL of a database with no tables at all, to
// prove that migrate builds the schema from nothing.
func emptyDatabase(t *testing.T, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return storetest.URL(t, dialect) // a path where no file exists yet
	}
	base := os.Getenv("TEST_DATABASE_URL")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "reglo_cmd_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("PostgreSQL at TEST_DATABASE_URL: %v", err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			env := testEnv(t)
			env["DATABASE_URL"] = emptyDatabase(t, dialect)
			for i := range 2 { // the second run finds nothing pending
				r := reglo(t, env, "", "migrate")
				if r.code != exitOK || !strings.Contains(r.stderr, `"migrations applied"`) {
					t.Fatalf("run %d: exit %d, stderr:\n%s", i+1, r.code, r.stderr)
				}
			}
			store, err := portal.Connect(env["DATABASE_URL"])
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			for _, table := range []string{"creditors", "cases", "payments", "timeline_events"} {
				var n int64
				if err := store.DB.Table(table).Count(&n).Error; err != nil {
					t.Errorf("table %s after migrate: %v", table, err)
				}
			}
		})
	}
}

// testService opens the database a command wrote to, as the server would.
func testService(t *testing.T, databaseURL string) *portal.Service {
	t.Helper()
	store, err := portal.Open(context.Background(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return portal.NewService(store, portal.DiskStorage{Dir: t.TempDir()}, nil, "http://reglo.test",
		slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func TestCreditorAndUserCreate(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			env := testEnv(t)
			env["DATABASE_URL"] = storetest.URL(t, dialect)

			r := reglo(t, env, "", "creditor", "create", "--name", "Énergie Test", "--currency", "gbp")
			if r.code != exitOK {
				t.Fatalf("creditor create: exit %d, stderr:\n%s", r.code, r.stderr)
			}
			var created struct {
				ID     int64  `json:"id"`
				APIKey string `json:"api_key"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || created.ID == 0 || created.APIKey == "" {
				t.Fatalf("creditor create printed %q (%v)", r.stdout, err)
			}
			if strings.Contains(r.stderr, created.APIKey) {
				t.Error("the API key reached the log")
			}
			svc := testService(t, env["DATABASE_URL"])
			cr, err := svc.CreditorByAPIKey(ctx, created.APIKey)
			if err != nil || cr.ID != created.ID || cr.Name != "Énergie Test" || cr.Currency != "GBP" {
				t.Fatalf("the printed key authenticates as %+v, %v", cr, err)
			}

			const password = "  correct horse battery staple "
			r = reglo(t, env, password+"\r\n", "user", "create", "--email", "Agent@Example.test", "--password-stdin", "--role", "agent",
				"--creditor", jsonInt(created.ID))
			if r.code != exitOK {
				t.Fatalf("user create: exit %d, stderr:\n%s", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, "horse") || strings.Contains(r.stdout, "horse") {
				t.Error("the password was printed or logged")
			}
			var user struct {
				ID         int64  `json:"id"`
				Email      string `json:"email"`
				Role       string `json:"role"`
				CreditorID *int64 `json:"creditor_id"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &user); err != nil || user.Email != "agent@example.test" || user.Role != "agent" ||
				user.CreditorID == nil || *user.CreditorID != created.ID {
				t.Fatalf("user create printed %q (%v)", r.stdout, err)
			}
			var row portal.User
			if err := svc.Store.DB.Take(&row, user.ID).Error; err != nil {
				t.Fatal(err)
			}
			if bcrypt.CompareHashAndPassword([]byte(row.PasswordHash), []byte(password)) != nil {
				t.Error("the stored hash does not match the password from stdin, spaces included")
			}

			r = reglo(t, env, password+"\n", "user", "create", "--email", "agent@example.test", "--password-stdin", "--role", "admin")
			if r.code != exitFailure || !strings.Contains(r.stderr, "already exists") {
				t.Errorf("duplicate email: exit %d, stderr:\n%s", r.code, r.stderr)
			}
			r = reglo(t, env, "", "user", "create", "--email", "other@example.test", "--password-stdin", "--role", "admin")
			if r.code != exitUsage || !strings.Contains(r.stderr, "no password on standard input") {
				t.Errorf("empty stdin: exit %d, stderr:\n%s", r.code, r.stderr)
			}
			r = reglo(t, env, password+"\n", "user", "create", "--email", "other@example.test", "--password-stdin", "--role", "admin", "--creditor", "999999")
			if r.code != exitUsage || !strings.Contains(r.stderr, "--creditor") {
				t.Errorf("unknown creditor: exit %d, stderr:\n%s", r.code, r.stderr)
			}
		})
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// server runs a serving command in-process until stop is called.
type server struct {
	t      *testing.T
	cancel context.CancelFunc
	done   chan int
	stdout *lockedBuffer
	stderr *lockedBuffer
	addr   string
}

func startServer(t *testing.T, env map[string]string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{t: t, cancel: cancel, done: make(chan int, 1), stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	go func() { s.done <- run(ctx, args, mapEnv(env), strings.NewReader(""), s.stdout, s.stderr) }()
	t.Cleanup(func() { cancel(); <-s.done })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if a := listeningAddr(s.stderr.String()); a != "" {
			s.addr = a
			return s
		}
		select {
		case code := <-s.done:
			t.Fatalf("%v exited with %d before listening; stderr:\n%s", args, code, s.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("%v did not start listening; stderr:\n%s", args, s.stderr)
	return nil
}

// listeningAddr finds the address in the "listening" log line.
func listeningAddr(log string) string {
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
			return line.Addr
		}
	}
	return ""
}

func (s *server) get(path string) (int, string) {
	s.t.Helper()
	resp, err := http.Get("http://" + s.addr + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// stop cancels the context, as SIGTERM does, and returns the exit code.
func (s *server) stop() int {
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code // for the cleanup
		return code
	case <-time.After(shutdownGrace + 5*time.Second):
		s.t.Fatal("the server did not stop")
		return -1
	}
}

func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["REGLO_SECRET"] = portal.GenerateSecret()
	env["ADDR"] = "127.0.0.1:0"
	s := startServer(t, env, "serve")
	if code, body := s.get("/healthz"); code != http.StatusOK || body != "ok" {
		t.Fatalf("/healthz: %d %q", code, body)
	}
	if code, _ := s.get("/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz: %d", code)
	}
	if !strings.Contains(s.stderr.String(), "card payment is not configured") {
		t.Error("without STRIPE_SECRET_KEY the log should say card payment is not configured")
	}

	// A request whose body is still arriving when shutdown starts is
	// finished and answered, not cut.
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"reference": "R-1"}`
	if _, err := io.WriteString(conn, "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "+
		jsonInt(int64(len(body)))+"\r\n\r\n"+body[:5]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	stopped := make(chan int, 1)
	go func() { stopped <- s.stop() }()
	time.Sleep(300 * time.Millisecond)
	if _, err := io.WriteString(conn, body[5:]); err != nil {
		t.Fatalf("the in-flight request was cut: %v", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 ") {
		t.Fatalf("the in-flight request got no answer: %q %v", status, err)
	}
	if code := <-stopped; code != exitOK {
		t.Fatalf("serve exited %d; stderr:\n%s", code, s.stderr)
	}
	if !strings.Contains(s.stderr.String(), `"msg":"stopped"`) {
		t.Errorf("no graceful stop in the log:\n%s", s.stderr)
	}
	if _, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		t.Error("the port still accepts connections after shutdown")
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			env := testEnv(t)
			env["DATABASE_URL"] = storetest.URL(t, dialect)
			env["ADDR"] = "127.0.0.1:0"

			s := startServer(t, env, "demo")
			out := s.stdout.String()
			for _, want := range []string{"REGLO_SECRET was not set", "Back office: http://127.0.0.1:", "admin@reglo.test", "agent@reglo.test",
				"password: " + "demo-admin-reglo", "Énergie Claire", "Atelier Martin SARL", "postcode: 75011", "postcode: SE1 7PB"} {
				if !strings.Contains(out, want) {
					t.Errorf("demo output lacks %q:\n%s", want, out)
				}
			}
			links := strings.Count(out, "http://"+s.addr+"/l/")
			if links < 10 {
				t.Errorf("demo printed %d debtor links on the served address, want one per case:\n%s", links, out)
			}
			if code, _ := s.get("/healthz"); code != http.StatusOK {
				t.Errorf("/healthz: %d", code)
			}
			logs := s.stderr.String()
			for _, secret := range []string{"demo-admin-reglo", "75011", "/l/"} {
				if strings.Contains(logs, secret) {
					t.Errorf("the log contains %q:\n%s", secret, logs)
				}
			}
			if code := s.stop(); code != exitOK {
				t.Fatalf("demo exited %d; stderr:\n%s", code, s.stderr)
			}

			// A second run reuses the data and prints fresh links.
			s2 := startServer(t, env, "demo")
			out2 := s2.stdout.String()
			if !strings.Contains(out2, "Reused") || strings.Count(out2, "/l/") != links {
				t.Errorf("second run output:\n%s", out2)
			}
			if s2.stop() != exitOK {
				t.Fatalf("second demo failed; stderr:\n%s", s2.stderr)
			}
			svc := testService(t, env["DATABASE_URL"])
			var cases int64
			svc.Store.DB.Model(&portal.Case{}).Count(&cases)
			if cases != int64(links) {
				t.Errorf("after two demo runs: %d cases, want %d", cases, links)
			}
		})
	}
}

func TestLocalURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"0.0.0.0:8080":   "http://localhost:8080",
		"[::]:9000":      "http://localhost:9000",
		"127.0.0.1:4000": "http://127.0.0.1:4000",
		"[::1]:4000":     "http://[::1]:4000",
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := localURL(a); got != want {
			t.Errorf("localURL(%s) = %s, want %s", addr, got, want)
		}
	}
}
