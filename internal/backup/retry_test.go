package backup

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCreateFileReplacedDuringBackup: a file the database copy names is
// replaced (new file, row changed, old file deleted) after the copy was
// taken and before the files are copied. The backup starts again and
// holds the new file, so the archive never names a file it lacks.
func TestCreateFileReplacedDuringBackup(t *testing.T) {
	dir := t.TempDir()
	src := Source{DBPath: filepath.Join(dir, "partnerskap.db"), FilesDir: filepath.Join(dir, "files")}
	db, err := sql.Open("sqlite", src.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
		`CREATE TABLE stories (id INTEGER PRIMARY KEY, image_key TEXT NOT NULL DEFAULT '')`,
		`INSERT INTO stories (image_key) VALUES ('OLD')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(src.FilesDir, 0o750)
	os.WriteFile(filepath.Join(src.FilesDir, "OLD"), []byte("old image"), 0o600)

	calls := 0
	afterSnapshot = func() {
		calls++
		if calls == 1 {
			os.WriteFile(filepath.Join(src.FilesDir, "NEW"), []byte("new image"), 0o600)
			if _, err := db.Exec(`UPDATE stories SET image_key = 'NEW'`); err != nil {
				t.Error(err)
			}
			os.Remove(filepath.Join(src.FilesDir, "OLD"))
		}
	}
	defer func() { afterSnapshot = func() {} }()
	to := filepath.Join(t.TempDir(), "b.tar")
	m, err := Create(context.Background(), src, to)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range m.Entries {
		paths = append(paths, e.Path)
	}
	if calls != 2 || strings.Join(paths, " ") != "database/partnerskap.db files/NEW" {
		t.Errorf("%d attempts, entries %v", calls, paths)
	}
	if left, _ := os.ReadDir(filepath.Dir(to)); len(left) != 1 {
		t.Errorf("beside the archive: %v", left)
	}
	tg := Target{DataDir: filepath.Join(t.TempDir(), "r")}
	tg.DBPath, tg.FilesDir = filepath.Join(tg.DataDir, "partnerskap.db"), filepath.Join(tg.DataDir, "files")
	if _, err := Restore(context.Background(), to, tg); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(tg.FilesDir, "NEW")); err != nil || string(b) != "new image" {
		t.Errorf("restored: %q %v", b, err)
	}
}
