package app

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/icld/partnerskap/internal/backup"
	"github.com/icld/partnerskap/internal/store/sqlite"
)

// ErrBackupPostgres is Backup's and Restore's answer on PostgreSQL, where
// the files are in the database and its own tools back up everything.
var ErrBackupPostgres = errors.New("on PostgreSQL the uploaded files are in the database: back up with pg_dump -Fc and restore with pg_restore (see README.md, \"Backup and restore\")")

// Backup writes one archive of the SQLite database and every stored file
// to the file to (package backup). It opens the database file directly,
// without the store, so it applies no migration to the database of a
// running server.
func Backup(ctx context.Context, cfg Config, appVersion, to string) (*backup.Manifest, error) {
	if cfg.IsPostgres() {
		return nil, ErrBackupPostgres
	}
	return backup.Create(ctx, backup.Source{DBPath: cfg.SQLitePath(), FilesDir: filesDir(cfg), AppVersion: appVersion}, to)
}

// Restore restores the archive from into the configured data directory,
// which must be empty. The next start of the server applies any
// migration the archive's database lacks.
func Restore(ctx context.Context, cfg Config, from string) (*backup.Manifest, error) {
	if cfg.IsPostgres() {
		return nil, ErrBackupPostgres
	}
	return backup.Restore(ctx, from, backup.Target{DataDir: cfg.DataDir, DBPath: cfg.SQLitePath(), FilesDir: filesDir(cfg),
		Migration: sqlite.LatestMigration()})
}

// filesDir is the folder the file store keeps files in on SQLite.
func filesDir(cfg Config) string { return filepath.Join(cfg.DataDir, "files") }
