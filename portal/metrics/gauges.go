package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// dbGauges reads, at scrape time, what is waiting in the database: due
// instalments, those claimed by a process, how late the oldest due one
// is, and unmatched money. A scrape costs two indexed queries.
type dbGauges struct {
	db       *sql.DB
	postgres bool
	log      *slog.Logger
}

var (
	dueDesc = prometheus.NewDesc("reglo_instalments_due",
		"Instalments due to be charged now (scheduled and due, or failed and due for a retry), not yet claimed.", nil, nil)
	claimedDesc = prometheus.NewDesc("reglo_instalments_claimed",
		"Instalments a process has claimed and is charging (lease not expired).", nil, nil)
	lagDesc = prometheus.NewDesc("reglo_instalments_due_lag_seconds",
		"How long ago the oldest due, unclaimed instalment fell due (0 when none).", nil, nil)
	unmatchedDesc = prometheus.NewDesc("reglo_unmatched_money_open",
		"Entries of unmatched money not resolved yet, by currency.", []string{"currency"}, nil)
	unmatchedCentsDesc = prometheus.NewDesc("reglo_unmatched_money_open_cents",
		"Amount of unmatched money not resolved yet, in minor units, by currency.", []string{"currency"}, nil)
)

func (g *dbGauges) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dueDesc, claimedDesc, lagDesc, unmatchedDesc, unmatchedCentsDesc} {
		ch <- d
	}
}

func (g *dbGauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := time.Now().UTC()
	var due, claimed int64
	var oldest sql.NullString
	// due_on is a date; the scheduler compares it with each creditor's
	// today, which this approximates with UTC's.
	q := `SELECT
		COALESCE(SUM(CASE WHEN (status = 'scheduled' AND due_on <= $1) OR (status IN ('failed', 'requires_action') AND next_attempt_at <= $2) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'processing' AND claimed_until >= $2 THEN 1 ELSE 0 END), 0),
		MIN(CASE WHEN status = 'scheduled' AND due_on <= $1 THEN due_on END)
		FROM instalments WHERE status IN ('scheduled', 'failed', 'requires_action', 'processing')`
	args := []any{now.Format(time.DateOnly), now}
	if !g.postgres {
		// SQLite keeps dates and times as text: compare text with text.
		q = strings.NewReplacer("$1", "?1", "$2", "?2").Replace(q)
		args[1] = now.Format("2006-01-02 15:04:05.999999999-07:00")
	}
	err := g.db.QueryRowContext(ctx, q, args...).Scan(&due, &claimed, &oldest)
	if err != nil {
		g.log.Warn("metrics: instalments not read", "error", err.Error())
	} else {
		lag := 0.0
		if oldest.Valid && len(oldest.String) >= 10 {
			if d, err := time.Parse(time.DateOnly, oldest.String[:10]); err == nil {
				lag = max(now.Sub(d).Seconds(), 0)
			}
		}
		ch <- prometheus.MustNewConstMetric(dueDesc, prometheus.GaugeValue, float64(due))
		ch <- prometheus.MustNewConstMetric(claimedDesc, prometheus.GaugeValue, float64(claimed))
		ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, lag)
	}
	rows, err := g.db.QueryContext(ctx, `SELECT currency, COUNT(*), COALESCE(SUM(amount_cents), 0) FROM unmatched_money
		WHERE resolved_at IS NULL AND amount_cents <> 0 GROUP BY currency`)
	if err != nil {
		g.log.Warn("metrics: unmatched money not read", "error", err.Error())
		return
	}
	defer rows.Close()
	for rows.Next() {
		var cur string
		var n, cents int64
		if err := rows.Scan(&cur, &n, &cents); err != nil {
			g.log.Warn("metrics: unmatched money not read", "error", err.Error())
			return
		}
		ch <- prometheus.MustNewConstMetric(unmatchedDesc, prometheus.GaugeValue, float64(n), cur)
		ch <- prometheus.MustNewConstMetric(unmatchedCentsDesc, prometheus.GaugeValue, float64(cents), cur)
	}
}
