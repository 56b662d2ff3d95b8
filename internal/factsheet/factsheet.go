// Package factsheet renders the fact sheet of a partnership: one A4 page,
// in Swedish or English, for politicians and decision makers. It says who
// works together and where, why, towards which global goals, with how much
// money, how many people the communication reached and how the survey
// answers changed, and where to ask.
//
// The sheet is always exactly one page. Text that could be long (names,
// members, the description) is measured and cut with "…"; when the whole
// does not fit, everything is set a step smaller, and at the smallest step
// the description gives way. The same Sheet always gives the same bytes:
// the dates come from the Sheet, not from the clock.
package factsheet

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/letter"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/survey"
)

// Sheet is what a fact sheet says; the caller fills it from the store with
// public facts only.
type Sheet struct {
	Lang        string // "sv" or "en"
	Operator    string // who runs the programme, e.g. "ICLD"
	Name        string // e.g. "Kalix – Masaka"
	Theme       string // in Lang
	Description string // in Lang; trimmed to fit
	Swedish     []Member
	Partners    []Member
	Start, End  time.Time // the period; End zero when open-ended
	Goals       []int     // SDG goal numbers
	Granted     int64     // öre, the sum of the partnership's grants
	Grants      int       // how many grants
	Reach       int64     // people reached, summed over the activities
	Activities  int       // how many activities
	Survey      *Survey   // nil when there is no survey to compare
	Contact     string    // an e-mail address that is already public
	URL         string    // the partnership's public page
	Produced    time.Time // when the sheet was made (shown as a date in Stockholm)
}

// Member is an organisation of the partnership.
type Member struct {
	Name    string
	Country string // ISO 3166-1 alpha-2; shown for partners abroad
}

// Survey is the change in the answers to the headline question of the
// baseline and follow-up surveys.
type Survey struct {
	Question  string  // in Lang
	Baseline  float64 // mean, 1–5
	FollowUp  float64 // mean, 1–5
	BaselineN int     // answers before
	FollowUpN int     // answers after
	Pairs     int     // people who answered both times (0 when unknown; left out below survey.MinPublicAnswers)
	ScaleLow  int     // the scale's ends, e.g. 1 and 5
	ScaleHigh int
}

// Change is the follow-up mean minus the baseline mean.
func (s *Survey) Change() float64 { return s.FollowUp - s.Baseline }

// Page geometry in millimetres (A4 is 210 × 297).
const (
	pageWidth   = 210.0
	pageHeight  = 297.0
	margin      = 18.0
	contentW    = pageWidth - 2*margin
	footerTop   = pageHeight - 26 // the footer's rule
	contentEnd  = footerTop - 4   // where the body must stop
	labelWidth  = 40.0            // the facts block's first column
	ptToMM      = 25.4 / 72
	leading     = 1.22 // line height as a multiple of the font size
	ellipsis    = "…"
	maxNameLine = 2
)

// scales are the steps the whole sheet shrinks by until it fits. A short
// sheet is set larger than the base size, so it reads easily and does not
// leave half the page empty.
var scales = []float64{1.25, 1.15, 1.07, 1, 0.93, 0.86, 0.8}

// Render lays the sheet out on one A4 page and returns the PDF.
func Render(s Sheet) ([]byte, error) {
	s = trimmed(s)
	if s.Lang != "sv" && s.Lang != "en" {
		return nil, fmt.Errorf("factsheet: unknown language %q", s.Lang)
	}
	if s.Name == "" {
		return nil, errors.New("factsheet: no partnership name")
	}
	if s.Produced.IsZero() {
		return nil, errors.New("factsheet: no production date")
	}
	// The sheet is public: each survey figure follows the public pages'
	// rule (survey.Public) on the answers, or pairs, it rests on.
	if s.Survey != nil && (!survey.Public(s.Survey.BaselineN) || !survey.Public(s.Survey.FollowUpN)) {
		s.Survey = nil
	}
	if s.Survey != nil && s.Survey.Pairs > 0 && !survey.Public(s.Survey.Pairs) {
		sv := *s.Survey
		sv.Pairs = 0
		s.Survey = &sv
	}
	if s.Survey != nil && s.Survey.ScaleHigh <= s.Survey.ScaleLow {
		sv := *s.Survey
		sv.ScaleLow, sv.ScaleHigh = 1, 5
		s.Survey = &sv
	}
	// Try each scale with the whole description; at the smallest, cut
	// the description to the lines that fit.
	for _, scale := range scales {
		pdf, end, _ := layout(s, scale, -1)
		if end <= contentEnd {
			return output(pdf)
		}
	}
	scale := scales[len(scales)-1]
	_, end, lines := layout(s, scale, -1)
	keep := lines - int(math.Ceil((end-contentEnd)/lineHeight(bodySize*scale)))
	for ; keep >= 0; keep-- {
		pdf, end, _ := layout(s, scale, keep)
		if end <= contentEnd {
			return output(pdf)
		}
	}
	// Every other part has a fixed limit, so this is not reached; if it
	// were, the sheet would still be one page, only crowded.
	pdf, _, _ := layout(s, scale, 0)
	return output(pdf)
}

func output(pdf *fpdf.Fpdf) ([]byte, error) {
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("factsheet: %w", err)
	}
	if n := pdf.PageNo(); n != 1 {
		return nil, fmt.Errorf("factsheet: laid out on %d pages", n)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("factsheet: %w", err)
	}
	return buf.Bytes(), nil
}

func trimmed(s Sheet) Sheet {
	for _, p := range []*string{&s.Lang, &s.Operator, &s.Name, &s.Theme, &s.Description, &s.Contact, &s.URL} {
		*p = strings.TrimSpace(strings.ReplaceAll(*p, "\r\n", "\n"))
	}
	return s
}

// Font sizes in points at scale 1.
const (
	nameSize   = 22.0
	themeSize  = 12.5
	figureSize = 17.0
	smallSize  = 8.5
	factSize   = 9.5
	headSize   = 11.5
	bodySize   = 10.0
)

func lineHeight(pt float64) float64 { return pt * ptToMM * leading }

// writer lays out one sheet on one document at one scale.
type writer struct {
	pdf    *fpdf.Fpdf
	family string
	s      Sheet
	t      text
	scale  float64
}

// layout draws the sheet at scale, the description cut to descLines lines
// (-1: all). It returns the document, where the body ended, and how many
// lines the description took.
func layout(s Sheet, scale float64, descLines int) (*fpdf.Fpdf, float64, int) {
	t := texts[s.Lang]
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, 12, margin)
	pdf.SetCellMargin(0)
	pdf.SetAutoPageBreak(false, 0) // one page: the layout checks the fit itself
	family := letter.AddFonts(pdf)

	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(s.Produced.UTC())
	pdf.SetModificationDate(s.Produced.UTC())
	pdf.SetCompression(true)
	pdf.SetTitle(pdfText(t.title+": "+s.Name), true)
	if s.Operator != "" {
		pdf.SetAuthor(pdfText(s.Operator), true)
	}
	pdf.SetSubject(pdfText(s.Theme), true)
	pdf.SetCreator("partnerskap", true)
	pdf.SetProducer("partnerskap (fpdf)", true)
	pdf.SetLang(t.pdfLang)

	w := &writer{pdf: pdf, family: family, s: s, t: t, scale: scale}
	pdf.AddPage()
	w.header()
	w.footer()
	pdf.SetXY(margin, 23)
	w.title()
	w.figures()
	w.facts()
	lines := w.description(descLines)
	w.goals()
	w.survey()
	return pdf, pdf.GetY(), lines
}

func (w *writer) font(style string, pt float64) { w.pdf.SetFont(w.family, style, pt) }

func (w *writer) gap(mm float64) { w.pdf.SetY(w.pdf.GetY() + mm*w.scale) }

// header is the strip of the 17 goal colours across the top, the operator
// and the date.
func (w *writer) header() {
	p := w.pdf
	goals := sdg.Goals()
	seg := pageWidth / float64(len(goals))
	for i, g := range goals {
		r, gr, b := rgb(g.Color)
		p.SetFillColor(r, gr, b)
		p.Rect(float64(i)*seg, 0, seg+0.2, 4, "F") // overlap a hair so no white seams show
	}
	p.SetTextColor(25, 72, 106)
	p.SetXY(margin, 9)
	w.font("B", 11)
	left := w.t.title
	if w.s.Operator != "" {
		left = w.s.Operator + " · " + left
	}
	p.CellFormat(contentW/2, 6, pdfText(left), "", 0, "L", false, 0, "")
	w.font("", 9)
	p.SetTextColor(80, 80, 80)
	p.CellFormat(contentW/2, 6, pdfText(w.t.formatDate(w.s.Produced.In(clock.Stockholm))), "", 0, "R", false, 0, "")
	p.SetDrawColor(25, 72, 106)
	p.SetLineWidth(0.4)
	p.Line(margin, 17, pageWidth-margin, 17)
	p.SetTextColor(0, 0, 0)
}

// footer is fixed at the bottom: where to ask and where to read more.
func (w *writer) footer() {
	p, s, t := w.pdf, w.s, w.t
	p.SetDrawColor(170, 170, 170)
	p.SetLineWidth(0.2)
	p.Line(margin, footerTop, pageWidth-margin, footerTop)
	y := footerTop + 2.5
	lh := lineHeight(8.5)
	if s.Contact != "" {
		w.labelled(y, t.contact, s.Contact, "mailto:"+s.Contact)
		y += lh + 0.6
	}
	if s.URL != "" {
		w.labelled(y, t.readMore, s.URL, s.URL)
		y += lh + 0.6
	}
	w.font("", 7.5)
	p.SetTextColor(90, 90, 90)
	p.SetXY(margin, y+0.5)
	source := fmt.Sprintf(t.produced, w.t.formatDate(s.Produced.In(clock.Stockholm)))
	for _, line := range w.wrap(source, contentW, 2) {
		p.SetX(margin)
		p.CellFormat(contentW, lineHeight(7.5), pdfText(line), "", 2, "L", false, 0, "")
	}
	p.SetTextColor(0, 0, 0)
}

// labelled writes "label value" on one line at y, the value a link.
func (w *writer) labelled(y float64, label, value, link string) {
	p := w.pdf
	lh := lineHeight(8.5)
	p.SetXY(margin, y)
	w.font("B", 8.5)
	p.SetTextColor(0, 0, 0)
	lw := p.GetStringWidth(label) + 2
	p.CellFormat(lw, lh, pdfText(label), "", 0, "L", false, 0, "")
	w.font("", 8.5)
	p.SetTextColor(25, 72, 106)
	value = w.fit(value, contentW-lw)
	p.CellFormat(p.GetStringWidth(value), lh, pdfText(value), "", 0, "L", false, 0, link)
	p.SetTextColor(0, 0, 0)
}

// title is the partnership's name and theme.
func (w *writer) title() {
	p, s := w.pdf, w.s
	size := nameSize * w.scale
	w.font("B", size)
	p.SetTextColor(25, 72, 106)
	w.lines(w.wrap(s.Name, contentW, maxNameLine), lineHeight(size), "L")
	p.SetTextColor(0, 0, 0)
	if s.Theme != "" {
		size = themeSize * w.scale
		w.font("", size)
		p.SetTextColor(70, 70, 70)
		w.gap(0.8)
		w.lines(w.wrap(s.Theme, contentW, 2), lineHeight(size), "L")
		p.SetTextColor(0, 0, 0)
	}
	w.gap(4.5)
}

// figure is one key number with what it counts.
type figure struct{ value, label string }

// figures are the key numbers in boxes: money, reach and the survey change.
func (w *writer) figures() {
	p, s, t := w.pdf, w.s, w.t
	figs := []figure{
		{money.Format(s.Granted, s.Lang), t.grantedLabel(s.Grants, s.Operator)},
		{money.Count(s.Reach, s.Lang), t.reachLabel(s.Activities)},
	}
	if s.Survey != nil {
		figs = append(figs, figure{signed(s.Survey.Change(), s.Lang), t.surveyLabel(s.Survey.ScaleLow, s.Survey.ScaleHigh)})
	}
	const gapX = 4.0
	bw := (contentW - gapX*float64(len(figs)-1)) / float64(len(figs))
	big, small := figureSize*w.scale, smallSize*w.scale
	pad := 3.0 * w.scale
	// The boxes are as tall as the tallest label.
	labelLines := 1
	for _, f := range figs {
		w.font("", small)
		labelLines = max(labelLines, len(w.wrap(f.label, bw-2*pad, 3)))
	}
	h := 2*pad + lineHeight(big) + 1 + float64(labelLines)*lineHeight(small)
	y := p.GetY()
	for i, f := range figs {
		x := margin + float64(i)*(bw+gapX)
		p.SetFillColor(238, 243, 247)
		p.Rect(x, y, bw, h, "F")
		p.SetFillColor(25, 72, 106)
		p.Rect(x, y, 1.2, h, "F") // an accent down the left edge
		p.SetXY(x+pad, y+pad)
		w.font("B", big)
		p.SetTextColor(25, 72, 106)
		p.CellFormat(bw-2*pad, lineHeight(big), pdfText(f.value), "", 2, "L", false, 0, "")
		p.SetTextColor(40, 40, 40)
		w.font("", small)
		p.SetY(p.GetY() + 1)
		for _, line := range w.wrap(f.label, bw-2*pad, 3) {
			p.SetX(x + pad)
			p.CellFormat(bw-2*pad, lineHeight(small), pdfText(line), "", 2, "L", false, 0, "")
		}
	}
	p.SetTextColor(0, 0, 0)
	p.SetXY(margin, y+h)
	w.gap(5)
}

// facts are who takes part, where and when.
func (w *writer) facts() {
	p, s, t := w.pdf, w.s, w.t
	var swedish, partners []string
	for _, m := range s.Swedish {
		swedish = append(swedish, m.Name)
	}
	for _, m := range s.Partners {
		if c := country.Name(m.Country, s.Lang); c != "" && m.Country != "" {
			partners = append(partners, m.Name+", "+c)
		} else {
			partners = append(partners, m.Name)
		}
	}
	period := t.formatDate(s.Start) + " – " + t.openEnded
	if !s.End.IsZero() {
		period = t.formatDate(s.Start) + " – " + t.formatDate(s.End)
	}
	if s.Start.IsZero() {
		period = ""
	}
	rows := []struct{ label, value string }{
		{t.swedish(len(swedish)), strings.Join(swedish, ", ")},
		{t.partners(len(partners)), strings.Join(partners, "; ")},
		{t.period, period},
	}
	size := factSize * w.scale
	lh := lineHeight(size)
	for _, r := range rows {
		if r.value == "" {
			continue
		}
		y := p.GetY()
		w.font("B", size)
		p.SetXY(margin, y)
		p.CellFormat(labelWidth, lh, pdfText(w.fit(r.label, labelWidth-2)), "", 0, "L", false, 0, "")
		w.font("", size)
		for _, line := range w.wrap(r.value, contentW-labelWidth, 3) {
			p.SetX(margin + labelWidth)
			p.CellFormat(contentW-labelWidth, lh, pdfText(line), "", 2, "L", false, 0, "")
		}
		w.gap(1)
	}
	w.gap(3)
}

// heading starts a section.
func (w *writer) heading(s string) {
	p := w.pdf
	size := headSize * w.scale
	w.font("B", size)
	p.SetTextColor(25, 72, 106)
	p.SetX(margin)
	p.CellFormat(contentW, lineHeight(size), pdfText(s), "", 2, "L", false, 0, "")
	p.SetTextColor(0, 0, 0)
	w.gap(1)
}

// description is the "why": the partnership's own description, cut to
// limit lines (-1: all) with "…" when it is longer. It returns the lines
// the whole description needs.
func (w *writer) description(limit int) int {
	p, s := w.pdf, w.s
	if s.Description == "" || limit == 0 {
		return w.descriptionLines()
	}
	w.heading(w.t.about)
	size := bodySize * w.scale
	w.font("", size)
	lh := lineHeight(size)
	var all []string
	paraEnd := map[int]bool{}
	for _, para := range strings.Split(s.Description, "\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		all = append(all, p.SplitText(pdfText(para), contentW)...)
		paraEnd[len(all)-1] = true
	}
	shown := all
	if limit >= 0 && limit < len(all) {
		shown = append([]string(nil), all[:limit]...)
		last := strings.TrimRight(shown[limit-1], " ,;:–-")
		for last != "" && p.GetStringWidth(last+ellipsis) > contentW {
			last = dropLastWord(last)
		}
		shown[limit-1] = last + ellipsis
	}
	for i, line := range shown {
		p.SetX(margin)
		p.CellFormat(contentW, lh, line, "", 2, "L", false, 0, "")
		if paraEnd[i] && i < len(shown)-1 {
			w.gap(1.2)
		}
	}
	w.gap(4)
	return len(all)
}

// descriptionLines counts the description's lines at the current scale.
func (w *writer) descriptionLines() int {
	w.font("", bodySize*w.scale)
	n := 0
	for _, para := range strings.Split(w.s.Description, "\n") {
		if para = strings.TrimSpace(para); para != "" {
			n += len(w.pdf.SplitText(pdfText(para), contentW))
		}
	}
	return n
}

// goals draws each goal as a square in its UN colour with its number, and
// its short name beside it, in a grid.
func (w *writer) goals() {
	p, s := w.pdf, w.s
	var goals []*sdg.Goal
	for _, n := range s.Goals {
		if g := sdg.GoalByNumber(n); g != nil {
			goals = append(goals, g)
		}
	}
	if len(goals) == 0 {
		return
	}
	w.heading(w.t.goals)
	cols, side, size := 3, 13.0, 9.0
	switch {
	case len(goals) > 9:
		cols, side, size = 4, 10, 7.5
	case len(goals) > 6:
		side, size = 11, 8.5
	}
	side *= w.scale
	size *= w.scale
	const gapX, gapY = 4.0, 2.5
	colW := (contentW - gapX*float64(cols-1)) / float64(cols)
	textW := colW - side - 2.5
	lh := lineHeight(size)
	maxLines := max(1, int(side/lh))
	top := p.GetY()
	for i, g := range goals {
		x := margin + float64(i%cols)*(colW+gapX)
		y := top + float64(i/cols)*(side+gapY*w.scale)
		r, gr, b := rgb(g.Color)
		p.SetFillColor(r, gr, b)
		p.Rect(x, y, side, side, "F")
		tr, tg, tb := textOn(g.Color)
		p.SetTextColor(tr, tg, tb)
		numSize := side * 1.5
		w.font("B", numSize)
		p.SetXY(x, y+(side-lineHeight(numSize))/2)
		p.CellFormat(side, lineHeight(numSize), strconv.Itoa(g.Number), "", 0, "C", false, 0, "")
		p.SetTextColor(30, 30, 30)
		w.font("", size)
		lines := w.wrap(g.Short.In(s.Lang), textW, maxLines)
		ty := y + (side-float64(len(lines))*lh)/2
		for j, line := range lines {
			p.SetXY(x+side+2.5, ty+float64(j)*lh)
			p.CellFormat(textW, lh, pdfText(line), "", 0, "L", false, 0, "")
		}
	}
	rows := (len(goals) + cols - 1) / cols
	p.SetTextColor(0, 0, 0)
	p.SetXY(margin, top+float64(rows)*side+float64(rows-1)*gapY*w.scale)
	w.gap(5)
}

// survey shows the headline question's mean before and after as two bars
// on the answer scale, with the numbers in words too.
func (w *writer) survey() {
	p, s, t := w.pdf, w.s, w.t
	sv := s.Survey
	if sv == nil {
		return
	}
	w.heading(t.surveyHeading)
	size := factSize * w.scale
	lh := lineHeight(size)
	w.font("", size)
	for _, line := range w.wrap(t.surveyText(sv, s.Lang), contentW, 3) {
		p.SetX(margin)
		p.CellFormat(contentW, lh, pdfText(line), "", 2, "L", false, 0, "")
	}
	w.gap(1.5)
	low, high := float64(sv.ScaleLow), float64(sv.ScaleHigh)
	if high <= low {
		low, high = 1, 5
	}
	const labelW, valueW = 22.0, 14.0
	barMax := contentW - labelW - valueW
	barH := 5.0 * w.scale
	for _, row := range []struct {
		label string
		mean  float64
		dark  bool
	}{{t.before, sv.Baseline, false}, {t.after, sv.FollowUp, true}} {
		y := p.GetY()
		w.font("", size)
		p.SetXY(margin, y)
		p.CellFormat(labelW, barH, pdfText(row.label), "", 0, "L", false, 0, "")
		p.SetFillColor(230, 230, 230)
		p.Rect(margin+labelW, y, barMax, barH, "F")
		if row.dark {
			p.SetFillColor(25, 72, 106)
		} else {
			p.SetFillColor(120, 150, 175)
		}
		frac := math.Min(1, math.Max(0, (row.mean-low)/(high-low)))
		p.Rect(margin+labelW, y, barMax*frac, barH, "F")
		w.font("B", size)
		p.SetXY(margin+labelW+barMax, y)
		p.CellFormat(valueW, barH, decimal(row.mean, s.Lang), "", 0, "R", false, 0, "")
		p.SetY(y + barH + 1.5*w.scale)
	}
	w.gap(3)
}

// lines writes each line at the left margin.
func (w *writer) lines(lines []string, lh float64, align string) {
	for _, line := range lines {
		w.pdf.SetX(margin)
		w.pdf.CellFormat(contentW, lh, pdfText(line), "", 2, align, false, 0, "")
	}
}

// wrap breaks s into lines no wider than width in the current font, at most
// limit of them; the last shown line ends in "…" when text was left out.
func (w *writer) wrap(s string, width float64, limit int) []string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return nil
	}
	// Break only at ordinary spaces: SplitText would also break at the
	// no-break spaces that keep "300 000 kr" together.
	var lines []string
	line := ""
	for _, word := range strings.Split(s, " ") {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if w.pdf.GetStringWidth(pdfText(try)) <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		// A word wider than the line is cut to fit.
		for w.pdf.GetStringWidth(pdfText(word)) > width {
			cut := w.fitRunes(word, width)
			lines = append(lines, cut)
			word = word[len(cut):]
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) > limit {
		lines = lines[:limit]
		lines[limit-1] = w.ellipsize(lines[limit-1], width)
	}
	return lines
}

// fit returns s, or as much of it as fits in width followed by "…".
func (w *writer) fit(s string, width float64) string {
	if w.pdf.GetStringWidth(pdfText(s)) <= width {
		return s
	}
	return w.ellipsize(s, width)
}

// ellipsize ends s with "…", shortening it until both fit in width.
func (w *writer) ellipsize(s string, width float64) string {
	r := []rune(strings.TrimRight(s, " ,;:–-"))
	for len(r) > 0 && w.pdf.GetStringWidth(pdfText(string(r)+ellipsis)) > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ,;:–-") + ellipsis
}

// fitRunes returns the longest prefix of s (at least one rune) no wider
// than width.
func (w *writer) fitRunes(s string, width float64) string {
	r := []rune(s)
	n := len(r)
	for n > 1 && w.pdf.GetStringWidth(pdfText(string(r[:n]))) > width {
		n--
	}
	return string(r[:n])
}

func dropLastWord(s string) string {
	if i := strings.LastIndexByte(strings.TrimRight(s, " "), ' '); i > 0 {
		return strings.TrimRight(s[:i], " ,;:–-")
	}
	r := []rune(s)
	return string(r[:len(r)-1])
}

// pdfText prepares text for the page: characters fpdf cannot lay out
// (tabs, other control characters) become spaces.
func pdfText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r < 0x20 || r == 0x7f:
			return ' '
		case r == '\u202f': // narrow no-break space: not in every font
			return '\u00a0'
		}
		return r
	}, s)
}

// decimal writes one decimal with the language's decimal sign: "2,4" or "2.4".
func decimal(f float64, lang string) string {
	s := strconv.FormatFloat(math.Abs(f), 'f', 1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	if f < 0 && s != "0,0" && s != "0.0" {
		return "−" + s
	}
	return s
}

// signed is decimal with a plus sign for a rise.
func signed(f float64, lang string) string {
	d := decimal(f, lang)
	if f > 0 && d != "0,0" && d != "0.0" {
		return "+" + d
	}
	return d
}

// rgb reads "#rrggbb".
func rgb(hex string) (int, int, int) {
	v, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

// textOn picks white or near-black text for a goal colour, whichever has
// the higher contrast, as the web pages do: goal 7's yellow needs black.
func textOn(hex string) (int, int, int) {
	bg := luminance(hex)
	white := (1 + 0.05) / (bg + 0.05)
	black := (bg + 0.05) / (luminance("#1a1a1a") + 0.05)
	if white >= black {
		return 255, 255, 255
	}
	return 26, 26, 26
}

func luminance(hex string) float64 {
	r, g, b := rgb(hex)
	ch := func(c int) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}
