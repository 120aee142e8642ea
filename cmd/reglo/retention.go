package main

import (
	"context"
	"io"

	"github.com/reglo/reglo/portal"
)

// cmdRetentionRun is `reglo retention run [--dry-run]`: applies the
// retention rules (CONTRACT.md "Privacy") and prints a JSON summary; with
// --dry-run it says what it would do and changes nothing.
func cmdRetentionRun(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("retention run", "retention run [--dry-run] [flags]", &cfg, false, stdout)
	fs.StringVar(&cfg.DocumentsDir, "documents-dir", cfg.DocumentsDir, "`directory` of proof documents (DOCUMENTS_DIR)")
	dryRun := fs.Bool("dry-run", false, "list what would be done, change nothing")
	if err := fs.parse(args); err != nil {
		return err
	}
	store, err := portal.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	core := portal.NewService(store, portal.DiskStorage{Dir: cfg.DocumentsDir}, nil, cfg.BaseURL, newLogger(stderr, cfg.LogLevel))
	rep, err := core.RunRetention(ctx, *dryRun)
	if err != nil {
		return err
	}
	return writeJSON(stdout, rep)
}
