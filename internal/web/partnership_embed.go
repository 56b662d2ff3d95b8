package web

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"

	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/story"
)

// embedStories is how many of the latest stories the widget shows.
const embedStories = 3

// embedHeight is the widget's height in the snippet, in CSS pixels: the
// card and three stories without a scroll bar on a desktop column. It is
// the height where the host has not included the snippet's script, which
// otherwise fits the frame to its content.
const embedHeight = 560

// parseEmbedTemplate parses the widget's page: its own small document
// (templates/embed.html) with the partials, not the site's layout, since
// it is shown inside another site's page.
func parseEmbedTemplate() (*pageTemplate, error) {
	t, err := template.New("embed.html").Funcs(funcMap()).ParseFS(embedded, "templates/partials.html", "templates/embed.html")
	if err != nil {
		return nil, fmt.Errorf("web: template embed: %w", err)
	}
	return t.Lookup("embed"), nil
}

type embedPage struct {
	*Base
	P       *partnership.Partnership
	Figures pshipFigures
	Stories []*story.Story
	PageURL string // the partnership's full page, absolute
	Host    string // the site's host name, for "Read more on …"
}

// embedPartnership is the widget: the partnership's card and its latest
// stories, in the language of its address, made to be framed by the
// municipalities' own sites. Every link opens the full site in a new tab,
// out of the frame.
func (s *Server) embedPartnership(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := s.store.Partnership(ctx, id)
	if err != nil {
		return err
	}
	f, err := s.figuresOf(ctx, p, b.Lang, false)
	if err != nil {
		return err
	}
	stories, err := s.store.StoryList(ctx, story.Filter{PartnershipID: id, States: []story.State{story.Published}, Limit: embedStories})
	if err != nil {
		return err
	}
	page := embedPage{Base: b, P: p, Figures: f, Stories: stories, PageURL: b.publicBase() + b.URL("partnership", id)}
	if u, err := url.Parse(page.PageURL); err == nil {
		page.Host = u.Host
	}
	allowFraming(w.Header())
	b.Title = p.Name
	return s.render(w, b, http.StatusOK, "embed", page)
}

// StoryURL is the absolute address of a story's public page, or of the
// partnership's page (where its stories are listed) while there is no
// page per story.
func (pg embedPage) StoryURL(id int64) string {
	if _, ok := pg.srv.routeByName("story"); ok {
		return pg.publicBase() + pg.URL("story", id)
	}
	return pg.PageURL
}

// EmbedSnippet is the HTML a municipality pastes into its own site to show
// the partnership's widget in the page's language: an iframe with a title
// for screen readers, the full width of its column, loaded when scrolled
// to, and the script (static/widget.js) that makes the frame as tall as
// the widget's content. Where the script is left out, blocked by the
// host's policy or JavaScript is off, the frame keeps its fixed height.
// The script's address carries no version: a snippet pasted once keeps
// fetching the current script, revalidated each time.
func (b *Base) EmbedSnippet(p *partnership.Partnership) string {
	src := b.publicBase() + b.URL("embed.partnership", p.ID)
	title := b.T("embed.iframe_title", "Name", p.Name)
	return fmt.Sprintf(`<iframe src="%s" title="%s" width="100%%" height="%d" style="border:0" loading="lazy"></iframe>`+"\n"+
		`<script src="%s" async></script>`,
		html.EscapeString(src), html.EscapeString(title), embedHeight, html.EscapeString(b.publicBase()+"/static/widget.js"))
}
