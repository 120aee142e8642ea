package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/demo"
)

// backOfficePath is the back office's home; without a session it sends the
// visitor to its login page.
const backOfficePath = "/admin"

func cmdDemo(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("demo", "demo [flags]", &cfg, true, stdout)
	if err := fs.parse(args); err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	generated := cfg.Secret == ""
	if generated {
		cfg.Secret = portal.GenerateSecret()
		log.Warn("REGLO_SECRET is not set: the demo generated a random one for this run; sessions end when it stops")
	}
	secrets, err := portal.NewSecrets(cfg.Secret)
	if err != nil {
		return usagef("%v", err)
	}
	// Bind first: a port in use fails before any data is loaded, and the
	// printed links can point at the port really served.
	ln, err := listen(ctx, cfg.Addr)
	if err != nil {
		return err
	}
	if getenv("BASE_URL") == "" && !fs.isSet("base-url") {
		cfg.BaseURL = localURL(ln.Addr())
	}
	if !cfg.Collector.Agency() {
		cfg.Collector = demo.Collector
	}
	store, svc, err := openService(ctx, cfg, log, secrets)
	if err != nil {
		ln.Close()
		return err
	}
	defer store.Close()

	start := time.Now()
	sum, err := demo.Load(ctx, svc)
	if err != nil {
		ln.Close()
		return fmt.Errorf("load demo data: %w", err)
	}
	took := time.Since(start)
	log.Info("demo data ready", "created", sum.Created, "cases", len(sum.Cases), "duration", took.String())
	printDemo(stdout, cfg, sum, generated, svc.Money.CardEnabled(), took, ln.Addr().String())
	if err := demoReminders(ctx, svc, sum, cfg.Notify.Mail != nil, stdout); err != nil {
		ln.Close()
		return err
	}
	return serveHTTP(ctx, cfg, log, svc, ln)
}

// localURL is the demo's base URL when none is configured: the address
// really listened on, with "localhost" for an unspecified host, so that
// "reglo demo --addr :9000" prints links that open. With the default ADDR
// it is the outside contract's default BASE_URL, http://localhost:8080.
func localURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return defaultBaseURL
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// printDemo tells the person trying Reglo where to go and how to get in.
// It is the only place the demo passwords, link tokens and postcodes are
// printed: to stdout, for that person, never to the log.
func printDemo(w io.Writer, cfg config, sum demo.Summary, generated, stripe bool, took time.Duration, addr string) {
	base := strings.TrimRight(cfg.BaseURL, "/")
	what := "Loaded"
	if !sum.Created {
		what = "Reused"
	}
	var names []string
	for _, c := range sum.Creditors {
		names = append(names, c.Name)
	}
	fmt.Fprintf(w, "\nReglo demo for %s. %s %d cases of %s in %s.\n", sum.Organisation, what, len(sum.Cases),
		strings.Join(names, " and "), took.Round(time.Millisecond))
	if generated {
		fmt.Fprintln(w, "REGLO_SECRET was not set, so a random one was generated for this run: sessions end when the demo stops.")
	}
	if !stripe {
		fmt.Fprintln(w, "Card payment is not configured (no STRIPE_SECRET_KEY): debtors are shown the other ways to pay.")
	}

	fmt.Fprintf(w, "\nBack office: %s%s\n", base, backOfficePath)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, l := range sum.Logins {
		fmt.Fprintf(tw, "  %s\t%s\tpassword: %s\n", l.Role, l.Email, l.Password)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nDebtor links (new ones each run, valid 30 days). Answer the identity question with the postcode shown:")
	rows := make([][]string, len(sum.Cases))
	for i, c := range sum.Cases {
		rows[i] = []string{c.Reference, c.Creditor, c.Debtor, c.Status, consoleAmount(c.BalanceCents, c.Currency), "postcode: " + c.IdentityAnswer}
	}
	for i, line := range alignColumns(rows) {
		fmt.Fprintf(w, "  %s\n    %s\n", line, sum.Cases[i].URL)
	}
	fmt.Fprintf(w, "\nListening on %s. Press Ctrl-C to stop.\n\n", addr)
}

// alignColumns pads cells to their column's width, counting runes so that
// accented names line up; text/tabwriter cannot, since each row is followed
// by a URL line that would end its column block.
func alignColumns(rows [][]string) []string {
	var widths []int
	for _, r := range rows {
		for j, cell := range r {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], utf8.RuneCountInString(cell))
		}
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		var b strings.Builder
		for j, cell := range r {
			b.WriteString(cell)
			if j < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(cell)+2))
			}
		}
		out[i] = b.String()
	}
	return out
}

// consoleAmount formats cents for the console: "1234.56 EUR".
func consoleAmount(cents int64, currency string) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, cents/100, cents%100, currency)
}
