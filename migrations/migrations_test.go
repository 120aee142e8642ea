package migrations_test

import (
	"context"
	"database/sql"
	"os"
	"reflect"
	"sort"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/reglo/reglo/migrations"
	"github.com/reglo/reglo/portal/storetest"
)

// columns lists table.column names of the public schema, in any dialect.
func columns(t *testing.T, db *sql.DB, dialect string) []string {
	t.Helper()
	q := `SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`
	if dialect == "sqlite" {
		q = `SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestDialectsReachSameVersionAndColumns(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Fatal("TEST_DATABASE_URL must point at PostgreSQL: parity cannot be proved on SQLite alone")
	}
	versions := map[string]int64{}
	cols := map[string][]string{}
	for _, d := range []string{"sqlite", "postgres"} {
		s := storetest.Open(t, d)
		db, err := s.DB.DB()
		if err != nil {
			t.Fatal(err)
		}
		v, err := migrations.Apply(context.Background(), db, s.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		versions[d] = v
		cols[d] = columns(t, db, d)
	}
	if versions["sqlite"] != versions["postgres"] || versions["sqlite"] == 0 {
		t.Fatalf("versions differ: %v", versions)
	}
	if !reflect.DeepEqual(cols["sqlite"], cols["postgres"]) {
		t.Fatalf("columns differ:\nsqlite:   %v\npostgres: %v", cols["sqlite"], cols["postgres"])
	}
	if len(cols["sqlite"]) < 50 {
		t.Fatalf("suspiciously few columns: %d", len(cols["sqlite"]))
	}
}

func TestSameFileNamesInBothDialects(t *testing.T) {
	names := func(d migrations.Dialect) []string {
		fsys, err := migrations.FS(d)
		if err != nil {
			t.Fatal(err)
		}
		ents, err := fsReadDir(fsys)
		if err != nil {
			t.Fatal(err)
		}
		return ents
	}
	pg, lite := names(migrations.Postgres), names(migrations.SQLite)
	if !reflect.DeepEqual(pg, lite) || len(pg) == 0 {
		t.Fatalf("migration files differ: postgres %v, sqlite %v", pg, lite)
	}
}

// Several processes starting at once on one PostgreSQL must not run the
// same migration twice: goose's session lock serialises them.
func TestConcurrentMigrationsOnPostgres(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Fatal("TEST_DATABASE_URL must point at PostgreSQL")
	}
	url := storetest.URL(t, "postgres")
	open := func() *sql.DB {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	// The test database comes migrated; start again from an empty schema.
	if _, err := open().Exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public"); err != nil {
		t.Fatal(err)
	}
	const processes = 4
	dbs := make([]*sql.DB, processes)
	for i := range dbs {
		dbs[i] = open()
	}
	versions := make(chan int64, processes)
	errs := make(chan error, processes)
	for _, db := range dbs {
		go func() {
			v, err := migrations.Apply(context.Background(), db, migrations.Postgres)
			versions <- v
			errs <- err
		}()
	}
	var first int64
	for i := range processes {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
		v := <-versions
		if i == 0 {
			first = v
		} else if v != first {
			t.Fatalf("processes reached versions %d and %d", first, v)
		}
	}
}
