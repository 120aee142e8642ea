// Package migrations holds Reglo's versioned SQL schema for PostgreSQL and
// SQLite and applies it with goose. The two dialects keep the same file names
// so that both always reach the same version (a test proves their parity).
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Dialect names a database family that has its own migration folder.
type Dialect string

// The dialects Reglo runs on.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// FS returns the migration files of one dialect.
func FS(d Dialect) (fs.FS, error) {
	switch d {
	case Postgres, SQLite:
		return fs.Sub(files, string(d))
	}
	return nil, fmt.Errorf("unknown dialect %q", d)
}

func provider(db *sql.DB, d Dialect) (*goose.Provider, error) {
	fsys, err := FS(d)
	if err != nil {
		return nil, err
	}
	if d == SQLite {
		// SQLite has one writer at a time: no lock is needed.
		return goose.NewProvider(goose.DialectSQLite3, db, fsys)
	}
	// Several `reglo serve` processes may start together on one
	// PostgreSQL: a session advisory lock lets one migrate at a time.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithSessionLocker(locker))
}

// Apply runs every pending migration and returns the version reached.
func Apply(ctx context.Context, db *sql.DB, d Dialect) (int64, error) {
	p, err := provider(db, d)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrations: apply: %w", err)
	}
	return p.GetDBVersion(ctx)
}
