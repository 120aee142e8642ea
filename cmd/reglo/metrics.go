package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/portal/areas"
	"github.com/reglo/reglo/portal/metrics"
)

// startMetrics serves Prometheus metrics on METRICS_ADDR, a listener of
// its own so the public port never shows them. Without METRICS_ADDR it
// returns nil metrics, which count nothing. stop shuts the listener down.
func startMetrics(ctx context.Context, cfg config, log *slog.Logger, svc *areas.Services) (mx *metrics.Metrics, stop func(), err error) {
	if cfg.MetricsAddr == "" {
		return nil, func() {}, nil
	}
	store := svc.Core.Store
	sqlDB, err := store.DB.DB()
	if err != nil {
		return nil, nil, err
	}
	mx = metrics.New(sqlDB, store.Dialect == migrations.Postgres, log)
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen on METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", mx.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Info("metrics listening", "addr", ln.Addr().String())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", "error", err.Error())
		}
	}()
	return mx, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-done
	}, nil
}
