// Package filestore keeps the bytes of uploaded files, under keys the
// caller makes with NewKey; what a file is (its name, type, owner) is
// recorded in the store (store.Attachments). Dir keeps files in a folder,
// for a single instance on SQLite; DB keeps them in the database, so that
// several instances on one PostgreSQL database share them.
package filestore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
)

// Store keeps files by key.
type Store interface {
	// Put stores what r yields under key, a key not used before, and
	// returns its size and SHA-256 (hex).
	Put(ctx context.Context, key string, r io.Reader) (size int64, sha256hex string, err error)
	// Open returns the file stored under key, or an error wrapping
	// store.ErrNotFound.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the file under key; a key with no file is not an
	// error, so a clean-up can be repeated.
	Delete(ctx context.Context, key string) error
}

// ErrKey is returned for a key that is empty, too long, or has a
// character other than a letter, a digit, '-' or '_' (so no path
// separator, no "..", nothing hidden).
var ErrKey = errors.New("filestore: invalid key")

// NewKey returns a new random key: 26 characters (130 bits) from
// crypto/rand.
func NewKey() string {
	return rand.Text()
}

// CheckKey returns ErrKey for a key NewKey could not have made and no
// store accepts: the backup uses it to tell stored files from anything
// else in the folder, and to refuse an archive entry that is not one.
func CheckKey(key string) error { return checkKey(key) }

func checkKey(key string) error {
	if key == "" || len(key) > 128 {
		return fmt.Errorf("%w %q", ErrKey, key)
	}
	for _, c := range key {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("%w %q", ErrKey, key)
		}
	}
	return nil
}

// hashingWriter counts and hashes what is written through it.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func newHashingWriter(w io.Writer) *hashingWriter { return &hashingWriter{w: w, h: sha256.New()} }

func (hw *hashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

func (hw *hashingWriter) sum() string { return hex.EncodeToString(hw.h.Sum(nil)) }

// ContextReader returns r stopping a copy when ctx ends (a client gone
// mid-upload, a backup cancelled).
func ContextReader(ctx context.Context, r io.Reader) io.Reader { return ctxReader{ctx, r} }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (cr ctxReader) Read(p []byte) (int, error) {
	if err := cr.ctx.Err(); err != nil {
		return 0, err
	}
	return cr.r.Read(p)
}
