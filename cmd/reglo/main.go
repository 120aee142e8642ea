// Command reglo runs Reglo, the debtor self-service payment portal: the web
// server, its migrations, a demo with sample data, and the set-up commands
// that create creditors and back-office logins. The outside contract names every
// command and environment variable; this file keeps them exactly.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	// Creditors' calendar days are computed in their time zone (Europe/Paris
	// by default); embedding the zone database makes that work in minimal
	// containers that ship none.
	_ "time/tzdata"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal starts a graceful shutdown, a second one
		// gets the default behaviour and stops the process at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError is a mistake in how reglo was called: a wrong command, flag or
// setting. It exits with status 2 and says what to change.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// env reads one environment variable; tests pass a map's lookup.
type env func(string) string

// run is the whole program behind main, with its inputs and outputs passed
// in so that tests can drive it in-process. ctx ends on SIGINT or SIGTERM.
func run(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, getenv, stdin, stdout, stderr)
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "reglo: %s\nRun 'reglo help' for usage.\n", ue.msg)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "reglo: %v\n", err)
		return exitFailure
	}
}

// errHelp means the usage text was asked for and printed.
var errHelp = errors.New("help")

func dispatch(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return &usageError{msg: "no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usageText)
		return errHelp
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, getenv, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, getenv, stdout, stderr)
	case "creditor":
		if len(rest) == 0 || rest[0] != "create" {
			return usagef(`"reglo creditor" needs a subcommand: reglo creditor create --name NAME [--currency EUR]`)
		}
		return cmdCreditorCreate(ctx, rest[1:], getenv, stdout, stderr)
	case "user":
		if len(rest) == 0 || rest[0] != "create" {
			return usagef(`"reglo user" needs a subcommand: reglo user create --email E --password-stdin --role admin|agent [--creditor ID]`)
		}
		return cmdUserCreate(ctx, rest[1:], getenv, stdin, stdout, stderr)
	case "reminders":
		if len(rest) == 0 || rest[0] != "preview" {
			return usagef(`"reglo reminders" needs a subcommand: reglo reminders preview --reference REF [--creditor ID] [--days 90]`)
		}
		return cmdRemindersPreview(ctx, rest[1:], getenv, stdout, stderr)
	case "retention":
		if len(rest) == 0 || rest[0] != "run" {
			return usagef(`"reglo retention" needs a subcommand: reglo retention run [--dry-run]`)
		}
		return cmdRetentionRun(ctx, rest[1:], getenv, stdout, stderr)
	case "privacy":
		if len(rest) == 0 || rest[0] != "export" {
			return usagef(`"reglo privacy" needs a subcommand: reglo privacy export --reference REF [--creditor ID]`)
		}
		return cmdPrivacyExport(ctx, rest[1:], getenv, stdout, stderr)
	case "stripe":
		sub := ""
		if len(rest) > 0 {
			sub = rest[0]
		}
		switch sub {
		case "simulate-payment":
			return cmdStripeSimulatePayment(ctx, rest[1:], getenv, stdout, stderr)
		case "reconcile":
			return cmdStripeReconcile(ctx, rest[1:], getenv, stdout, stderr)
		}
		return usagef(`"reglo stripe" needs a subcommand: reglo stripe reconcile [--since RFC3339] or reglo stripe simulate-payment --reference REF [--amount CENTS]`)
	}
	return usagef("unknown command %q", cmd)
}

const usageText = `Reglo: a self-service payment portal for amicable debt collection.

Usage:
  reglo serve      apply pending migrations, then serve HTTP until SIGINT or SIGTERM
  reglo migrate    apply pending migrations and exit
  reglo demo       load demo data, print the logins and debtor links, then serve
  reglo creditor create --name NAME [--currency EUR]
                   create a creditor; prints {"id": ..., "api_key": "..."}
                   (the key is shown only this once)
  reglo user create --email E --password-stdin --role admin|agent [--creditor ID]
                   create a back-office login; the password is read from stdin
  reglo reminders preview --reference REF [--creditor ID] [--days 90]
                   print, one JSON object a line, the reminders the case's
                   scenario would send over the next days; sends nothing
  reglo retention run [--dry-run]
                   anonymise cases paid or closed for 5 years, delete expired
                   sessions, links and CSRF rows; prints a JSON summary
  reglo privacy export --reference REF [--creditor ID]
                   print the case's subject-access export (JSON: everything
                   held about the debtor, the timeline included)
  reglo stripe reconcile [--since RFC3339]
                   apply the Stripe events (default: of the last 3 days) whose
                   webhook never arrived; prints {"seen": n, "applied": n, ...}
                   (every serve process also does this every minute)
  reglo stripe simulate-payment --reference REF [--amount CENTS]
                   for local trials against stripe-mock: post to BASE_URL a
                   checkout.session.completed for the case, signed with
                   STRIPE_WEBHOOK_SECRET as Stripe signs it
  reglo help       show this text

Configuration comes from the environment; the flags in brackets override it.
  DATABASE_URL           sqlite://reglo.db       postgres://... or sqlite://PATH   [--database-url]
  ADDR                   :8080                   listen address                    [--addr]
  BASE_URL               http://localhost:8080   public URL in links and redirects [--base-url]
  REGLO_SECRET           (none)                  signing key for sessions; serve needs it,
                                                 demo generates one when it is unset;
                                                 several comma-separated keys rotate
  STRIPE_SECRET_KEY      (none)                  without it card payment is off
  STRIPE_WEBHOOK_SECRET  (none)                  whsec_... to verify webhooks
  STRIPE_API_BASE        Stripe's own            e.g. http://localhost:12111 for stripe-mock
  DOCUMENTS_DIR          ./documents             where proof documents are stored  [--documents-dir]
  TRUSTED_PROXIES        (none)                  comma-separated proxy IPs or CIDRs whose
                                                 X-Forwarded-For is believed
  LOG_LEVEL              info                    debug, info, warn or error

Exit status: 0 on success, 2 for a usage or configuration error, 1 for any other failure.
`
