package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/outreach"
)

// cmdRemindersPreview is "reglo reminders preview --reference REF
// [--creditor ID] [--days 90]": one JSON object a line per message the
// case's scenario would send, sending nothing.
func cmdRemindersPreview(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("reminders preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ref := fs.String("reference", "", "the case reference")
	creditor := fs.Int64("creditor", 0, "the creditor's id, when several have the reference")
	days := fs.Int("days", 90, "how many days ahead")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usagef("%v", err)
	}
	if *ref == "" {
		return usagef("reminders preview needs --reference REF")
	}
	if *days < 1 || *days > 730 {
		return usagef("--days must be between 1 and 730")
	}
	store, err := portal.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	q := store.DB.WithContext(ctx).Where("reference = ?", *ref)
	if *creditor != 0 {
		q = q.Where("creditor_id = ?", *creditor)
	}
	var cases []portal.Case
	if err := q.Find(&cases).Error; err != nil {
		return err
	}
	if len(cases) != 1 {
		return usagef("%d cases have the reference %q; want exactly one (use --creditor ID)", len(cases), *ref)
	}
	core := portal.NewService(store, nil, nil, cfg.BaseURL, newLogger(stderr, cfg.LogLevel))
	planned, err := outreach.New(core, nil, nil).Preview(ctx, cases[0].ID, *days)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	for _, p := range planned {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return nil
}
