package filestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/icld/partnerskap/internal/store"
)

// Dir keeps each file in a folder, named by its key.
type Dir struct {
	path string
}

var _ Store = (*Dir)(nil)

// NewDir returns a file store in the folder path, creating it if needed.
func NewDir(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o750); err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	return &Dir{path: path}, nil
}

// Put writes r to a temporary file in the folder, syncs it, and renames it
// to key, then syncs the folder: once Put returns, the file is whole and
// survives a power cut, and a crash half-way leaves at most a temporary
// file (".tmp-…"), never a partial file under key.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader) (size int64, sum string, err error) {
	if err := checkKey(key); err != nil {
		return 0, "", err
	}
	final := filepath.Join(d.path, key)
	if _, err := os.Lstat(final); err == nil {
		return 0, "", fmt.Errorf("filestore: put %s: %w", key, store.ErrConflict)
	}
	f, err := os.CreateTemp(d.path, ".tmp-*")
	if err != nil {
		return 0, "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	hw := newHashingWriter(f)
	if _, err = io.Copy(hw, ctxReader{ctx, r}); err != nil {
		return 0, "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	if err = f.Sync(); err != nil {
		return 0, "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	if err = f.Close(); err != nil {
		return 0, "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	if err = os.Rename(f.Name(), final); err != nil {
		return 0, "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	if err := SyncDir(d.path); err != nil {
		return 0, "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	return hw.n, hw.sum(), nil
}

// Open opens the file under key.
func (d *Dir) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(d.path, key))
	if errors.Is(err, fs.ErrNotExist) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("filestore: open %s: %w", key, err)
	}
	return f, nil
}

// Delete removes the file under key.
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(d.path, key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("filestore: delete %s: %w", key, err)
	}
	return nil
}

// SyncDir makes a rename in dir durable (the backup's renames too). Windows cannot sync a folder (and
// does not need to); there it does nothing.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
