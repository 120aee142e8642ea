// Package storetest gives each test a fresh, migrated database: SQLite
// always, and PostgreSQL when TEST_DATABASE_URL is set. CI sets it, so the
// PostgreSQL tests really run there; an unreachable server fails the test.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/portal"
)

// Dialects returns the dialect names the tests run on here.
func Dialects() []string {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest once per dialect, each with its own fresh
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, s *portal.Store)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated store of the dialect ("sqlite" or
// "postgres"), removed when the test ends.
func Open(t testing.TB, dialect string) *portal.Store {
	t.Helper()
	u := URL(t, dialect)
	s, err := portal.Open(context.Background(), u)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// URL returns the DATABASE_URL of a fresh migrated database of the
// dialect, dropped when the test ends. Several stores may open it, as
// several processes would.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case "sqlite":
		return "sqlite://" + filepath.Join(t.TempDir(), "reglo.db")
	case "postgres":
		return freshPostgres(t)
	}
	t.Fatalf("unknown dialect %q", dialect)
	return ""
}

// freshPostgres clones a migrated template database, which is much faster
// than migrating each test's database. The template is named after the
// migrations' content, so concurrent test processes share it and a schema
// change gets a new one; an advisory lock keeps its creation single.
func freshPostgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		t.Fatal("TEST_DATABASE_URL is not set")
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("PostgreSQL at TEST_DATABASE_URL cannot be reached: %v", err)
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		t.Fatalf("PostgreSQL at TEST_DATABASE_URL cannot be reached: %v", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7355608)"); err != nil {
		t.Fatalf("lock: %v", err)
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(7355608)")
	tmpl := "reglo_tmpl_" + schemaHash(t)
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tmpl).Scan(&exists); err != nil {
		t.Fatalf("look up template: %v", err)
	}
	if !exists {
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+tmpl); err != nil {
			t.Fatalf("create template: %v", err)
		}
		s, err := portal.Open(ctx, withDB(base, tmpl))
		if err != nil {
			conn.ExecContext(ctx, "DROP DATABASE "+tmpl)
			t.Fatalf("migrate template: %v", err)
		}
		s.Close()
	}
	name := "reglo_test_" + randomSuffix()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmpl)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	// A test database is thrown away: commits need not wait for the disk.
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
		t.Fatalf("test database settings: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return withDB(base, name)
}

// schemaHash names the migrations' content.
func schemaHash(t testing.TB) string {
	fsys, err := migrations.FS(migrations.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func withDB(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
