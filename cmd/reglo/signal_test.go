//go:build unix

package main

import (
	"bufio"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
)

// TestBinaryStopsOnSIGTERM builds the real binary and stops it the way an
// orchestrator does, proving main wires the signal to the graceful shutdown.
func TestBinaryStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "reglo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	env := testEnv(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{"ADDR=127.0.0.1:0", "REGLO_SECRET=" + portal.GenerateSecret(),
		"DATABASE_URL=" + env["DATABASE_URL"], "DOCUMENTS_DIR=" + env["DOCUMENTS_DIR"]}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var addr, log string
	timeout := time.After(30 * time.Second)
	for addr == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("reglo serve exited before listening:\n%s", log)
			}
			log += line + "\n"
			addr = listeningAddr(line)
		case <-timeout:
			t.Fatalf("reglo serve did not start:\n%s", log)
		}
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %d", resp.StatusCode)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for line := range lines {
		log += line + "\n"
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v\n%s", err, log)
	}
	if !strings.Contains(log, `"msg":"stopped"`) {
		t.Errorf("no graceful stop in the log:\n%s", log)
	}
}
