package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/icld/partnerskap/internal/filestore"
)

// DamagedError is an archive Restore refuses: a checksum or size that
// differs from the manifest, an entry missing or not in the manifest, a
// path outside the data directory, or an archive cut short. Entry names
// the entry, when one is to blame.
type DamagedError struct {
	Entry  string
	Reason string
}

func (e *DamagedError) Error() string {
	if e.Entry == "" {
		return "backup archive damaged: " + e.Reason
	}
	return fmt.Sprintf("backup archive damaged: %s: %s", e.Entry, e.Reason)
}

func damaged(entry, format string, args ...any) error {
	return &DamagedError{Entry: entry, Reason: fmt.Sprintf(format, args...)}
}

// Target is where Restore writes: an empty (or new) data directory.
type Target struct {
	DataDir  string // must be empty or not exist
	DBPath   string // the SQLite file (in DataDir unless --database names another); must not exist
	FilesDir string // the file store's folder (DataDir/files)
	// Migration is the newest migration the program restoring knows; an
	// archive of a database beyond it, made by a newer program, is
	// refused. 0: not checked.
	Migration int64
}

// Verify reads the whole archive at from and checks it against its
// manifest: every entry's size and SHA-256, no entry missing or extra, no
// path outside the data directory, and a format version this package
// knows. It writes nothing.
func Verify(ctx context.Context, from string) (*Manifest, error) {
	return walk(ctx, from, nil, nil)
}

// Restore checks the archive at from (Verify) before it writes anything,
// then writes the database and the files into t, each through a
// temporary file that is synced and renamed, and checks the restored
// database with PRAGMA integrity_check. t must be empty; on an error,
// what Restore wrote is removed again.
func Restore(ctx context.Context, from string, t Target) (m *Manifest, err error) {
	if err := checkEmpty(t); err != nil {
		return nil, err
	}
	if m, err = Verify(ctx, from); err != nil {
		return nil, err
	}
	if t.Migration > 0 && m.Migration > t.Migration {
		return nil, fmt.Errorf("restore: the archive's database has migration %d, made by partnerskap %s; this partnerskap knows migrations up to %d: restore with that version or a newer one",
			m.Migration, m.AppVersion, t.Migration)
	}
	var written []string // files and folders to remove if the restore fails
	defer func() {
		if err != nil {
			for i := len(written) - 1; i >= 0; i-- {
				os.Remove(written[i])
			}
		}
	}()
	for _, dir := range []string{t.DataDir, filepath.Dir(t.DBPath), t.FilesDir} {
		created, err := mkdirAll(dir)
		written = append(written, created...)
		if err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	_, err = walk(ctx, from, m, func(name string, r io.Reader, want Entry) error {
		dest := t.DBPath
		if strings.HasPrefix(name, FilesPrefix) {
			dest = filepath.Join(t.FilesDir, strings.TrimPrefix(name, FilesPrefix))
		}
		if err := writeFile(dest, r, want); err != nil {
			return err
		}
		written = append(written, dest)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, dir := range []string{t.FilesDir, filepath.Dir(t.DBPath), t.DataDir} {
		if err := filestore.SyncDir(dir); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	info, err := inspect(ctx, t.DBPath)
	if err != nil {
		return nil, fmt.Errorf("restore: the restored database: %w", err)
	}
	for _, key := range info.keys {
		if _, err := os.Stat(filepath.Join(t.FilesDir, key)); err != nil {
			return nil, fmt.Errorf("restore: the database names the file %s, which the archive lacks", key)
		}
	}
	return m, nil
}

// checkEmpty refuses a data directory that holds anything, and a database
// file that exists.
func checkEmpty(t Target) error {
	ents, err := os.ReadDir(t.DataDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("restore: %w", err)
	}
	if len(ents) > 0 {
		return fmt.Errorf("restore: the data directory %s is not empty; restore into a new or empty directory", t.DataDir)
	}
	for _, p := range []string{t.DBPath, t.DBPath + "-wal", t.FilesDir} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("restore: %s exists; restore into a new or empty directory", p)
		}
	}
	return nil
}

// mkdirAll creates dir and its missing parents, returning those it
// created, outermost first.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append([]string{d}, missing...)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	return missing, nil
}

// writeFile writes what r yields to dest through a synced temporary
// file, checking it against want before it takes dest's name.
func writeFile(dest string, r io.Reader, want Entry) (err error) {
	f, err := os.CreateTemp(filepath.Dir(dest), ".tmp-restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := newHash()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return fmt.Errorf("restore: %s: %w", want.Path, err)
	}
	if n != want.Size || hexSum(h) != want.SHA256 {
		return damaged(want.Path, "changed since it was checked")
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("restore: %s: %w", want.Path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("restore: %s: %w", want.Path, err)
	}
	if err := os.Rename(f.Name(), dest); err != nil {
		return fmt.Errorf("restore: %s: %w", want.Path, err)
	}
	return nil
}

// walk reads the archive at from, hashing every entry, and checks it
// against the manifest. With write set (the second pass, after Verify
// returned checked), it hands write each entry but the manifest, with
// what checked says of it.
func walk(ctx context.Context, from string, checked *Manifest, write func(name string, r io.Reader, want Entry) error) (*Manifest, error) {
	f, err := os.Open(from)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, damaged("", "not a gzip archive: %v", err)
		}
		defer gz.Close()
		r = gz
	}
	want := map[string]Entry{}
	if checked != nil {
		for _, e := range checked.Entries {
			want[e.Path] = e
		}
	}
	got := map[string]Entry{}
	var order []string
	var rawManifest []byte
	tr := tar.NewReader(r)
	last := ""
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			where := "the start"
			if last != "" {
				where = "the entry after " + last
			}
			return nil, damaged("", "cannot read %s: %v", where, err)
		}
		name := hdr.Name
		if err := checkName(name); err != nil {
			return nil, damaged(name, "%v", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, damaged(name, "not a regular file (a link, folder or device); a backup holds only files")
		}
		if _, dup := got[name]; dup || (name == ManifestEntry && rawManifest != nil) {
			return nil, damaged(name, "in the archive twice")
		}
		if rawManifest != nil {
			return nil, damaged(name, "after the manifest, which is the last entry")
		}
		last = name
		if name == ManifestEntry {
			if rawManifest, err = io.ReadAll(io.LimitReader(tr, 64<<20)); err != nil {
				return nil, damaged(name, "cannot read it: %v", err)
			}
			continue
		}
		h := newHash()
		var src io.Reader = io.TeeReader(tr, h)
		if write != nil {
			e, ok := want[name]
			if !ok {
				return nil, damaged(name, "not in the manifest")
			}
			err = write(name, src, e)
		} else {
			_, err = io.Copy(io.Discard, src)
		}
		if err != nil && write != nil {
			return nil, err // after the first pass: a change since, or the target failing
		}
		if err != nil {
			return nil, damaged(name, "cannot read it: %v", err)
		}
		got[name] = Entry{Path: name, Size: hdr.Size, SHA256: hexSum(h)}
		order = append(order, name)
	}
	if rawManifest == nil {
		return nil, damaged(ManifestEntry, "missing (is this a partnerskap backup?)")
	}
	m := &Manifest{}
	if err := json.Unmarshal(rawManifest, m); err != nil {
		return nil, damaged(ManifestEntry, "not readable: %v", err)
	}
	if m.Format != FormatVersion {
		return nil, fmt.Errorf("restore: the archive has format version %d; this partnerskap reads version %d only", m.Format, FormatVersion)
	}
	if m.Engine != "sqlite" {
		return nil, fmt.Errorf("restore: the archive is of a %q database; restore reads SQLite backups only", m.Engine)
	}
	listed := map[string]bool{}
	for _, e := range m.Entries {
		if listed[e.Path] {
			return nil, damaged(e.Path, "in the manifest twice")
		}
		listed[e.Path] = true
		g, ok := got[e.Path]
		switch {
		case !ok:
			return nil, damaged(e.Path, "in the manifest but not in the archive")
		case g.Size != e.Size:
			return nil, damaged(e.Path, "%d bytes, the manifest says %d", g.Size, e.Size)
		case g.SHA256 != e.SHA256:
			return nil, damaged(e.Path, "SHA-256 %s differs from the manifest's %s", g.SHA256, e.SHA256)
		}
	}
	for _, name := range order {
		if !listed[name] {
			return nil, damaged(name, "not in the manifest")
		}
	}
	if !listed[DatabaseEntry] {
		return nil, damaged(DatabaseEntry, "missing")
	}
	return m, nil
}

// checkName accepts only the names a backup holds: the manifest, the
// database, and files/<key> with a key the file store could have made.
// So no absolute path, no "..", no folder, nothing outside the data
// directory.
func checkName(name string) error {
	switch {
	case name == ManifestEntry || name == DatabaseEntry:
		return nil
	case strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || path.Clean(name) != name || strings.Contains(name, ".."):
		return errors.New("a path outside the data directory (absolute or with ..)")
	case strings.HasPrefix(name, FilesPrefix) && filestore.CheckKey(strings.TrimPrefix(name, FilesPrefix)) == nil:
		return nil
	}
	return errors.New("not an entry a backup holds")
}
