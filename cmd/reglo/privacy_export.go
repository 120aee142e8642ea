package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/reglo/reglo/portal"
)

// cmdPrivacyExport is `reglo privacy export --reference REF [--creditor ID]`:
// the case's subject-access export (everything Reglo holds about the
// debtor, the timeline included) as JSON on stdout.
func cmdPrivacyExport(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("privacy export", "privacy export --reference REF [--creditor ID] [flags]", &cfg, false, stdout)
	ref := fs.String("reference", "", "the case `reference` (required)")
	creditor := fs.Int64("creditor", 0, "the creditor's `ID`, when several have the reference")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *ref == "" {
		return usagef("privacy export needs --reference REF")
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
	core.Collector = cfg.Collector
	out, err := core.SubjectAccessExport(ctx, cases[0].ID)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
