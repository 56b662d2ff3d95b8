package web

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/export"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/swedish"
)

// The list's sort orders, as the sortera parameter names them.
const (
	sortName    = "namn"
	sortNewest  = "nyast"
	sortOldest  = "aldst"
	sortGranted = "belopp"
)

var partnershipSorts = []string{sortName, sortNewest, sortOldest, sortGranted}

// pshipQuery is what the list's GET form asks for, each value already
// checked: a value that names nothing (an unknown country, a goal 18, a
// year without partnerships) is dropped and the rest kept.
type pshipQuery struct {
	partnership.Filter        // Country, OrganisationID, Goal, Year, Status and Query (the text)
	Theme              string // a theme, by its Swedish text
	Sort               string
	Page               int // 1-based
}

// values writes q back as URL parameters, without the page, so links and
// downloads carry the same selection.
func (q pshipQuery) values() url.Values {
	v := url.Values{}
	if q.Query != "" {
		v.Set("q", q.Query)
	}
	if q.Country != "" {
		v.Set("land", q.Country)
	}
	if q.OrganisationID != 0 {
		v.Set("kommun", strconv.FormatInt(q.OrganisationID, 10))
	}
	if q.Goal != 0 {
		v.Set("mal", strconv.Itoa(q.Goal))
	}
	if q.Theme != "" {
		v.Set("tema", q.Theme)
	}
	if q.Year != 0 {
		v.Set("ar", strconv.Itoa(q.Year))
	}
	if q.Status != "" {
		v.Set("status", string(q.Status))
	}
	if q.Sort != sortName {
		v.Set("sortera", q.Sort)
	}
	return v
}

// pshipChoices are the values the filters offer: only those that exist
// (every status, though), so no choice leads to nothing.
type pshipChoices struct {
	Countries []option
	Swedish   []option
	Themes    []option
	Years     []option
	Statuses  []option
	Sorts     []option
}

func (c pshipChoices) has(list []option, v string) bool {
	return slices.ContainsFunc(list, func(o option) bool { return o.Value == v })
}

// maxQueryLen bounds the text kept from q: enough for any real search,
// while a 10 kB query is cut before it is echoed back into the page.
const maxQueryLen = 200

// pshipResult is the selection: the matching partnerships in order, and
// what the form offers.
type pshipResult struct {
	Query   pshipQuery
	Choices pshipChoices
	All     int // partnerships in total, before filtering
	List    []*partnership.Partnership
	Granted map[int64]int64 // öre per partnership, when loaded
}

// selectPartnerships reads the list's parameters and returns the
// partnerships they select, sorted; withGranted loads the public grants'
// sums too (the exports always show them).
func (s *Server) selectPartnerships(r *http.Request, b *Base, withGranted bool) (*pshipResult, error) {
	ctx := r.Context()
	all, err := s.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		return nil, err
	}
	res := &pshipResult{All: len(all), Choices: s.partnershipChoices(all, b)}
	ch := res.Choices
	in := r.URL.Query()
	q := pshipQuery{Sort: sortName, Page: 1}
	q.Query = strings.TrimSpace(strings.ToValidUTF8(in.Get("q"), ""))
	q.Query = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' ' // control characters: a space, as between words
		}
		return r
	}, q.Query)
	if rs := []rune(q.Query); len(rs) > maxQueryLen {
		q.Query = strings.TrimSpace(string(rs[:maxQueryLen]))
	}
	if v := strings.ToUpper(strings.TrimSpace(in.Get("land"))); ch.has(ch.Countries, v) {
		q.Country = v
	}
	if v := strings.TrimSpace(in.Get("kommun")); ch.has(ch.Swedish, v) {
		q.OrganisationID, _ = strconv.ParseInt(v, 10, 64)
	}
	if n, err := strconv.Atoi(strings.TrimSpace(in.Get("mal"))); err == nil && sdg.GoalByNumber(n) != nil {
		q.Goal = n
	}
	if v := in.Get("tema"); ch.has(ch.Themes, v) {
		q.Theme = v
	}
	if v := strings.TrimSpace(in.Get("ar")); ch.has(ch.Years, v) {
		q.Year, _ = strconv.Atoi(v)
	}
	if v := strings.TrimSpace(in.Get("status")); ch.has(ch.Statuses, v) {
		q.Status = partnership.Status(v)
	}
	if v := strings.TrimSpace(in.Get("sortera")); slices.Contains(partnershipSorts, v) {
		q.Sort = v
	}
	q.Page = pageParam(in.Get("sida"))
	res.Query = q

	var hits map[int64]bool
	if q.Query != "" {
		ids, err := s.store.PartnershipSearch(ctx, q.Query)
		if err != nil {
			return nil, err
		}
		hits = map[int64]bool{}
		for _, id := range ids {
			hits[id] = true
		}
	}
	f := q.Filter
	f.Query = "" // the text is matched by the index, above
	for _, p := range all {
		if f.Match(p) && (hits == nil || hits[p.ID]) && (q.Theme == "" || p.ThemeSV == q.Theme) {
			res.List = append(res.List, p)
		}
	}
	if withGranted || q.Sort == sortGranted {
		grants, err := s.publicGrantList(ctx)
		if err != nil {
			return nil, err
		}
		res.Granted = map[int64]int64{}
		for _, g := range grants {
			res.Granted[g.Grant.PartnershipID] += g.Grant.Amount
		}
	}
	// The store lists by name in Swedish order; the other orders keep it
	// among equals.
	switch q.Sort {
	case sortNewest:
		slices.SortStableFunc(res.List, func(a, b *partnership.Partnership) int { return b.Start.Compare(a.Start) })
	case sortOldest:
		slices.SortStableFunc(res.List, func(a, b *partnership.Partnership) int { return a.Start.Compare(b.Start) })
	case sortGranted:
		slices.SortStableFunc(res.List, func(a, b *partnership.Partnership) int {
			return cmp.Compare(res.Granted[b.ID], res.Granted[a.ID])
		})
	}
	return res, nil
}

// partnershipChoices lists what each filter can choose among, from the
// partnerships there are.
func (s *Server) partnershipChoices(all []*partnership.Partnership, b *Base) pshipChoices {
	var c pshipChoices
	codes := map[string]bool{}
	orgs := map[int64]string{}
	themes := map[string]string{}
	years := map[int]bool{}
	for _, x := range all {
		for _, code := range x.Countries() {
			codes[code] = true
		}
		for _, o := range x.Swedish {
			orgs[o.ID] = o.Name
		}
		themes[x.ThemeSV] = x.Theme(b.Lang)
		end := x.End.Year()
		if x.End.IsZero() {
			end = clock.Today(s.clock.Now()).Year()
		}
		for y := x.Start.Year(); y <= end && y-x.Start.Year() < 50; y++ {
			years[y] = true
		}
	}
	for code := range codes {
		c.Countries = append(c.Countries, option{Value: code, Label: country.Name(code, b.Lang)})
	}
	swedish.Sort(c.Countries, func(o option) string { return o.Label })
	for id, name := range orgs {
		c.Swedish = append(c.Swedish, option{Value: strconv.FormatInt(id, 10), Label: name})
	}
	swedish.Sort(c.Swedish, func(o option) string { return o.Label })
	for sv, label := range themes {
		c.Themes = append(c.Themes, option{Value: sv, Label: label})
	}
	swedish.Sort(c.Themes, func(o option) string { return o.Label })
	for y := range years {
		c.Years = append(c.Years, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	slices.SortFunc(c.Years, func(a, b option) int { return strings.Compare(b.Value, a.Value) })
	// Every status is offered, even one no partnership has now: the set
	// is fixed and small, and "none cancelled" is an answer too.
	for _, st := range partnership.Statuses {
		c.Statuses = append(c.Statuses, option{Value: string(st), Label: b.T("pship.status." + string(st))})
	}
	for _, srt := range partnershipSorts {
		c.Sorts = append(c.Sorts, option{Value: srt, Label: b.T("partnerships.sort." + srt)})
	}
	return c
}

type partnershipsPage struct {
	*Base
	Query        pshipQuery
	Choices      pshipChoices
	Partnerships []*partnership.Partnership // this page's
	Count        int                        // matching, on all pages
	Total        int                        // partnerships in all
	paging
	CSVURL   string
	JSONURL  string
	Filtered bool // some filter or text is applied
}

// partnerships lists partnerships, filtered by partner country, Swedish
// member, goal, theme, year, status and a full-text search in Swedish and
// English (package search), sorted and paged. The filter is a GET form,
// so every selection has its own URL, and the same selection downloads as
// CSV and JSON. A page past the last is a page that does not exist.
func (s *Server) partnerships(w http.ResponseWriter, r *http.Request, b *Base) error {
	res, err := s.selectPartnerships(r, b, false)
	if err != nil {
		return err
	}
	q := res.Query
	p := partnershipsPage{Base: b, Query: q, Choices: res.Choices, Count: len(res.List), Total: res.All}
	v := q.values()
	p.Filtered = len(v) > 0 && !(len(v) == 1 && v.Has("sortera"))
	pg, err := newPaging(q.Page, p.Count, func(n int) string {
		pv := q.values()
		if n > 1 {
			pv.Set("sida", strconv.Itoa(n))
		}
		if len(pv) == 0 {
			return b.URL("partnerships")
		}
		return b.URL("partnerships") + "?" + pv.Encode()
	})
	if err != nil {
		return err
	}
	p.paging = pg
	from, to := pg.Bounds(p.Count)
	p.Partnerships = res.List[from:to]
	suffix := ""
	if len(v) > 0 {
		suffix = "?" + v.Encode()
	}
	p.CSVURL = b.URL("partnerships.csv") + suffix
	p.JSONURL = b.URL("partnerships.json") + suffix
	b.Title = b.T("partnerships.title")
	if q.Page > 1 {
		b.Title = b.T("partnerships.title_page", "Number", q.Page)
	}
	return s.render(w, b, http.StatusOK, "partnerships", p)
}

// partnershipsCSV downloads the selection (every page) as CSV: UTF-8 with
// a byte order mark (so Excel reads å, ä and ö), column names in the
// page's language, ISO dates, amounts in kronor with a dot.
func (s *Server) partnershipsCSV(w http.ResponseWriter, r *http.Request, b *Base) error {
	res, err := s.selectPartnerships(r, b, true)
	if err != nil {
		return err
	}
	return sendCSV(w, b, "partnerskap.csv", func(t export.Table) error {
		t.Header(
			"id", b.T("partnerships.col.name"), b.T("partnerships.col.theme"), b.T("partnerships.col.swedish"),
			b.T("partnerships.col.partners"), b.T("partnerships.col.countries"), b.T("partnerships.col.start"),
			b.T("partnerships.col.end"), b.T("partnerships.col.status"), b.T("partnerships.col.goals"),
			b.T("partnerships.col.granted_sek"), b.T("partnerships.col.url"),
		)
		for _, p := range res.List {
			var swe, partners, countries, goals []string
			for _, o := range p.Swedish {
				swe = append(swe, o.Name)
			}
			for _, o := range p.Partners {
				partners = append(partners, o.Name)
			}
			for _, c := range p.Countries() {
				countries = append(countries, country.Name(c, b.Lang))
			}
			for _, g := range p.Goals {
				goals = append(goals, strconv.Itoa(g))
			}
			end := ""
			if !p.End.IsZero() {
				end = p.End.Format("2006-01-02")
			}
			if err := t.Row(
				export.Int(p.ID), export.Text(p.Name), export.Text(p.Theme(b.Lang)), export.Text(strings.Join(swe, "; ")),
				export.Text(strings.Join(partners, "; ")), export.Text(strings.Join(countries, "; ")),
				export.Text(p.Start.Format("2006-01-02")), export.Text(end), export.Text(b.T("pship.status."+string(p.Status))),
				export.Text(strings.Join(goals, " ")), export.Number(kronor(res.Granted[p.ID])),
				export.Text(b.BaseURL()+b.URL("partnership", p.ID)),
			); err != nil {
				return err
			}
		}
		return nil
	})
}

// The JSON download's records. The field names are part of the open data
// and stay as they are (README, "Open data").
type partnershipJSON struct {
	ID            int64        `json:"id"`
	URL           string       `json:"url"`
	Name          string       `json:"name"`
	ThemeSV       string       `json:"theme_sv"`
	ThemeEN       string       `json:"theme_en"`
	DescriptionSV string       `json:"description_sv"`
	DescriptionEN string       `json:"description_en"`
	Start         string       `json:"start"`
	End           *string      `json:"end"`
	Status        string       `json:"status"`
	Swedish       []memberJSON `json:"swedish_members"`
	Partners      []memberJSON `json:"partners"`
	Countries     []string     `json:"countries"`
	Goals         []int        `json:"goals"`
	Targets       []string     `json:"targets"`
	GrantedOre    int64        `json:"granted_ore"` // the public grants' sum, in öre
}

type memberJSON struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Code    string `json:"code,omitempty"`
	Country string `json:"country,omitempty"`
}

type partnershipsJSON struct {
	Count        int               `json:"count"`
	Query        map[string]string `json:"query"`
	Partnerships []partnershipJSON `json:"partnerships"`
}

// partnershipsJSON downloads the selection (every page) as JSON.
func (s *Server) partnershipsJSON(w http.ResponseWriter, r *http.Request, b *Base) error {
	res, err := s.selectPartnerships(r, b, true)
	if err != nil {
		return err
	}
	out := partnershipsJSON{Count: len(res.List), Query: map[string]string{}, Partnerships: []partnershipJSON{}}
	for k, v := range res.Query.values() {
		out.Query[k] = v[0]
	}
	for _, p := range res.List {
		j := partnershipJSON{
			ID: p.ID, URL: b.BaseURL() + b.URL("partnership", p.ID), Name: p.Name,
			ThemeSV: p.ThemeSV, ThemeEN: p.ThemeEN, DescriptionSV: p.DescriptionSV, DescriptionEN: p.DescriptionEN,
			Start: p.Start.Format("2006-01-02"), Status: string(p.Status),
			Swedish: []memberJSON{}, Partners: []memberJSON{}, Countries: p.Countries(), Goals: p.Goals, Targets: p.Targets,
			GrantedOre: res.Granted[p.ID],
		}
		if !p.End.IsZero() {
			end := p.End.Format("2006-01-02")
			j.End = &end
		}
		for _, o := range p.Swedish {
			j.Swedish = append(j.Swedish, memberJSON{ID: o.ID, Name: o.Name, Kind: string(o.Kind), Code: o.Code})
		}
		for _, o := range p.Partners {
			j.Partners = append(j.Partners, memberJSON{ID: o.ID, Name: o.Name, Kind: string(o.Kind), Country: o.Country})
		}
		if j.Countries == nil {
			j.Countries = []string{}
		}
		if j.Goals == nil {
			j.Goals = []int{}
		}
		if j.Targets == nil {
			j.Targets = []string{}
		}
		out.Partnerships = append(out.Partnerships, j)
	}
	body, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="partnerskap.json"`)
	_, err = w.Write(append(body, '\n'))
	return err
}
