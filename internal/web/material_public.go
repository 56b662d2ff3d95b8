package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"

	"github.com/icld/partnerskap/internal/material"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/swedish"
)

// materialLabels names the material bank's codes in a page's language;
// every material page embeds it.
type materialLabels struct{ *Base }

// KindLabel names a kind of material.
func (m materialLabels) KindLabel(k material.Kind) string { return m.T("material.kind." + string(k)) }

// LanguageLabel names a language the material is in.
func (m materialLabels) LanguageLabel(code string) string { return m.T("material.lang." + code) }

// LicenceName names a licence: its short name, or "All rights reserved".
func (m materialLabels) LicenceName(code string) string {
	l := material.LicenceByCode(code)
	switch {
	case l == nil:
		return code
	case l.Name == "":
		return m.T("material.licence.all_rights_reserved")
	}
	return l.Name
}

// LicenceURL is the licence deed in the page's language; "" for none.
func (m materialLabels) LicenceURL(code string) string {
	return material.LicenceByCode(code).DeedURL(m.Lang)
}

// GroupLabel names a target group.
func (m materialLabels) GroupLabel(v string) string {
	return formOptionLabel(material.TargetGroups(), v, m.Lang)
}

// FileSize writes a size in bytes for reading: "840 kB", "12,4 MB".
func (m materialLabels) FileSize(n int64) string {
	if n < 1000*1024 {
		return strconv.FormatInt((n+1023)/1024, 10) + "\u00a0kB"
	}
	s := strconv.FormatFloat(float64(n)/(1024*1024), 'f', 1, 64)
	if m.Lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "\u00a0MB"
}

// FileKind names a file's type for a reader: "PDF", "PowerPoint".
func (m materialLabels) FileKind(contentType string) string {
	switch contentType {
	case "application/pdf":
		return "PDF"
	case "image/png":
		return "PNG"
	case "image/jpeg":
		return "JPEG"
	case "image/gif":
		return "GIF"
	case "image/webp":
		return "WebP"
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		return "Word"
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return "Excel"
	case "application/vnd.openxmlformats-officedocument.presentationml.presentation":
		return "PowerPoint"
	case "application/vnd.oasis.opendocument.text":
		return "OpenDocument Text"
	case "application/vnd.oasis.opendocument.spreadsheet":
		return "OpenDocument Spreadsheet"
	case "application/vnd.oasis.opendocument.presentation":
		return "OpenDocument Presentation"
	}
	return contentType
}

// LinkHost is the site an external link goes to, to say where a reader
// will land.
func (m materialLabels) LinkHost(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// linkAddress is the whole address an external link goes to, shown
// before the reader leaves the site (issue 11): its origin (the site,
// set apart so it can't hide in a long address) and the rest, and, for
// a site named in other scripts than Latin letters, the name as the
// browser will look it up, so a look-alike (а in Cyrillic for a) shows.
type linkAddress struct {
	Origin string // https://host[:port]
	Rest   string // path, query and fragment, as stored
	ASCII  string // the host in ASCII (punycode) when it differs
}

// LinkAddress splits an external link for showing it whole.
func (m materialLabels) LinkAddress(link string) linkAddress {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return linkAddress{Rest: link}
	}
	origin := u.Scheme + "://" + u.Host
	a := linkAddress{Origin: origin, Rest: strings.TrimPrefix(link, origin)}
	if !strings.HasPrefix(link, origin) { // a scheme written in capitals
		a.Origin, a.Rest = link[:len(origin)], link[len(origin):]
	}
	if ascii, err := idna.Lookup.ToASCII(u.Hostname()); err == nil && ascii != u.Hostname() {
		a.ASCII = ascii
	}
	return a
}

// kindOptions, languageOptions, licenceOptions and groupOptions are the
// choices of the filters and the form, in the page's language.
func (m materialLabels) kindOptions() []option {
	var out []option
	for _, k := range material.Kinds {
		out = append(out, option{Value: string(k), Label: m.KindLabel(k)})
	}
	return out
}

func (m materialLabels) languageOptions() []option {
	var out []option
	for _, l := range material.Languages {
		out = append(out, option{Value: l, Label: m.LanguageLabel(l)})
	}
	return out
}

func (m materialLabels) licenceOptions() []option {
	var out []option
	for _, l := range material.Licences {
		out = append(out, option{Value: l.Code, Label: m.LicenceName(l.Code)})
	}
	return out
}

func (m materialLabels) groupOptions() []option { return options(material.TargetGroups(), m.Lang) }

func (m materialLabels) goalOptions() []option {
	var out []option
	for _, g := range sdg.Goals() {
		out = append(out, option{Value: strconv.Itoa(g.Number), Label: strconv.Itoa(g.Number) + ". " + g.Short.In(m.Lang)})
	}
	return out
}

// materialFilterForm is the browse page's GET form as the page shows it:
// only values the lists offer are kept, so an unknown value in a shared
// or hand-made address is ignored and the rest of the filter still works.
type materialFilterForm struct {
	Kind, Language, Licence, Group, Goal, Partnership, Query string
}

// materialQueryMax bounds the text filter; longer text is cut.
const materialQueryMax = 200

// parseMaterialFilter reads the browse form from q. partnerships are the
// partnerships that may be chosen.
func parseMaterialFilter(q url.Values, partnerships map[int64]*partnership.Partnership) (material.Filter, materialFilterForm) {
	var f material.Filter
	var form materialFilterForm
	if k := material.Kind(q.Get("typ")); slices.Contains(material.Kinds, k) {
		f.Kind, form.Kind = k, string(k)
	}
	if l := q.Get("sprak"); slices.Contains(material.Languages, l) {
		f.Language, form.Language = l, l
	}
	if l := q.Get("licens"); material.LicenceByCode(l) != nil {
		f.Licence, form.Licence = l, l
	}
	if g := q.Get("malgrupp"); material.IsTargetGroup(g) {
		f.TargetGroup, form.Group = g, g
	}
	if n, err := strconv.Atoi(q.Get("mal")); err == nil && sdg.GoalByNumber(n) != nil {
		f.Goal, form.Goal = n, strconv.Itoa(n)
	}
	if id, err := strconv.ParseInt(q.Get("partnerskap"), 10, 64); err == nil && partnerships[id] != nil {
		f.PartnershipID, form.Partnership = id, strconv.FormatInt(id, 10)
	}
	query := strings.Join(strings.Fields(q.Get("q")), " ")
	if r := []rune(query); len(r) > materialQueryMax {
		query = string(r[:materialQueryMax])
	}
	f.Query, form.Query = query, query
	return f, form
}

// values is the filter as query parameters, without the empty ones.
func (f materialFilterForm) values() url.Values {
	v := url.Values{}
	for _, p := range []struct{ name, value string }{
		{"q", f.Query}, {"typ", f.Kind}, {"sprak", f.Language}, {"licens", f.Licence},
		{"malgrupp", f.Group}, {"mal", f.Goal}, {"partnerskap", f.Partnership},
	} {
		if p.value != "" {
			v.Set(p.name, p.value)
		}
	}
	return v
}

// materialRow is an item in a list, with its partnership.
type materialRow struct {
	Item        *material.Item
	Partnership *partnership.Partnership
}

type materialBrowsePage struct {
	*Base
	materialLabels
	Filter materialFilterForm
	Items  []materialRow
	Total  int // items matching the filter
	paging
	First, Last  int // the positions shown, from 1
	Kinds        []option
	Languages    []option
	Licences     []option
	Groups       []option
	Goals        []option
	Partnerships []option
	Filtered     bool // some filter is set
}

// materialBrowse is the public material bank: published items, newest
// first, filtered by a GET form (kind, language, licence, target group,
// goal, partnership, words in the title) that works without JavaScript
// and gives each selection its own address, a page at a time.
func (s *Server) materialBrowse(w http.ResponseWriter, r *http.Request, b *Base) error {
	ctx := r.Context()
	pships, err := s.partnershipsByID(ctx)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f, form := parseMaterialFilter(q, pships)
	page := pageParam(q.Get("sida"))
	f.Limit = perPage
	f.Offset = (min(page, 1_000_000) - 1) * perPage
	items, total, err := s.store.MaterialList(ctx, f)
	if err != nil {
		return err
	}
	pg, err := newPaging(page, total, func(n int) string {
		v := form.values()
		if n > 1 {
			v.Set("sida", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return b.URL("material")
		}
		return b.URL("material") + "?" + v.Encode()
	})
	if err != nil {
		return err
	}
	m := materialLabels{b}
	p := materialBrowsePage{Base: b, materialLabels: m, Filter: form, Total: total, paging: pg,
		Kinds: m.kindOptions(), Languages: m.languageOptions(), Licences: m.licenceOptions(), Groups: m.groupOptions(), Goals: m.goalOptions(),
		Filtered: len(form.values()) > 0}
	for _, it := range items {
		p.Items = append(p.Items, materialRow{Item: it, Partnership: pships[it.PartnershipID]})
	}
	if len(items) > 0 {
		p.First, p.Last = f.Offset+1, f.Offset+len(items)
	}
	for id, ps := range pships {
		p.Partnerships = append(p.Partnerships, option{Value: strconv.FormatInt(id, 10), Label: ps.Name})
	}
	swedish.Sort(p.Partnerships, func(o option) string { return o.Label })
	b.Title = b.T("material.title")
	if page > 1 {
		b.Title = b.T("material.title_page", "Page", page, "Pages", pg.Pages)
	}
	return s.render(w, b, http.StatusOK, "material_browse", p)
}

type materialItemPage struct {
	*Base
	materialLabels
	Item        *material.Item
	Partnership *partnership.Partnership
	Licence     *material.Licence
}

// publicMaterial loads the published item {id}; any other is not found,
// so unpublished items can't be told from missing ones.
func (s *Server) publicMaterial(r *http.Request) (*material.Item, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	it, err := s.store.Material(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !it.IsPublic() {
		return nil, store.ErrNotFound
	}
	return it, nil
}

// materialItem is an item's public page: what it is, for whom, under which
// licence, from which partnership, and the download.
func (s *Server) materialItem(w http.ResponseWriter, r *http.Request, b *Base) error {
	it, err := s.publicMaterial(r)
	if err != nil {
		return err
	}
	p, err := s.store.Partnership(r.Context(), it.PartnershipID)
	if err != nil {
		return err
	}
	b.Title = it.Title(b.Lang)
	return s.render(w, b, http.StatusOK, "material_item", materialItemPage{Base: b, materialLabels: materialLabels{b}, Item: it,
		Partnership: p, Licence: it.LicenceInfo()})
}

// materialFile downloads a published item: its file, or a redirect to its
// link (only ever an https address, checked again here). Each download
// counts once: a GET for the whole file or for its first bytes, not a
// HEAD, not a later range of a download in progress, not a 304.
func (s *Server) materialFile(w http.ResponseWriter, r *http.Request, b *Base) error {
	it, err := s.publicMaterial(r)
	if err != nil {
		return err
	}
	if it.File == nil {
		if !material.IsHTTPS(it.Link) {
			return store.ErrNotFound
		}
		if r.Method == http.MethodGet {
			if err := s.countDownload(r, it); err != nil {
				return err
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		http.Redirect(w, r, it.Link, http.StatusSeeOther)
		return nil
	}
	return s.serveMaterialFile(w, r, it, true)
}

// countDownload counts a download unless the guard holds it back (a
// repeat, a flood); an item unpublished since it was read is not found,
// and a failure to count is logged rather than refusing the file.
func (s *Server) countDownload(r *http.Request, it *material.Item) error {
	if !s.countsDownload(r, it.ID) {
		return nil
	}
	_, err := s.store.CountMaterialDownload(r.Context(), it.ID)
	if errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err != nil {
		s.log.Error("count material download", "id", it.ID, "err", err)
	}
	return nil
}

// serveMaterialFile sends an item's file as a download: its detected type,
// a name safe in every browser, no sniffing, and a sandbox CSP, so that
// even a file opened in the browser runs no script with the site's
// rights. Ranges and ETag revalidation (the file's SHA-256) are answered
// by http.ServeContent. count says whether this is a public download.
func (s *Server) serveMaterialFile(w http.ResponseWriter, r *http.Request, it *material.Item, count bool) error {
	if s.cfg.Files == nil || it.File == nil {
		return store.ErrNotFound
	}
	ctx := r.Context()
	rc, err := s.cfg.Files.Open(ctx, it.File.StorageKey)
	if err != nil {
		return err
	}
	defer rc.Close()
	content, ok := rc.(io.ReadSeeker) // a file in a folder
	if !ok {
		data, err := io.ReadAll(io.LimitReader(rc, material.MaxSize+1))
		if err != nil {
			return err
		}
		content = bytes.NewReader(data)
	}
	etag := `"` + it.File.SHA256 + `"`
	if count && countable(r, etag) {
		if err := s.countDownload(r, it); err != nil {
			return err
		}
	}
	h := w.Header()
	h.Set("Content-Type", it.File.ContentType)
	h.Set("Content-Disposition", contentDisposition(it.File.Filename))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("ETag", etag)
	if count {
		// Every download reaches the server (to be counted or answered
		// 304), and a shared cache keeps no copy of a withdrawn file.
		h.Set("Cache-Control", "no-cache")
	} else {
		h.Set("Cache-Control", "private, no-store")
	}
	http.ServeContent(w, r, "", time.Time{}, content)
	return nil
}

// countable reports whether a request for a file with etag is a download
// to count: a GET that gets the file's start — not a HEAD, not a 304 to
// a cache that already holds it, not the rest of a download resumed with
// a Range from past the first byte.
func countable(r *http.Request, etag string) bool {
	if r.Method != http.MethodGet {
		return false
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && (strings.TrimSpace(inm) == "*" || strings.Contains(inm, etag)) {
		return false
	}
	rng := strings.TrimSpace(r.Header.Get("Range"))
	if rng == "" {
		return true
	}
	if ir := r.Header.Get("If-Range"); ir != "" && ir != etag {
		return true // the file changed: the whole of it is sent
	}
	start, _, _ := strings.Cut(strings.TrimPrefix(rng, "bytes="), "-")
	return strings.TrimSpace(start) == "0"
}

// contentDisposition offers name for download as RFC 6266 asks: an ASCII
// filename for old clients (å, ä, ö and é as a, a, o and e; other
// characters as '_') and the exact name as UTF-8 in filename*.
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r): // the ring and dots of å, ä, ö
		case r < 0x20 || r == 0x7f || r > 0x7e || r == '"' || r == '\\' || r == '/' || r == '%' || r == ';':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	var ext strings.Builder
	for _, c := range []byte(name) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			ext.WriteByte(c)
		} else {
			fmt.Fprintf(&ext, "%%%02X", c)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + ext.String()
}

// PartnershipMaterial is the newest published material of partnership id,
// for the partnership page's section (up to limit items), with how many
// there are in all.
func (b *Base) PartnershipMaterial(id int64) (materialSection, error) {
	const limit = 5
	items, total, err := b.srv.store.MaterialList(b.req.Context(), material.Filter{PartnershipID: id, Limit: limit})
	if err != nil {
		return materialSection{}, err
	}
	return materialSection{materialLabels: materialLabels{b}, Items: items, Total: total,
		AllURL: b.URL("material") + "?partnerskap=" + strconv.FormatInt(id, 10)}, nil
}

// materialSection is what the partnership page shows of its material.
type materialSection struct {
	materialLabels
	Items  []*material.Item
	Total  int
	AllURL string
}
