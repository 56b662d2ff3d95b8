package web

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/icld/partnerskap/internal/factsheet"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
)

// programmeMailbox is where the public's questions about a partnership go:
// the programme's own address, printed on every page's footer. Members'
// personal addresses are never printed.
const programmeMailbox = "partnership@icld.se"

// pshipFigures is what a partnership's grants add up to, for the fact
// sheet and the widget.
type pshipFigures struct {
	Granted    int64 // öre
	Grants     int
	Reach      int64 // people reached, summed over the activities
	Activities int
	Operator   string            // who runs the programme of the latest grant, e.g. "ICLD"
	Survey     *factsheet.Survey // the latest grant's headline survey question; nil for none
}

// figuresOf loads the partnership's grants with their activities and
// surveys and adds them up. With survey false it leaves the surveys
// unread (the widget shows no survey).
func (s *Server) figuresOf(ctx context.Context, p *partnership.Partnership, lang string, withSurvey bool) (pshipFigures, error) {
	var f pshipFigures
	grants, err := s.store.GrantList(ctx, grant.Filter{PartnershipID: p.ID})
	if err != nil {
		return f, err
	}
	// Newest first, so the operator and the survey are the latest grant's.
	slices.SortStableFunc(grants, func(a, b *grant.Grant) int { return b.AwardedOn.Compare(a.AwardedOn) })
	f.Grants = len(grants)
	ids := make([]int64, 0, len(grants))
	for _, g := range grants {
		f.Granted += g.Amount
		ids = append(ids, g.ID)
	}
	acts, err := s.store.ActivitiesOf(ctx, ids)
	if err != nil {
		return f, err
	}
	for _, list := range acts {
		f.Activities += len(list)
		for _, a := range list {
			f.Reach += a.TotalReach()
		}
	}
	if len(grants) > 0 {
		c, err := s.store.Call(ctx, grants[0].CallID)
		if err != nil {
			return f, err
		}
		prog, err := s.store.Programme(ctx, c.ProgrammeID)
		if err != nil {
			return f, err
		}
		f.Operator = prog.Operator
	}
	if !withSurvey {
		return f, nil
	}
	for _, g := range grants {
		sv, err := s.store.Survey(ctx, g.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return f, err
		}
		rs, err := s.store.Responses(ctx, g.ID)
		if err != nil {
			return f, err
		}
		if f.Survey = headline(sv.Questions, rs, lang); f.Survey != nil {
			break
		}
	}
	return f, nil
}

// headline is the survey's headline question compared before and after:
// the first scale question (the template puts knowledge of the
// partnership first) with enough answers in both phases; nil when none
// has them.
func headline(qs []survey.Question, rs []survey.Response, lang string) *factsheet.Survey {
	for _, r := range survey.Results(qs, rs, "") {
		shown := r.Public()
		if r.Question.Kind != survey.Scale || !shown.Change {
			continue
		}
		fs := &factsheet.Survey{
			Question: r.Question.Text.In(lang), Baseline: r.Baseline.Mean, FollowUp: r.FollowUp.Mean,
			BaselineN: r.Baseline.Answered, FollowUpN: r.FollowUp.Answered, ScaleLow: 1, ScaleHigh: 5,
		}
		if shown.PairedChange {
			fs.Pairs = r.Pairs
		}
		return fs
	}
	return nil
}

// factSheet serves a partnership's fact sheet: one A4 page of PDF in the
// page's language, shown in the browser (inline), public like the page.
func (s *Server) factSheet(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := s.store.Partnership(ctx, id)
	if err != nil {
		return err
	}
	f, err := s.figuresOf(ctx, p, b.Lang, true)
	if err != nil {
		return err
	}
	sheet := factsheet.Sheet{
		Lang: b.Lang, Operator: f.Operator, Name: p.Name, Theme: p.Theme(b.Lang), Description: p.Description(b.Lang),
		Start: p.Start, End: p.End, Goals: p.Goals,
		Granted: f.Granted, Grants: f.Grants, Reach: f.Reach, Activities: f.Activities, Survey: f.Survey,
		Contact: programmeMailbox, URL: b.publicBase() + b.URL("partnership", p.ID), Produced: s.clock.Now(),
	}
	for _, o := range p.Swedish {
		sheet.Swedish = append(sheet.Swedish, factsheet.Member{Name: o.Name, Country: o.Country})
	}
	for _, o := range p.Partners {
		sheet.Partners = append(sheet.Partners, factsheet.Member{Name: o.Name, Country: o.Country})
	}
	pdf, err := factsheet.Render(sheet)
	if err != nil {
		return err
	}
	prefix := "faktablad-"
	if b.Lang == "en" {
		prefix = "fact-sheet-"
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": prefix + slug(p.Name) + ".pdf"}))
	h.Set("Content-Language", b.Lang)
	h.Set("Cache-Control", "public, max-age=60")
	_, err = w.Write(pdf)
	return err
}

// publicBase is the site's public address for absolute links: the
// configured base URL, else the address the request came to.
func (b *Base) publicBase() string {
	if base := b.BaseURL(); base != "" {
		return base
	}
	scheme := "http"
	if b.req.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + b.req.Host
}

// slug makes a file name part of a name: "Kalix – Masaka" gives
// "kalix-masaka", "Region Östergötland" "region-ostergotland".
func slug(name string) string {
	fold := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "a", "Ä", "a", "Ö", "o", "é", "e", "É", "e", "ü", "u", "Ü", "u")
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(fold.Replace(name)) {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if len(out) > 60 {
		out = strings.TrimSuffix(out[:60], "-")
	}
	if out == "" {
		return "partnerskap"
	}
	return out
}
