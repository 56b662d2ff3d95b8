package filestore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/filestore"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/store/storetest"
)

func TestDir(t *testing.T) {
	dir := t.TempDir()
	fs, err := filestore.NewDir(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	testStore(t, fs)
	// Nothing is left behind: no temporary files, only what was kept.
	left, _ := os.ReadDir(filepath.Join(dir, "files"))
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != "kept" {
		t.Errorf("left in the folder: %v, want [kept]", names)
	}
}

func TestDBOnSQLite(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	testStore(t, filestore.NewDB(s))
}

func TestDBOnPostgres(t *testing.T) {
	testStore(t, filestore.NewDB(storetest.OpenPostgres(t, clock.System{})))
}

// testStore is what every file store must do.
func testStore(t *testing.T, fs filestore.Store) {
	ctx := context.Background()
	// Half a megabyte of bytes of every value, not only text.
	data := bytes.Repeat([]byte("Åäö\x00\xff\r\n"), 50_000)
	key := filestore.NewKey()
	size, sum, err := fs.Put(ctx, key, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(data)
	if size != int64(len(data)) || sum != hex.EncodeToString(want[:]) {
		t.Errorf("Put = %d, %s; want %d, %x", size, sum, len(data), want)
	}
	if got := read(t, fs, key); !bytes.Equal(got, data) {
		t.Errorf("read back %d bytes, differing", len(got))
	}
	// What Open returns seeks, in every store, so downloads are served
	// from it (ranges, revalidation) without another copy.
	rc, err := fs.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if rs, ok := rc.(io.ReadSeeker); !ok {
		t.Errorf("Open returned a %T, which does not seek", rc)
	} else if end, err := rs.Seek(0, io.SeekEnd); err != nil || end != int64(len(data)) {
		t.Errorf("seek to the end: %d, %v", end, err)
	}
	rc.Close()
	if _, _, err := fs.Put(ctx, key, strings.NewReader("again")); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Put on a used key: %v, want ErrConflict", err)
	}
	if got := read(t, fs, key); !bytes.Equal(got, data) {
		t.Error("a second Put changed the file")
	}

	// An empty file is a file.
	if size, sum, err := fs.Put(ctx, "kept", strings.NewReader("")); err != nil || size != 0 || sum != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("empty Put = %d, %s, %v", size, sum, err)
	}
	if got := read(t, fs, "kept"); len(got) != 0 {
		t.Errorf("empty file read back as %q", got)
	}

	// A reader that fails half-way leaves nothing under its key.
	broken := filestore.NewKey()
	if _, _, err := fs.Put(ctx, broken, io.MultiReader(strings.NewReader("half"), errReader{})); err == nil {
		t.Error("Put from a failing reader succeeded")
	}
	if _, err := fs.Open(ctx, broken); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a failed Put: %v, want ErrNotFound", err)
	}
	// So does an upload whose request is cancelled.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := fs.Put(cctx, broken, strings.NewReader("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: %v", err)
	}

	must(t, fs.Delete(ctx, key))
	if _, err := fs.Open(ctx, key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after Delete: %v, want ErrNotFound", err)
	}
	must(t, fs.Delete(ctx, key)) // again: nothing to do, no error

	for _, bad := range []string{"", "a/b", `a\b`, "..", ".", "../x", ".tmp-1", "a b", "å", strings.Repeat("k", 129)} {
		if _, _, err := fs.Put(ctx, bad, strings.NewReader("x")); !errors.Is(err, filestore.ErrKey) {
			t.Errorf("Put(%q): %v, want ErrKey", bad, err)
		}
		if _, err := fs.Open(ctx, bad); !errors.Is(err, filestore.ErrKey) {
			t.Errorf("Open(%q): %v, want ErrKey", bad, err)
		}
		if err := fs.Delete(ctx, bad); !errors.Is(err, filestore.ErrKey) {
			t.Errorf("Delete(%q): %v, want ErrKey", bad, err)
		}
	}
}

func read(t *testing.T, fs filestore.Store, key string) []byte {
	t.Helper()
	rc, err := fs.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestNewKey(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		k := filestore.NewKey()
		if seen[k] || len(k) < 26 {
			t.Fatalf("key %q repeated or short", k)
		}
		seen[k] = true
	}
}
