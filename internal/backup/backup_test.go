package backup_test

import (
	"archive/tar"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/backup"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/sqlite"
)

// source makes a small data directory: a database whose materials name
// the files written beside it, and one file no row names.
func source(t *testing.T, files map[string]string, named ...string) backup.Source {
	t.Helper()
	dir := t.TempDir()
	src := backup.Source{DBPath: filepath.Join(dir, "partnerskap.db"), FilesDir: filepath.Join(dir, "files"), AppVersion: "test"}
	db, err := sql.Open("sqlite", src.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec(t, db, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`)
	exec(t, db, `INSERT INTO schema_migrations VALUES (18, '2026-12-07')`)
	exec(t, db, `CREATE TABLE materials (id INTEGER PRIMARY KEY, file_key TEXT NOT NULL DEFAULT '')`)
	exec(t, db, `INSERT INTO materials (file_key) VALUES ('')`) // a link, no file
	for _, k := range named {
		exec(t, db, `INSERT INTO materials (file_key) VALUES (?)`, k)
	}
	if err := os.MkdirAll(src.FilesDir, 0o750); err != nil {
		t.Fatal(err)
	}
	for k, v := range files {
		if err := os.WriteFile(filepath.Join(src.FilesDir, k), []byte(v), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func target(t *testing.T) backup.Target {
	dir := filepath.Join(t.TempDir(), "restored")
	return backup.Target{DataDir: dir, DBPath: filepath.Join(dir, "partnerskap.db"), FilesDir: filepath.Join(dir, "files")}
}

var someFiles = map[string]string{
	"KEYA": "första filen\x00\xff",
	"KEYB": strings.Repeat("b", 100_000),
	"KEYC": "", // an empty file is a file
}

func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"backup.tar", "backup.tar.gz"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			src := source(t, someFiles, "KEYA", "KEYB")
			// What an upload in progress leaves is not a stored file.
			os.WriteFile(filepath.Join(src.FilesDir, ".tmp-123"), []byte("half"), 0o640)
			to := filepath.Join(t.TempDir(), name)
			m, err := backup.Create(ctx, src, to)
			if err != nil {
				t.Fatal(err)
			}
			if m.Format != 1 || m.Engine != "sqlite" || m.Migration != 18 || m.AppVersion != "test" || len(m.Entries) != 4 {
				t.Errorf("manifest %+v", m)
			}
			left, _ := os.ReadDir(filepath.Dir(to))
			if len(left) != 1 {
				t.Errorf("beside the archive: %v", left)
			}
			tg := target(t)
			if _, err := backup.Restore(ctx, to, tg); err != nil {
				t.Fatal(err)
			}
			for k, v := range someFiles {
				if b, err := os.ReadFile(filepath.Join(tg.FilesDir, k)); err != nil || string(b) != v {
					t.Errorf("restored %s: %d bytes, %v", k, len(b), err)
				}
			}
			if ents, _ := os.ReadDir(tg.FilesDir); len(ents) != len(someFiles) {
				t.Errorf("restored files: %v", ents)
			}
			db, _ := sql.Open("sqlite", tg.DBPath)
			defer db.Close()
			var keys string
			if err := db.QueryRow(`SELECT group_concat(file_key, ',') FROM materials WHERE file_key <> ''`).Scan(&keys); err != nil || keys != "KEYA,KEYB" {
				t.Errorf("restored rows: %q, %v", keys, err)
			}
			// Not by a program that knows fewer migrations than the archive's database has.
			older := target(t)
			older.Migration = 17
			if _, err := backup.Restore(ctx, to, older); err == nil || !strings.Contains(err.Error(), "has migration 18, made by partnerskap test; this partnerskap knows migrations up to 17") {
				t.Errorf("restore by an older program: %v", err)
			}
			if _, err := os.Stat(older.DataDir); err == nil {
				t.Error("the refused restore wrote")
			}
			// Not again into the same place, nor into any directory in use.
			if _, err := backup.Restore(ctx, to, tg); err == nil || !strings.Contains(err.Error(), "is not empty") {
				t.Errorf("restore into a full directory: %v", err)
			}
		})
	}
}

func TestCreateRefusesMissingFile(t *testing.T) {
	src := source(t, someFiles, "KEYA", "GONE")
	to := filepath.Join(t.TempDir(), "b.tar")
	_, err := backup.Create(context.Background(), src, to)
	if err == nil || !strings.Contains(err.Error(), "GONE") {
		t.Errorf("backup of a database naming a missing file: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Dir(to)); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestCreateNeedsDatabase(t *testing.T) {
	_, err := backup.Create(context.Background(), backup.Source{DBPath: filepath.Join(t.TempDir(), "none.db")}, filepath.Join(t.TempDir(), "b.tar"))
	if err == nil || !strings.Contains(err.Error(), "no database to back up") {
		t.Errorf("got %v", err)
	}
}

// archive makes a good archive and returns its bytes (uncompressed tar,
// so a test can change one entry's content).
func archive(t *testing.T) []byte {
	t.Helper()
	to := filepath.Join(t.TempDir(), "b.tar")
	if _, err := backup.Create(context.Background(), source(t, someFiles, "KEYA"), to); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(to)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// restoreBytes writes b to a file and restores it into a new directory,
// checking that a refused archive leaves nothing behind.
func restoreBytes(t *testing.T, b []byte) error {
	t.Helper()
	from := filepath.Join(t.TempDir(), "b.tar")
	if err := os.WriteFile(from, b, 0o640); err != nil {
		t.Fatal(err)
	}
	tg := target(t)
	_, err := backup.Restore(context.Background(), from, tg)
	if err != nil {
		if _, serr := os.Stat(tg.DataDir); serr == nil {
			t.Errorf("a refused restore created %s", tg.DataDir)
		}
	}
	return err
}

func TestRestoreRefusesFlippedByte(t *testing.T) {
	good := archive(t)
	if err := restoreBytes(t, good); err != nil {
		t.Fatalf("the good archive: %v", err)
	}
	for _, tt := range []struct{ in, entry string }{
		{"första filen", "files/KEYA"},
		{strings.Repeat("b", 100), "files/KEYB"},
		{"SQLite format 3", "database/partnerskap.db"},
	} {
		i := bytes.Index(good, []byte(tt.in))
		if i < 0 {
			t.Fatalf("%q not in the archive", tt.in)
		}
		bad := bytes.Clone(good)
		bad[i+5] ^= 0x01
		err := restoreBytes(t, bad)
		var de *backup.DamagedError
		if !errors.As(err, &de) || de.Entry != tt.entry || !strings.Contains(err.Error(), "SHA-256") {
			t.Errorf("a byte flipped in %s: %v", tt.entry, err)
		}
	}
	// In a compressed archive the flip is found too, and named.
	to := filepath.Join(t.TempDir(), "b.tar.gz")
	if _, err := backup.Create(context.Background(), source(t, someFiles, "KEYA"), to); err != nil {
		t.Fatal(err)
	}
	gz, _ := os.ReadFile(to)
	gz[len(gz)/2] ^= 0x40
	if err := restoreBytes(t, gz); err == nil || !strings.Contains(err.Error(), "backup archive damaged") {
		t.Errorf("a byte flipped in a gzip archive: %v", err)
	}
	// Cut short.
	if err := restoreBytes(t, good[:len(good)/2]); err == nil || !strings.Contains(err.Error(), "backup archive damaged") {
		t.Errorf("half an archive: %v", err)
	}
}

// entries reads a tar's entries, to make changed archives from.
func entries(t *testing.T, b []byte) (hdrs []*tar.Header, data [][]byte) {
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		d, _ := io.ReadAll(tr)
		hdrs, data = append(hdrs, h), append(data, d)
	}
}

func build(t *testing.T, hdrs []*tar.Header, data [][]byte) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i, h := range hdrs {
		h.Size = int64(len(data[i]))
		if h.Typeflag != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write(data[i])
	}
	tw.Close()
	return buf.Bytes()
}

func TestRestoreRefusesChangedArchives(t *testing.T) {
	good := archive(t)
	change := func(fn func(hdrs []*tar.Header, data [][]byte) ([]*tar.Header, [][]byte)) []byte {
		h, d := entries(t, good)
		h, d = fn(h, d)
		return build(t, h, d)
	}
	named := func(name string) func([]*tar.Header, [][]byte) int {
		return func(h []*tar.Header, _ [][]byte) int {
			return slices.IndexFunc(h, func(x *tar.Header) bool { return x.Name == name })
		}
	}
	manifestAt := named("manifest.json")
	for _, tt := range []struct {
		name string
		b    []byte
		want string
	}{
		{"a file missing", change(func(h []*tar.Header, d [][]byte) ([]*tar.Header, [][]byte) {
			i := named("files/KEYB")(h, d)
			return slices.Delete(h, i, i+1), slices.Delete(d, i, i+1)
		}), "files/KEYB: in the manifest but not in the archive"},
		{"a file added", change(func(h []*tar.Header, d [][]byte) ([]*tar.Header, [][]byte) {
			i := manifestAt(h, d)
			return slices.Insert(h, i, &tar.Header{Name: "files/EXTRA", Typeflag: tar.TypeReg, Mode: 0o640}), slices.Insert(d, i, []byte("x"))
		}), "files/EXTRA: not in the manifest"},
		{"traversal", change(func(h []*tar.Header, d [][]byte) ([]*tar.Header, [][]byte) {
			return slices.Insert(h, 0, &tar.Header{Name: "files/../../etc/cron.d/x", Typeflag: tar.TypeReg, Mode: 0o640}), slices.Insert(d, 0, []byte("x"))
		}), "files/../../etc/cron.d/x: a path outside the data directory"},
		{"absolute", change(func(h []*tar.Header, d [][]byte) ([]*tar.Header, [][]byte) {
			return slices.Insert(h, 0, &tar.Header{Name: "/etc/passwd", Typeflag: tar.TypeReg, Mode: 0o640}), slices.Insert(d, 0, []byte("x"))
		}), "/etc/passwd: a path outside the data directory"},
		{"symlink", change(func(h []*tar.Header, d [][]byte) ([]*tar.Header, [][]byte) {
			return slices.Insert(h, 0, &tar.Header{Name: "files/LINK", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd", Mode: 0o777}), slices.Insert(d, 0, []byte(nil))
		}), "files/LINK: not a regular file"},
		{"unknown format", change(func(h []*tar.Header, d [][]byte) ([]*tar.Header, [][]byte) {
			i := manifestAt(h, d)
			d[i] = bytes.Replace(d[i], []byte(`"format": 1`), []byte(`"format": 2`), 1)
			return h, d
		}), "format version 2; this partnerskap reads version 1 only"},
		{"no manifest", change(func(h []*tar.Header, d [][]byte) ([]*tar.Header, [][]byte) {
			i := manifestAt(h, d)
			return h[:i], d[:i]
		}), "manifest.json: missing"},
		{"not an archive", []byte("hello, I am not a tar file at all, but some text of some length to fill a block" + strings.Repeat(".", 600)), "backup archive damaged"},
	} {
		err := restoreBytes(t, tt.b)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestFileColumnsComplete fails when a migration adds a column that names
// a file (…_key) that the backup does not check: add it to
// backup.FileColumns, or here if it names no file.
func TestFileColumnsComplete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := sqlite.Open(context.Background(), path, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	notFileColumns := []string{"attachments.field_key", "settings.key", "blobs.key"}
	db, _ := sql.Open("sqlite", path)
	defer db.Close()
	rows, err := db.Query(`SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND (c.name LIKE '%\_key' ESCAPE '\' OR c.name = 'key')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var col string
		rows.Scan(&col)
		if !slices.Contains(backup.FileColumns, col) && !slices.Contains(notFileColumns, col) {
			t.Errorf("column %s: does it name a file in the file store? Add it to backup.FileColumns or to notFileColumns", col)
		}
	}
	for _, col := range backup.FileColumns {
		table, column, _ := strings.Cut(col, ".")
		var n int
		db.QueryRow(`SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, table, column).Scan(&n)
		if n != 1 {
			t.Errorf("backup.FileColumns names %s, which the schema lacks", col)
		}
	}
}
