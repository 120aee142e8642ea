package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/reglo/reglo/portal"
)

func cmdCreditorCreate(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("creditor create", "creditor create --name NAME [--currency EUR] [flags]", &cfg, false, stdout)
	name := fs.String("name", "", "the creditor's `name`, as debtors will see it (required)")
	currency := fs.String("currency", "EUR", "ISO 4217 `code` of its cases' currency")
	if err := fs.parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usagef("creditor create: --name is required")
	}
	log := newLogger(stderr, cfg.LogLevel)
	store, svc, err := openService(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	cr, key, err := svc.Core.CreateCreditor(ctx, portal.NewCreditor{Name: *name, Currency: *currency})
	if err != nil {
		return inputError("creditor create", err)
	}
	log.Info("creditor created", "creditor_id", cr.ID)
	return writeJSON(stdout, struct {
		ID     int64  `json:"id"`
		APIKey string `json:"api_key"`
	}{cr.ID, key})
}

func cmdUserCreate(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("user create", "user create --email E --password-stdin --role admin|agent [--creditor ID] [flags]", &cfg, false, stdout)
	email := fs.String("email", "", "login `email` (required)")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from standard input (required)")
	role := fs.String("role", "", "`admin` or agent (required)")
	creditor := fs.Int64("creditor", 0, "limit the login to the creditor with this `ID`")
	if err := fs.parse(args); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(*email) == "":
		return usagef("user create: --email is required")
	case !*passwordStdin:
		return usagef("user create: --password-stdin is required; the password is read from standard input, never from the command line")
	case *role != portal.RoleAdmin && *role != portal.RoleAgent:
		return usagef("user create: --role must be admin or agent")
	case *creditor < 0:
		return usagef("user create: --creditor must be a creditor id")
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	in := portal.NewUser{Email: *email, Password: password, Role: *role}
	if *creditor > 0 {
		in.CreditorID = creditor
	}
	log := newLogger(stderr, cfg.LogLevel)
	store, svc, err := openService(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := svc.Core.CreateUser(ctx, in)
	if err != nil {
		return inputError("user create", err)
	}
	log.Info("user created", "user_id", u.ID, "role", u.Role)
	return writeJSON(stdout, struct {
		ID         int64  `json:"id"`
		Email      string `json:"email"`
		Role       string `json:"role"`
		CreditorID *int64 `json:"creditor_id"`
	}{u.ID, u.Email, u.Role, u.CreditorID})
}

// readPassword reads the first line of stdin, without its line ending.
// Spaces inside and around the password are kept: they are part of it.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReaderSize(io.LimitReader(stdin, 4096), 4096).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("user create: no password on standard input (pipe it in, e.g. printf '%%s' \"$PASSWORD\" | reglo user create ...)")
	}
	return line, nil
}

// inputError turns a service's invalid-field error into a usage error that
// names the flag; other errors (a duplicate email...) are failures.
func inputError(cmd string, err error) error {
	var inv *portal.InvalidError
	if errors.As(err, &inv) {
		field := inv.Field
		if field != "password" {
			field = "--" + field
		}
		return usagef("%s: %s: %s", cmd, field, inv.Message)
	}
	var conflict *portal.ConflictError
	if errors.As(err, &conflict) {
		return fmt.Errorf("%s: %s", cmd, conflict.Message)
	}
	return fmt.Errorf("%s: %w", cmd, err)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
