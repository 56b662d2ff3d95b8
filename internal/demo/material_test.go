package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/material"
	"github.com/icld/partnerskap/internal/partnership"
)

// memFiles is a file store in memory.
type memFiles struct {
	mu    sync.Mutex
	files map[string][]byte
	puts  int
}

func (m *memFiles) Put(_ context.Context, key string, r io.Reader) (int64, string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return 0, "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[key] = b
	m.puts++
	sum := sha256.Sum256(b)
	return int64(len(b)), hex.EncodeToString(sum[:]), nil
}

func (m *memFiles) Open(_ context.Context, key string) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[key]
	if !ok {
		return nil, fmt.Errorf("no file %s", key)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memFiles) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.files, key)
	return nil
}

// TestMaterial: the demo publishes Kalix – Masaka's exhibition panels and
// lesson kit and another partnership's strategy, keeps a draft, and its
// files, generated the same every time, pass the bank's content check and
// match the records' sizes and checksums once MaterialFiles puts them in
// place.
func TestMaterial(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	if _, err := Load(ctx, s, clk); err != nil {
		t.Fatal(err)
	}
	public, total, err := s.MaterialList(ctx, material.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := s.MaterialList(ctx, material.Filter{Unpublished: true})
	if err != nil {
		t.Fatal(err)
	}
	if total != 4 || len(all) != 5 {
		t.Fatalf("demo material: %d public, %d in all; want 4 and 5", total, len(all))
	}
	kinds := map[material.Kind]bool{}
	for _, it := range public {
		kinds[it.Kind] = true
	}
	for _, k := range []material.Kind{material.Exhibition, material.LessonKit, material.Strategy} {
		if !kinds[k] {
			t.Errorf("no published %s in the demo", k)
		}
	}

	files := &memFiles{}
	if err := MaterialFiles(ctx, files); err != nil {
		t.Fatal(err)
	}
	for _, it := range all {
		if errs := it.Validate(); len(errs) != 0 {
			t.Errorf("%s: %v", it.TitleSV, errs)
		}
		data := files.files[it.File.StorageKey]
		sum := sha256.Sum256(data)
		if int64(len(data)) != it.File.Size || hex.EncodeToString(sum[:]) != it.File.SHA256 {
			t.Errorf("%s: the file put in place is not the one recorded (%d bytes, want %d)", it.TitleSV, len(data), it.File.Size)
		}
		ctype, err := attachment.CheckType(bytes.NewReader(data), int64(len(data)))
		if err != nil || ctype != it.File.ContentType || !material.AcceptsType(ctype) {
			t.Errorf("%s: content check %q, %v; recorded %q", it.TitleSV, ctype, err, it.File.ContentType)
		}
	}
	puts := files.puts
	if err := MaterialFiles(ctx, files); err != nil || files.puts != puts {
		t.Errorf("second MaterialFiles: %v, %d puts after %d", err, files.puts, puts)
	}

	// Loading the material again (as after an interrupted load) adds
	// nothing: each item is found by its partnership and title.
	l := &loader{s: s, now: clk.Now(), partnerships: map[string]*partnership.Partnership{}}
	ps, err := s.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		l.partnerships[p.Name] = p
	}
	if err := l.material(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _, err := s.MaterialList(ctx, material.Filter{Unpublished: true}); err != nil || len(again) != len(all) {
		t.Errorf("after a second load: %d items, %v", len(again), err)
	}
}
