package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/icld/partnerskap/internal/material"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/story"
)

// privatePrefixes are the paths search engines are asked to leave alone:
// the workspace, sign-in, and the anonymous survey pages reached by token.
var privatePrefixes = []string{
	"/personal", "/en/staff",
	"/ansokningar", "/en/applications",
	"/granskning", "/en/reviews",
	"/bidrag", "/en/grants",
	"/logga-in", "/en/login",
	"/enkat", "/en/survey",
}

// robots serves robots.txt: every public page may be crawled, the
// workspace and survey pages not; it points to the sitemap.
func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	var sb strings.Builder
	sb.WriteString("User-agent: *\nAllow: /\n")
	for _, p := range privatePrefixes {
		fmt.Fprintf(&sb, "Disallow: %s\n", p)
	}
	fmt.Fprintf(&sb, "\nSitemap: %s/sitemap.xml\n", strings.TrimSuffix(s.cfg.BaseURL, "/"))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write([]byte(sb.String()))
}

const (
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	xhtmlNS   = "http://www.w3.org/1999/xhtml"
)

type sitemapSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc   string        `xml:"loc"`
	Links []sitemapLink `xml:"xhtml:link"`
}

type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// sitemap serves sitemap.xml: the public pages (home, partnerships, each
// partnership, goals, each goal, the register of grants, statistics, each
// published story, each published material item, the accessibility
// statement) in both languages, each with its hreflang alternates, as
// absolute addresses.
func (s *Server) sitemap(w http.ResponseWriter, r *http.Request) {
	ps, err := s.store.PartnershipList(r.Context(), partnership.Filter{})
	if err != nil {
		s.log.Error("sitemap", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	base := strings.TrimSuffix(s.cfg.BaseURL, "/")
	b := &Base{srv: s}
	set := sitemapSet{NS: sitemapNS, XHTML: xhtmlNS}
	add := func(name string, params ...any) {
		sv := base + b.urlIn("sv", name, params...)
		en := base + b.urlIn("en", name, params...)
		links := []sitemapLink{
			{"alternate", "sv", sv},
			{"alternate", "en", en},
			{"alternate", "x-default", sv},
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: sv, Links: links}, sitemapURL{Loc: en, Links: links})
	}
	add("home")
	add("partnerships")
	for _, p := range ps {
		add("partnership", p.ID)
	}
	add("goals")
	for _, g := range sdg.Goals() {
		add("goal", g.Number)
	}
	add("public.grants")
	add("statistics")
	add("stories")
	stories, err := s.store.StoryList(r.Context(), story.Public())
	if err != nil {
		s.log.Error("sitemap", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	for _, st := range stories {
		add("story", st.ID)
	}
	add("material")
	items, _, err := s.store.MaterialList(r.Context(), material.Filter{})
	if err != nil {
		s.log.Error("sitemap", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	for _, it := range items {
		add("material.item", it.ID)
	}
	add("accessibility")
	add("privacy")
	out, err := xml.MarshalIndent(set, "", " ")
	if err != nil {
		s.log.Error("sitemap", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write([]byte(xml.Header))
	w.Write(out)
	w.Write([]byte("\n"))
}
