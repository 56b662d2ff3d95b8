package filestore

import (
	"bytes"
	"context"
	"fmt"
	"io"
)

// DB keeps files in the database, in the blobs table.
type DB struct {
	blobs Blobs
}

// Blobs is the database's side of DB; *sqlite.Store and *postgres.Store
// have it.
type Blobs interface {
	PutBlob(ctx context.Context, key string, data []byte) error
	GetBlob(ctx context.Context, key string) ([]byte, error)
	DeleteBlob(ctx context.Context, key string) error
}

var _ Store = (*DB)(nil)

// MaxDBFile is the largest file DB takes: it holds a file in memory while
// it stores it. Uploads are checked against attachment.MaxSize first.
const MaxDBFile = 64 << 20

// NewDB returns a file store in the database b.
func NewDB(b Blobs) *DB { return &DB{blobs: b} }

// Put reads r into memory and stores it in one statement, so a file is in
// the database whole or not at all.
func (d *DB) Put(ctx context.Context, key string, r io.Reader) (int64, string, error) {
	if err := checkKey(key); err != nil {
		return 0, "", err
	}
	var buf bytes.Buffer
	hw := newHashingWriter(&buf)
	n, err := io.Copy(hw, io.LimitReader(ctxReader{ctx, r}, MaxDBFile+1))
	if err != nil {
		return 0, "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	if n > MaxDBFile {
		return 0, "", fmt.Errorf("filestore: put %s: larger than %d bytes", key, MaxDBFile)
	}
	data := buf.Bytes()
	if data == nil {
		data = []byte{} // an empty file, not NULL
	}
	if err := d.blobs.PutBlob(ctx, key, data); err != nil {
		return 0, "", fmt.Errorf("filestore: %w", err)
	}
	return hw.n, hw.sum(), nil
}

// Open reads the file under key into memory. What it returns also seeks,
// like a file in a folder, so a download (ranges, revalidation) is served
// from these bytes without copying them again.
func (d *DB) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	data, err := d.blobs.GetBlob(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	return memFile{bytes.NewReader(data)}, nil
}

// memFile is a blob read into memory: a reader that seeks and closes.
type memFile struct{ *bytes.Reader }

func (memFile) Close() error { return nil }

// Delete removes the file under key.
func (d *DB) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := d.blobs.DeleteBlob(ctx, key); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	return nil
}
