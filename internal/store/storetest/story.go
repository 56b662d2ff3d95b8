package storetest

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/story"
)

func storyIDs(list []*story.Story) []int64 {
	out := []int64{}
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func wantStories(t *testing.T, s store.Store, f story.Filter, want ...*story.Story) {
	t.Helper()
	list, err := s.StoryList(ctx(), f)
	must(t, err)
	w := storyIDs(want)
	if got := storyIDs(list); !reflect.DeepEqual(got, w) {
		t.Errorf("StoryList(%+v) = %v, want %v", f, got, w)
	}
}

func testStories(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	author := audit.Actor{Name: "test:author"}

	// Not found, invalid, and a partnership that does not exist.
	if _, err := s.Story(ctx(), 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Story(999): %v", err)
	}
	wantErrIs(t, s.CreateStory(ctx(), author, &story.Story{PartnershipID: 999, TitleSV: "x", BodySV: "y"}), store.ErrNotFound)
	wantField(t, s.CreateStory(ctx(), author, &story.Story{PartnershipID: f.kalixMasaka.ID}), "title_sv", story.ErrNoLanguage)

	// A Swedish story with an image and goals, å/ä/ö and Markdown kept as written.
	plast := &story.Story{PartnershipID: f.kalixMasaka.ID, TitleSV: "Plasten på stränderna i Kalix och Masaka",
		BodySV: "## Vårens städdag\n\nEleverna **samlade** 40 kg plast – ”mer än väntat”.", Goals: []int{14, 12, 12},
		Image: &story.Image{Key: "KEY1", ContentType: "image/png", Size: 1234, AltSV: "Elever med säckar på en strand"},
		State: story.Published} // a new story is a draft whatever the caller says
	must(t, s.CreateStory(ctx(), author, plast))
	if plast.ID == 0 || plast.Version != 1 || plast.State != story.Draft || !plast.PublishedAt.IsZero() || plast.AuthorName != "test:author" {
		t.Fatalf("created: %+v", plast)
	}
	got, err := s.Story(ctx(), plast.ID)
	must(t, err)
	if !reflect.DeepEqual(got, plast) {
		t.Errorf("read back:\n got %+v\nwant %+v", got, plast)
	}
	if !reflect.DeepEqual(got.Goals, []int{12, 14}) || got.Image == nil || got.Image.AltSV != "Elever med säckar på en strand" {
		t.Errorf("goals and image: %v %+v", got.Goals, got.Image)
	}

	// Drafts are not public.
	wantStories(t, s, story.Public())
	wantStories(t, s, story.Filter{PartnershipID: f.kalixMasaka.ID}, plast)

	// Publishing sets the date once; a stale version is a conflict.
	clk.Set(clk.Now().Add(time.Hour))
	if _, err := s.ChangeStoryState(ctx(), author, plast.ID, plast.Version+5, story.Publish, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale publish: %v", err)
	}
	pub, err := s.ChangeStoryState(ctx(), author, plast.ID, plast.Version, story.Publish, "")
	must(t, err)
	if pub.State != story.Published || !pub.PublishedAt.Equal(clk.Now()) || pub.Version != 2 {
		t.Errorf("published: %s %v v%d", pub.State, pub.PublishedAt, pub.Version)
	}
	if _, err := s.ChangeStoryState(ctx(), author, plast.ID, 0, story.Publish, ""); !errors.Is(err, story.ErrTransition) {
		t.Errorf("publish twice: %v", err)
	}
	firstPublished := pub.PublishedAt

	// A bilingual story in another partnership, published later.
	clk.Set(clk.Now().Add(time.Hour))
	vatten := &story.Story{PartnershipID: f.arvikaUasin.ID, TitleSV: "Rent vatten", BodySV: "Text", TitleEN: "Clean water", BodyEN: "Text", Goals: []int{6}}
	must(t, s.CreateStory(ctx(), author, vatten))
	clk.Set(clk.Now().Add(time.Hour))
	_, err = s.ChangeStoryState(ctx(), author, vatten.ID, 0, story.Publish, "")
	must(t, err)
	// A draft that stays a draft.
	draft := &story.Story{PartnershipID: f.kalixMasaka.ID, TitleEN: "Draft", BodyEN: "Not yet", Goals: []int{12}}
	must(t, s.CreateStory(ctx(), author, draft))

	wantStories(t, s, story.Public(), vatten, plast)
	wantStories(t, s, story.Filter{States: []story.State{story.Published}, Limit: 1}, vatten)
	wantStories(t, s, story.Filter{States: []story.State{story.Published}, Goal: 12}, plast)
	wantStories(t, s, story.Filter{States: []story.State{story.Published}, Goal: 6}, vatten)
	wantStories(t, s, story.Filter{States: []story.State{story.Published}, Goal: 1})
	wantStories(t, s, story.Filter{States: []story.State{story.Published}, PartnershipID: f.arvikaUasin.ID}, vatten)
	wantStories(t, s, story.Filter{PartnershipID: f.kalixMasaka.ID}, draft, plast)
	wantStories(t, s, story.Filter{Goal: 12}, draft, plast)

	// Editing keeps the state, partnership and author; a stale version is a conflict.
	edit, err := s.Story(ctx(), plast.ID)
	must(t, err)
	edit.TitleEN, edit.BodyEN = "Plastic on the beaches", "Pupils collected plastic."
	edit.PartnershipID, edit.State, edit.AuthorName = f.arvikaUasin.ID, story.Draft, "someone else"
	wantField(t, s.UpdateStory(ctx(), author, edit), "image_alt_en", story.ErrAltMissing)
	edit.Image.AltEN = "Pupils with sacks on a beach"
	must(t, s.UpdateStory(ctx(), author, edit))
	if edit.PartnershipID != f.kalixMasaka.ID || edit.State != story.Published || edit.AuthorName != "test:author" || edit.Version != 3 {
		t.Errorf("update changed what it must keep: %+v", edit)
	}
	stale := *edit
	stale.Version = 2
	wantErrIs(t, s.UpdateStory(ctx(), author, &stale), store.ErrConflict)
	got, err = s.Story(ctx(), plast.ID)
	must(t, err)
	if got.TitleEN != "Plastic on the beaches" || got.Image.AltEN != "Pupils with sacks on a beach" || !got.PublishedAt.Equal(firstPublished) {
		t.Errorf("after update: %+v", got)
	}

	// An officer hides it with a reason; the author can neither republish
	// nor unpublish it; unhiding gives back the published state.
	mod := audit.Actor{Name: "test:moderator"}
	if _, err := s.ChangeStoryState(ctx(), mod, plast.ID, 0, story.Hide, " "); err == nil {
		t.Error("hide without a reason")
	} else {
		wantField(t, err, "reason", "error.required")
	}
	clk.Set(clk.Now().Add(time.Minute))
	hidden, err := s.ChangeStoryState(ctx(), mod, plast.ID, 0, story.Hide, "Namn på barn utan samtycke")
	must(t, err)
	got, err = s.Story(ctx(), plast.ID)
	must(t, err)
	if got.State != story.Hidden || got.Hiding == nil || got.Hiding.Reason != "Namn på barn utan samtycke" || got.Hiding.ByName != "test:moderator" ||
		!got.Hiding.At.Equal(clk.Now()) || got.Hiding.From != story.Published || !reflect.DeepEqual(got, hidden) {
		t.Errorf("hidden: %+v %+v", got, got.Hiding)
	}
	wantStories(t, s, story.Public(), vatten)
	wantStories(t, s, story.Filter{States: []story.State{story.Published}, Goal: 12})
	if _, err := s.ChangeStoryState(ctx(), author, plast.ID, 0, story.Publish, ""); !errors.Is(err, story.ErrHidden) {
		t.Errorf("author republishes a hidden story: %v", err)
	}
	if _, err := s.ChangeStoryState(ctx(), author, plast.ID, 0, story.Unpublish, ""); !errors.Is(err, story.ErrHidden) {
		t.Errorf("author unpublishes a hidden story: %v", err)
	}
	// The authors may still correct it while it is hidden; it stays hidden.
	got.BodySV = "Rättad text utan namn."
	must(t, s.UpdateStory(ctx(), author, got))
	if got.State != story.Hidden || got.Hiding == nil {
		t.Errorf("edit of a hidden story: %s", got.State)
	}
	un, err := s.ChangeStoryState(ctx(), mod, plast.ID, 0, story.Unhide, "")
	must(t, err)
	if un.State != story.Published || un.Hiding != nil || !un.PublishedAt.Equal(firstPublished) {
		t.Errorf("unhidden: %+v", un)
	}
	wantStories(t, s, story.Public(), vatten, plast)

	// Unpublish takes it off the public lists.
	_, err = s.ChangeStoryState(ctx(), author, plast.ID, 0, story.Unpublish, "")
	must(t, err)
	wantStories(t, s, story.Public(), vatten)

	// Every change is in the audit log.
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "story", EntityID: plast.ID})
	must(t, err)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	want := map[string]bool{"create": true, "publish": true, "update": true, "hide": true, "unhide": true, "unpublish": true}
	for _, a := range actions {
		delete(want, a)
	}
	if len(want) > 0 {
		t.Errorf("audit actions %v miss %v", actions, want)
	}
}

// testConcurrentStoryChanges publishes one story from many goroutines at
// once: exactly one wins, the others see it published (or a conflict).
func testConcurrentStoryChanges(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	st := &story.Story{PartnershipID: f.kalixMasaka.ID, TitleSV: "Samtidigt", BodySV: "Text"}
	must(t, s.CreateStory(ctx(), officer, st))
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.ChangeStoryState(ctx(), officer, st.ID, st.Version, story.Publish, "")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, store.ErrConflict), errors.Is(err, story.ErrTransition):
			default:
				t.Errorf("concurrent publish: %v", err)
			}
		}()
	}
	wg.Wait()
	got, err := s.Story(ctx(), st.ID)
	must(t, err)
	if won != 1 || got.Version != 2 || got.State != story.Published {
		t.Errorf("won %d, version %d, state %s", won, got.Version, got.State)
	}
}
