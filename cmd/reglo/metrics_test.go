package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
)

// metricsAddr finds the address in the "metrics listening" log line.
func metricsAddr(log string) string {
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "metrics listening" {
			return line.Addr
		}
	}
	return ""
}

func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, b)
	}
	return string(b)
}

// With METRICS_ADDR, a second listener serves Prometheus metrics: requests
// by route pattern (never the token in the path) and status, the database
// pool, webhook events by outcome, scheduled work and unmatched money. The
// public port does not serve them; the listener stops with the server.
func TestServeExposesMetricsOnTheirOwnListener(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["REGLO_SECRET"] = portal.GenerateSecret()
	env["ADDR"] = "127.0.0.1:0"
	env["METRICS_ADDR"] = "127.0.0.1:0"
	env["STRIPE_WEBHOOK_SECRET"] = "whsec_metrics"
	s := startServer(t, env, "serve")
	maddr := metricsAddr(s.stderr.String())
	if maddr == "" {
		t.Fatalf("no metrics listener in the log:\n%s", s.stderr)
	}
	if code, _ := s.get("/metrics"); code != http.StatusNotFound {
		t.Errorf("the public port answers /metrics with %d, want 404", code)
	}
	s.get("/healthz")
	s.get("/l/secret-token-never-a-label")
	resp, err := http.Post("http://"+s.addr+"/webhooks/stripe", "application/json", strings.NewReader(`{"id":"evt_1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	body := scrape(t, maddr)
	for _, want := range []string{
		`reglo_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`reglo_http_requests_total{method="GET",route="/l/:token",status="`,
		`reglo_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"} 1`,
		`reglo_stripe_webhook_events_total{outcome="bad_signature",type="unknown"} 1`,
		`go_sql_open_connections{db_name="reglo"}`, `reglo_instalments_due 0`, `reglo_instalments_claimed 0`, `reglo_instalments_due_lag_seconds 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "secret-token-never-a-label") {
		t.Error("a path's token is a metrics label")
	}
	if code := s.stop(); code != exitOK {
		t.Fatalf("serve exited %d; stderr:\n%s", code, s.stderr)
	}
	if _, err := net.DialTimeout("tcp", maddr, time.Second); err == nil {
		t.Error("the metrics port still accepts connections after shutdown")
	}
}
