// Package backup writes and restores one archive holding everything a
// partnerskap installation on SQLite keeps: a consistent copy of the
// database and every stored file (the data directory's files/ folder),
// with a manifest of their sizes and SHA-256 checksums.
//
// The archive is a tar file, gzip-compressed when its name ends in .gz or
// .tgz. Its entries are database/partnerskap.db, files/<key> for each
// stored file, and manifest.json last. Create takes the database copy
// first (VACUUM INTO, one read transaction, safe while the server runs)
// and the files after it: files are written once under a new key and
// never rewritten, so a file the copy names is either still there or was
// deleted after the copy was taken, in which case Create takes a new copy
// and starts again. Restore reads the whole archive and checks every
// checksum before it writes anything.
//
// On PostgreSQL the files are in the database (the blobs table), and
// pg_dump / pg_restore back up and restore everything; this package is
// for SQLite only.
package backup

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/filestore"
	_ "modernc.org/sqlite" // the driver the store uses, for the copy and its checks
)

// FormatVersion is the archive format this package writes and the only
// one Restore accepts.
const FormatVersion = 1

// The archive's entries.
const (
	ManifestEntry = "manifest.json"
	DatabaseEntry = "database/partnerskap.db"
	FilesPrefix   = "files/"
)

// Manifest describes an archive: written last into it, checked first by
// Restore.
type Manifest struct {
	Format     int       `json:"format"`
	CreatedAt  time.Time `json:"created_at"`
	Engine     string    `json:"engine"`      // always "sqlite"
	AppVersion string    `json:"app_version"` // the partnerskap that wrote it
	Migration  int64     `json:"migration"`   // the highest migration the database has
	Entries    []Entry   `json:"entries"`     // every entry but the manifest, in archive order
}

// Entry is one file in the archive.
type Entry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Source is what Create copies.
type Source struct {
	DBPath     string // the SQLite file
	FilesDir   string // the folder of stored files (data/files); may not exist when nothing was uploaded
	AppVersion string
	Now        func() time.Time // nil: time.Now
}

// FileColumns lists every column that names a file in the file store,
// as table.column. Create checks that each file they name is in the
// archive; a test checks that every *_key column of the schema is here or
// in notFileColumns.
var FileColumns = []string{
	"attachments.storage_key",
	"activities.evidence_key",
	"stories.image_key",
	"materials.file_key",
}

// attempts bounds how often Create starts again because a file the
// database copy names was deleted before it was read (the file was
// replaced or removed after the copy was taken).
const attempts = 5

// afterSnapshot is called between taking the database copy and copying
// the files; a test deletes a file there, as a replaced upload would be.
var afterSnapshot = func() {}

// Create writes the archive of src to the file to, through a temporary
// file in the same folder renamed at the end, so to is never a half-written
// archive. It returns the manifest written.
func Create(ctx context.Context, src Source, to string) (*Manifest, error) {
	if _, err := os.Stat(src.DBPath); err != nil {
		return nil, fmt.Errorf("backup: no database to back up at %s: %w", src.DBPath, err)
	}
	dir := filepath.Dir(to)
	work, err := os.MkdirTemp(dir, ".partnerskap-backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)
	var missing []string
	for range attempts {
		m, gone, err := create(ctx, src, to, work)
		if err != nil || len(gone) == 0 {
			return m, err
		}
		missing = gone
	}
	return nil, fmt.Errorf("backup: the database names files that are not in %s: %s", src.FilesDir, strings.Join(missing, ", "))
}

// create is one attempt of Create. gone lists the files the database copy
// names that were not found; the caller tries again.
func create(ctx context.Context, src Source, to, work string) (m *Manifest, gone []string, err error) {
	snap := filepath.Join(work, "snapshot.db")
	os.Remove(snap) // from an earlier attempt
	if err := snapshot(ctx, src.DBPath, snap); err != nil {
		return nil, nil, err
	}
	info, err := inspect(ctx, snap)
	if err != nil {
		return nil, nil, fmt.Errorf("backup: the copy of the database: %w", err)
	}
	afterSnapshot()
	now := time.Now
	if src.Now != nil {
		now = src.Now
	}
	m = &Manifest{Format: FormatVersion, CreatedAt: now().UTC().Truncate(time.Second), Engine: "sqlite",
		AppVersion: src.AppVersion, Migration: info.migration}

	f, err := os.CreateTemp(filepath.Dir(to), ".tmp-"+filepath.Base(to)+"-*")
	if err != nil {
		return nil, nil, fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if err != nil || len(gone) > 0 {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	var w io.Writer = f
	var gz *gzip.Writer
	if compressed(to) {
		gz = gzip.NewWriter(f)
		w = gz
	}
	tw := newTarWriter(w)
	e, err := tw.addFile(ctx, DatabaseEntry, snap)
	if err != nil {
		return nil, nil, err
	}
	m.Entries = append(m.Entries, e)

	// Every stored file: those the copy names and any other (a file
	// uploaded after the copy, or one whose record is gone), which does
	// no harm in a restore.
	names, err := storedFiles(src.FilesDir)
	if err != nil {
		return nil, nil, err
	}
	in := map[string]bool{}
	for _, key := range names {
		e, err := tw.addFile(ctx, FilesPrefix+key, filepath.Join(src.FilesDir, key))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since it was listed; checked below if the copy names it
		}
		if err != nil {
			return nil, nil, err
		}
		in[key] = true
		m.Entries = append(m.Entries, e)
	}
	for _, key := range info.keys {
		if !in[key] {
			gone = append(gone, key)
		}
	}
	if len(gone) > 0 {
		return nil, gone, nil
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	if err := tw.addBytes(ManifestEntry, b); err != nil {
		return nil, nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, nil, fmt.Errorf("backup: %w", err)
	}
	if gz != nil {
		if err := gz.Close(); err != nil {
			return nil, nil, fmt.Errorf("backup: %w", err)
		}
	}
	if err := f.Sync(); err != nil {
		return nil, nil, fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, nil, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(f.Name(), to); err != nil {
		return nil, nil, fmt.Errorf("backup: %w", err)
	}
	if err := filestore.SyncDir(filepath.Dir(to)); err != nil {
		return nil, nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil, nil
}

// compressed reports whether an archive named name is gzip-compressed.
func compressed(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".gz") || strings.HasSuffix(n, ".tgz")
}

// snapshot copies the database at path into the new file to, as one read
// transaction: what was committed when it began, whatever the server
// writes meanwhile.
func snapshot(ctx context.Context, path, to string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", to); err != nil {
		return fmt.Errorf("backup: copy the database %s: %w", path, err)
	}
	return nil
}

// dbInfo is what Create and Restore learn from a database copy.
type dbInfo struct {
	migration int64
	keys      []string // the files it names, sorted
}

// inspect checks a database copy with PRAGMA integrity_check and reads
// its migration level and the files it names.
func inspect(ctx context.Context, path string) (*dbInfo, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return nil, err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("integrity check failed: %s", strings.Join(problems, "; "))
	}
	info := &dbInfo{}
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&info.migration); err != nil {
		return nil, fmt.Errorf("migration level: %w", err)
	}
	var parts []string
	for _, tc := range FileColumns {
		table, column, _ := strings.Cut(tc, ".")
		var n int
		// A column a migration has not added yet (an older database) names no file.
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", table, column).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("SELECT %s FROM %s WHERE %s <> ''", column, table, column))
		}
	}
	if len(parts) > 0 {
		rows, err := db.QueryContext(ctx, strings.Join(parts, " UNION ")+" ORDER BY 1")
		if err != nil {
			return nil, fmt.Errorf("files named: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				return nil, err
			}
			info.keys = append(info.keys, k)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("files named: %w", err)
		}
	}
	return info, nil
}

// storedFiles lists the files in the file store's folder, by name: only
// keys the store could have made, so no temporary file of an upload in
// progress (".tmp-…").
func storedFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() && filestore.CheckKey(e.Name()) == nil {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

func newHash() hash.Hash { return sha256.New() }

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }
