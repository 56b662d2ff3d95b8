package demo

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"io"
	"testing"

	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/story"
)

// storyFailingStore fails the n-th story change, as a process killed
// while loading the stories would leave the database.
type storyFailingStore struct {
	store.Store
	n int
}

var errStoryKilled = errors.New("killed")

func (f *storyFailingStore) ChangeStoryState(ctx context.Context, by audit.Actor, id int64, version int, e story.Event, reason string) (*story.Story, error) {
	if f.n--; f.n == 0 {
		return nil, errStoryKilled
	}
	return f.Store.ChangeStoryState(ctx, by, id, version, e, reason)
}

func TestStories(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	// Interrupted before the third story is published: the next Load
	// publishes the rest and duplicates none.
	if _, err := Load(ctx, &storyFailingStore{Store: s, n: 3}, clk); !errors.Is(err, errStoryKilled) {
		t.Fatalf("interrupted load: %v", err)
	}
	_, err := Load(ctx, s, clk)
	must(t, err)
	_, err = Load(ctx, s, clk)
	must(t, err)

	all, err := s.StoryList(ctx, story.Filter{})
	must(t, err)
	if len(all) != len(storySpecs()) {
		t.Fatalf("%d stories, want %d", len(all), len(storySpecs()))
	}
	perPartnership := map[int64]int{}
	var withImage, swedishOnly, englishOnly int
	for _, st := range all {
		if st.State != story.Published || len(st.Goals) == 0 {
			t.Errorf("story %q: %s, goals %v", st.Title("sv"), st.State, st.Goals)
		}
		perPartnership[st.PartnershipID]++
		if st.Image != nil {
			withImage++
			if st.Image.AltSV == "" || st.Image.AltEN == "" || st.Image.Key != StoryImageKey {
				t.Errorf("image: %+v", st.Image)
			}
		}
		switch langs := st.Languages(); {
		case len(langs) == 1 && langs[0] == "sv":
			swedishOnly++
		case len(langs) == 1 && langs[0] == "en":
			englishOnly++
		}
	}
	if len(perPartnership) != 6 || withImage != 1 || swedishOnly == 0 || englishOnly != 1 {
		t.Errorf("per partnership %v, with image %d, Swedish only %d, English only %d", perPartnership, withImage, swedishOnly, englishOnly)
	}

	// The image is a real PNG, accepted as an upload would be.
	data := StoryImage()
	if ct, err := attachment.Detect(data); err != nil || ct != "image/png" || len(data) > story.MaxImageSize {
		t.Errorf("image: %s %v, %d bytes", ct, err, len(data))
	}
	if _, err := png.DecodeConfig(bytes.NewReader(data)); err != nil {
		t.Error(err)
	}
	if !bytes.Equal(data, StoryImage()) {
		t.Error("the image differs between calls")
	}
	files := &mapFiles{m: map[string][]byte{}}
	must(t, PutFiles(ctx, files))
	must(t, PutFiles(ctx, files))
	if files.puts != 1 || !bytes.Equal(files.m[StoryImageKey], data) {
		t.Errorf("PutFiles: %d puts", files.puts)
	}
}

type mapFiles struct {
	m    map[string][]byte
	puts int
}

func (f *mapFiles) Put(_ context.Context, key string, r io.Reader) (int64, string, error) {
	b, err := io.ReadAll(r)
	f.m[key] = b
	f.puts++
	return int64(len(b)), "", err
}

func (f *mapFiles) Open(_ context.Context, key string) (io.ReadCloser, error) {
	b, ok := f.m[key]
	if !ok {
		return nil, errors.New("no such file")
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}
