package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrate applies each numbered migration in dir of fsys (0001_initial.sql,
// 0002_…) that schema_migrations does not record, in order, each in its own
// transaction (run, the engine's) together with its row there. The
// engines keep their own migration files (the schemas differ in types) and
// create schema_migrations first.
func Migrate(ctx context.Context, d *Dialect, fsys fs.FS, dir string, run func(fn func(*sql.Tx) error) error, now func() time.Time) error {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad name", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		err = run(func(sqlTx *sql.Tx) error {
			tx := &conn{sqlTx, d}
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", version).Scan(&n); err != nil || n > 0 {
				return err
			}
			// Run as it is, without arguments: pgx then sends the file by
			// the simple query protocol, which runs several statements.
			if _, err := sqlTx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", version, now())
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: migration %s: %w", d.Name, name, err)
		}
	}
	return nil
}
