package web

import (
	"context"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/story"
)

// The public side of stories: the list, a story's page, its image and the
// Atom feeds, plus the lists the home and partnership pages show.
//
// Language: a story written only in Swedish is still shown on the English
// pages (and in the English feeds), in Swedish, with lang="sv" on its text
// and a note saying which language it is in, rather than left out: most
// of the pilot's stories are Swedish, and an English reader is better
// served by seeing that they exist (a browser can translate them) than by
// an almost empty list. The same holds the other way for a partner's
// English-only story on the Swedish pages.

// maxFeedEntries bounds a feed: readers poll it, and the newest are what
// they need.
const maxFeedEntries = 50

// storyCard is a story in a list, in the language it is shown in.
type storyCard struct {
	S           *story.Story
	TextLang    string // the language of Title and Excerpt
	Foreign     bool   // shown in another language than the page's
	Title       string
	Excerpt     string
	Partnership *partnership.Partnership // nil in a partnership's own list
}

// storyCards makes the cards of list in lang, naming each story's
// partnership unless names is nil.
func storyCards(list []*story.Story, lang string, names map[int64]*partnership.Partnership) []storyCard {
	out := make([]storyCard, 0, len(list))
	for _, s := range list {
		tl := s.TextLang(lang)
		out = append(out, storyCard{S: s, TextLang: tl, Foreign: tl != lang, Title: s.Title(lang),
			Excerpt: story.Excerpt(s.Body(lang), 220), Partnership: names[s.PartnershipID]})
	}
	return out
}

// partnershipsByID returns every partnership by id, for naming the
// partnership of each row in a list (stories, material).
func (s *Server) partnershipsByID(ctx context.Context) (map[int64]*partnership.Partnership, error) {
	ps, err := s.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*partnership.Partnership, len(ps))
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}

// LatestStories returns the n newest published stories, for the home
// page: {{range .LatestStories 3}}.
func (b *Base) LatestStories(n int) ([]storyCard, error) {
	ctx := b.req.Context()
	f := story.Public()
	f.Limit = n
	list, err := b.srv.store.StoryList(ctx, f)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	names, err := b.srv.partnershipsByID(ctx)
	if err != nil {
		return nil, err
	}
	return storyCards(list, b.Lang, names), nil
}

// PartnershipStories returns the published stories of partnership id,
// newest first, for its public page.
func (b *Base) PartnershipStories(id int64) ([]storyCard, error) {
	f := story.Public()
	f.PartnershipID = id
	list, err := b.srv.store.StoryList(b.req.Context(), f)
	if err != nil {
		return nil, err
	}
	return storyCards(list, b.Lang, nil), nil
}

// StoryGoalName names goal n in the page's language, for a story's tags.
func (b *Base) StoryGoalName(n int) string {
	if g := sdg.GoalByNumber(n); g != nil {
		return g.Short.In(b.Lang)
	}
	return strconv.Itoa(n)
}

// storiesPage is the public list, all stories or those of one goal.
type storiesPage struct {
	*Base
	Stories []storyCard
	Goal    *sdg.Goal // the goal chosen (?mal=N); nil for all
	Goals   []option
	paging  // links that keep the goal chosen
}

// FeedURL is the list's own Atom feed.
func (p storiesPage) FeedURL() string {
	if p.Goal != nil {
		return p.URL("stories.feed.goal", p.Goal.Number)
	}
	return p.URL("stories.feed")
}

func (s *Server) storyList(w http.ResponseWriter, r *http.Request, b *Base) error {
	ctx := r.Context()
	page := storiesPage{Base: b, Goals: []option{{Value: "", Label: b.T("story.all_goals")}}}
	for _, g := range sdg.Goals() {
		page.Goals = append(page.Goals, option{Value: strconv.Itoa(g.Number), Label: b.T("goal.title", "Number", g.Number, "Name", g.Short.In(b.Lang))})
	}
	f := story.Public()
	// An unknown goal is ignored: the list shows all stories.
	if n, err := strconv.Atoi(r.URL.Query().Get("mal")); err == nil {
		if g := sdg.GoalByNumber(n); g != nil {
			page.Goal, f.Goal = g, n
		}
	}
	list, err := s.store.StoryList(ctx, f)
	if err != nil {
		return err
	}
	pg, err := newPaging(pageParam(r.URL.Query().Get("sida")), len(list), func(n int) string {
		q := url.Values{}
		if page.Goal != nil {
			q.Set("mal", strconv.Itoa(page.Goal.Number))
		}
		if n > 1 {
			q.Set("sida", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return b.URL("stories")
		}
		return b.URL("stories") + "?" + q.Encode()
	})
	if err != nil {
		return err
	}
	page.paging = pg
	from, to := pg.Bounds(len(list))
	list = list[from:to]
	names, err := s.partnershipsByID(ctx)
	if err != nil {
		return err
	}
	page.Stories = storyCards(list, b.Lang, names)
	b.Title = b.T("story.list_title")
	return s.render(w, b, http.StatusOK, "stories", page)
}

// storyPage shows one story: to the public when it is published; as a
// preview to its authors (any state); to officers with the form to hide
// or unhide it.
type storyPage struct {
	*Base
	S        *story.Story
	P        *partnership.Partnership
	TextLang string
	Foreign  bool
	Heading  string
	Body     template.HTML // sanitised (story.Render)
	Alt      string
	Mode     string // "public", "preview" or "moderate"
	CanWrite bool   // the signed-in user writes the partnership's stories
	Reason   string // what an officer typed as the reason to hide
}

// ImageURL is the story's image, with its version so a new image is never
// taken from a cache.
func (p storyPage) ImageURL() string {
	return p.URL("story.image", p.S.ID) + "?v=" + strconv.Itoa(p.S.Version)
}

func (s *Server) newStoryPage(ctx context.Context, b *Base, st *story.Story, mode string) (storyPage, error) {
	p, err := s.store.Partnership(ctx, st.PartnershipID)
	if err != nil {
		return storyPage{}, err
	}
	tl := st.TextLang(b.Lang)
	page := storyPage{Base: b, S: st, P: p, TextLang: tl, Foreign: tl != b.Lang, Heading: st.Title(b.Lang),
		Body: template.HTML(story.Render(st.Body(b.Lang))), Mode: mode, CanWrite: policy.StoryWriterFor(b.User, p)}
	if st.Image != nil {
		page.Alt = st.Image.Alt(tl)
	}
	b.Title = page.Heading
	return page, nil
}

// loadStory reads the story {id} of the path.
func (s *Server) loadStory(r *http.Request) (*story.Story, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.store.Story(r.Context(), id)
}

// storyPublic is a published story's page; any other story is not found,
// whoever asks, so unpublished stories can't be probed by their number.
func (s *Server) storyPublic(w http.ResponseWriter, r *http.Request, b *Base) error {
	st, err := s.loadStory(r)
	if err != nil {
		return err
	}
	if !st.IsPublic() {
		return store.ErrNotFound
	}
	page, err := s.newStoryPage(r.Context(), b, st, "public")
	if err != nil {
		return err
	}
	return s.render(w, b, http.StatusOK, "story", page)
}

// storyImage serves a story's image: to anyone when the story is
// published, otherwise only to those who may see it unpublished (its
// writers, officers). The type is the one detected from the content at
// upload, never guessed again by the browser (nosniff).
func (s *Server) storyImage(w http.ResponseWriter, r *http.Request, b *Base) error {
	st, err := s.loadStory(r)
	if err != nil {
		return err
	}
	if st.Image == nil || s.cfg.Files == nil {
		return store.ErrNotFound
	}
	// Shared caches may keep a published image but must ask again each
	// time, so hiding the story takes it off at once.
	cache := "public, no-cache"
	if !st.IsPublic() {
		u, err := s.sessionUser(r)
		if err != nil {
			return err
		}
		p, err := s.store.Partnership(r.Context(), st.PartnershipID)
		if err != nil {
			return err
		}
		if !policy.StoryWriterFor(u, p) && !policy.ModerateStories(u) {
			return store.ErrNotFound
		}
		cache = "private, no-store"
	}
	rc, err := s.cfg.Files.Open(r.Context(), st.Image.Key)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", st.Image.ContentType)
	h.Set("Content-Length", strconv.FormatInt(st.Image.Size, 10))
	h.Set("Content-Disposition", "inline")
	h.Set("Cache-Control", cache)
	h.Set("X-Content-Type-Options", "nosniff")
	_, err = io.Copy(w, rc)
	return err
}

// absoluteBase is the site's public address for absolute links in
// feeds: the configured base URL, or the address the request came to.
func (s *Server) absoluteBase(r *http.Request) string {
	if base := strings.TrimSuffix(s.cfg.BaseURL, "/"); base != "" {
		return base
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// writeFeed writes the published stories f selects as an Atom feed in the
// page's language; self is the feed's path, page the HTML page it goes with.
func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, b *Base, f story.Filter, title, self, page string) error {
	ctx := r.Context()
	f.States, f.Limit = []story.State{story.Published}, maxFeedEntries
	list, err := s.store.StoryList(ctx, f)
	if err != nil {
		return err
	}
	names, err := s.partnershipsByID(ctx)
	if err != nil {
		return err
	}
	base := s.absoluteBase(r)
	feed := &feeds.Feed{
		Title:       title + " – " + b.T("site.name"),
		Link:        &feeds.Link{Href: base + page},
		Description: b.T("story.feed_subtitle"),
		Author:      &feeds.Author{Name: b.T("site.name")},
		Updated:     s.clock.Now(),
	}
	if len(list) > 0 {
		feed.Updated = list[0].UpdatedAt
	}
	for _, st := range list {
		if st.UpdatedAt.After(feed.Updated) {
			feed.Updated = st.UpdatedAt
		}
		link := base + b.URL("story", st.ID)
		item := &feeds.Item{
			Title:   st.Title(b.Lang),
			Link:    &feeds.Link{Href: link},
			Id:      link,
			Created: st.PublishedAt,
			Updated: st.UpdatedAt,
			// The excerpt is plain text, and the feed's summary is read as
			// HTML: escaped, a "<" in a story stays a character.
			Description: html.EscapeString(story.Excerpt(st.Body(b.Lang), 300)),
			Content:     story.Render(st.Body(b.Lang)),
		}
		if p := names[st.PartnershipID]; p != nil {
			item.Author = &feeds.Author{Name: p.Name}
		}
		feed.Items = append(feed.Items, item)
	}
	// The Atom form, completed where gorilla/feeds leaves things out: the
	// feed's id is its own address (not its page's, which the sv and en
	// feeds would otherwise share with the page), its link the page it
	// goes with, and each entry says when it was first published.
	af := (&feeds.Atom{Feed: feed}).AtomFeed()
	af.Id = base + self
	af.Link = &feeds.AtomLink{Href: base + page, Rel: "alternate", Type: "text/html"}
	for i, st := range list {
		af.Entries[i].Published = st.PublishedAt.UTC().Format(time.RFC3339)
	}
	atom, err := feeds.ToXML(af)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	h.Set("Content-Language", b.Lang)
	h.Set("Cache-Control", "public, max-age=60")
	_, err = io.WriteString(w, atom)
	return err
}

// storyFeed is the feed of all published stories.
func (s *Server) storyFeed(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.writeFeed(w, r, b, story.Filter{}, b.T("story.list_title"), b.URL("stories.feed"), b.URL("stories"))
}

// storyFeedPartnership is the feed of one partnership's stories.
func (s *Server) storyFeedPartnership(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.store.Partnership(r.Context(), id)
	if err != nil {
		return err
	}
	return s.writeFeed(w, r, b, story.Filter{PartnershipID: id}, b.T("story.feed_partnership", "Name", p.Name),
		b.URL("stories.feed.partnership", id), b.URL("partnership", id))
}

// storyFeedGoal is the feed of the stories tagged with one goal.
func (s *Server) storyFeedGoal(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, err := pathGoal(r)
	if err != nil {
		return err
	}
	n := g.Number
	return s.writeFeed(w, r, b, story.Filter{Goal: n}, b.T("story.feed_goal", "Number", n, "Name", g.Short.In(b.Lang)),
		b.URL("stories.feed.goal", n), b.URL("goal", n))
}

// GoalValue is the goal filter's value: the chosen goal's number, or "".
func (p storiesPage) GoalValue() string {
	if p.Goal == nil {
		return ""
	}
	return strconv.Itoa(p.Goal.Number)
}
