package backup

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/icld/partnerskap/internal/filestore"
)

// tarWriter adds regular files to a tar stream, hashing what it writes.
type tarWriter struct {
	*tar.Writer
}

func newTarWriter(w io.Writer) *tarWriter { return &tarWriter{tar.NewWriter(w)} }

// addFile adds the file at path as the entry name. A file that does not
// exist gives an error wrapping fs.ErrNotExist. Stored files are never
// rewritten, so the size taken when it is opened is the size read; a file
// that changes while it is read is an error, not a damaged archive.
func (tw *tarWriter) addFile(ctx context.Context, name, path string) (Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return Entry{}, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Entry{}, fmt.Errorf("backup: %w", err)
	}
	if err := tw.WriteHeader(header(name, st.Size(), st.ModTime())); err != nil {
		return Entry{}, fmt.Errorf("backup: %s: %w", name, err)
	}
	h := newHash()
	n, err := io.Copy(io.MultiWriter(tw, h), filestore.ContextReader(ctx, io.LimitReader(f, st.Size())))
	if err != nil {
		return Entry{}, fmt.Errorf("backup: %s: %w", name, err)
	}
	if n != st.Size() {
		return Entry{}, fmt.Errorf("backup: %s: read %d bytes of %d; it changed while it was copied", name, n, st.Size())
	}
	return Entry{Path: name, Size: n, SHA256: hexSum(h)}, nil
}

func (tw *tarWriter) addBytes(name string, b []byte) error {
	if err := tw.WriteHeader(header(name, int64(len(b)), time.Now())); err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	if _, err := tw.Write(b); err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	return nil
}

func header(name string, size int64, mod time.Time) *tar.Header {
	return &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o640,
		ModTime: mod.UTC().Truncate(time.Second), Format: tar.FormatPAX}
}
