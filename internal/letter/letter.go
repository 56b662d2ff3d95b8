// Package letter renders the decision letter (beslut) that tells an
// applicant what was decided on its application, as a PDF of one or two A4
// pages in Swedish or English.
//
// The text is set in Liberation Sans, embedded from fonts/ (SIL Open Font
// License 1.1, see fonts/README.md), so å, ä, ö, é, en dashes and no-break
// spaces print on any reader. The same Letter always gives the same bytes:
// the document's dates come from the decision, not from the clock.
package letter

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/report"
)

// Letter holds what a decision letter says; the caller fills it from the store.
type Letter struct {
	Lang           string    // "sv" or "en"
	Operator       string    // e.g. "ICLD"
	Programme      string    // programme name in Lang
	Call           string    // call title in Lang
	RegNumber      string    // the decision's registration number, e.g. "2021/0042"
	ApplicationReg string    // the application's registration number
	Date           time.Time // decision time (shown as a date in Europe/Stockholm)
	Organisation   string    // applicant, e.g. "Kalix kommun"
	Partnership    string    // e.g. "Kalix – Masaka"
	Project        string    // project title from the application
	Outcome        string    // "granted", "partly_granted", "rejected"
	Requested      int64     // öre
	Amount         int64     // öre granted (0 when rejected)
	Reason         string    // may be empty for granted
	Conditions     string    // the decision's own conditions; may be empty
	DecidedBy      string    // officer's name
	Contact        string    // e.g. "partnership@icld.se"

	// What a grant's letter states from the call (a rejection needs none):
	// Plan is the call's payment plan (call.Config.Plan); each instalment
	// is stated with its amount in kronor, split by ledger.Plan.Amounts so
	// the instalments add up to Amount exactly.
	Plan ledger.Plan
	// Reports are the reports the grant owes with their due dates, in the
	// order they are due (call.ReportRules.Deadlines): an interim report
	// when the call asks for one, and the final report.
	Reports []report.Deadline
	// Tolerance is the share (0.10 for 10 %) a budget line's spending may
	// differ from the budget unexplained; 0 leaves the sentence out.
	Tolerance float64
}

// The outcomes a letter can announce; they are the decision package's.
const (
	granted       = "granted"
	partlyGranted = "partly_granted"
	rejected      = "rejected"
)

var (
	//go:embed fonts/LiberationSans-Regular.ttf
	fontRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	fontBold []byte
)

const family = "LiberationSans"

// AddFonts registers the embedded Liberation Sans, regular ("") and bold
// ("B"), on pdf and returns the family name to pass to SetFont, so other
// documents (the fact sheet) print å, ä and ö as the letter does without
// a second copy of the font files.
func AddFonts(pdf *fpdf.Fpdf) string {
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	return family
}

// Page geometry in millimetres (A4 is 210 × 297).
const (
	marginLeft   = 25.0
	marginRight  = 20.0
	marginTop    = 30.0 // below the running header
	marginBottom = 22.0 // above the running footer
	labelWidth   = 48.0 // the facts block's first column
	lineHeight   = 5.4  // body text, 10.5 pt
)

// Render lays the letter out and returns the PDF. It refuses a letter that
// could not be a true decision: an unknown language or outcome, no date, no
// applicant, an amount that contradicts the outcome, or a partial grant or
// rejection without its reason.
func Render(l Letter) ([]byte, error) {
	l = trimmed(l)
	if err := check(l); err != nil {
		return nil, err
	}
	// The header says "page 1 of 2"; the number of pages is known only after
	// a first layout, so lay out twice. The text is the same both times, so
	// the page count is too.
	_, pages, err := render(l, 0)
	if err != nil {
		return nil, err
	}
	out, _, err := render(l, pages)
	return out, err
}

func trimmed(l Letter) Letter {
	for _, s := range []*string{&l.Lang, &l.Operator, &l.Programme, &l.Call, &l.RegNumber,
		&l.ApplicationReg, &l.Organisation, &l.Partnership, &l.Project, &l.Outcome,
		&l.Reason, &l.Conditions, &l.DecidedBy, &l.Contact} {
		*s = strings.TrimSpace(strings.ReplaceAll(*s, "\r\n", "\n"))
	}
	return l
}

func check(l Letter) error {
	if l.Lang != "sv" && l.Lang != "en" {
		return fmt.Errorf("letter: unknown language %q", l.Lang)
	}
	if l.Date.IsZero() {
		return errors.New("letter: no decision date")
	}
	if l.Operator == "" || l.Organisation == "" || l.RegNumber == "" {
		return errors.New("letter: operator, applicant and registration number are required")
	}
	if l.Requested < 0 || l.Amount < 0 {
		return errors.New("letter: negative amount")
	}
	switch l.Outcome {
	case granted:
		if l.Amount <= 0 {
			return errors.New("letter: a grant needs an amount")
		}
		return checkTerms(l)
	case partlyGranted:
		if l.Amount <= 0 || l.Amount >= l.Requested {
			return errors.New("letter: a partial grant is above zero and below the amount requested")
		}
		if l.Reason == "" {
			return errors.New("letter: a partial grant needs its reason")
		}
		return checkTerms(l)
	case rejected:
		if l.Amount != 0 {
			return errors.New("letter: a rejection grants no money")
		}
		if l.Reason == "" {
			return errors.New("letter: a rejection needs its reason")
		}
	default:
		return fmt.Errorf("letter: unknown outcome %q", l.Outcome)
	}
	return nil
}

// checkTerms requires of a grant's letter what it must state: a payment
// plan that adds up (ledger.Plan.Check) and the final report's deadline.
func checkTerms(l Letter) error {
	if err := l.Plan.Check(); err != nil || len(l.Plan) == 0 {
		return fmt.Errorf("letter: a grant needs a valid payment plan (%v)", err)
	}
	final := false
	for _, d := range l.Reports {
		if d.Due.IsZero() {
			return errors.New("letter: a report without a due date")
		}
		final = final || d.Kind == report.Final
	}
	if !final {
		return errors.New("letter: a grant needs the final report's deadline")
	}
	if l.Tolerance < 0 || l.Tolerance > 1 {
		return errors.New("letter: a deviation tolerance outside 0–100 %")
	}
	return nil
}

// render lays the letter out once; total is the number of pages the
// header announces (0 leaves it out). It returns the PDF and its pages.
func render(l Letter, total int) ([]byte, int, error) {
	t := texts[l.Lang]
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetCellMargin(0) // text lines up with the rules and the margin
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)

	// Same letter, same bytes: dates from the decision, resources in order.
	// fpdf writes the date without a zone, which readers take as UTC.
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(l.Date.UTC())
	pdf.SetModificationDate(l.Date.UTC())
	pdf.SetCompression(true)

	pdf.SetTitle(pdfText(t.heading+" "+l.RegNumber), true)
	pdf.SetAuthor(pdfText(l.Operator), true)
	pdf.SetSubject(pdfText(subject(l)), true)
	pdf.SetCreator("partnerskap", true)
	pdf.SetProducer("partnerskap (fpdf)", true)
	pdf.SetLang(t.pdfLang)

	w := &writer{pdf: pdf, l: l, t: t}
	pdf.SetHeaderFunc(func() { w.header(total) })
	pdf.SetFooterFunc(w.footer)
	pdf.AddPage()
	w.body()

	if err := pdf.Error(); err != nil {
		return nil, 0, fmt.Errorf("letter: %w", err)
	}
	pages := pdf.PageNo()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, 0, fmt.Errorf("letter: %w", err)
	}
	return buf.Bytes(), pages, nil
}

// pdfText prepares text for the page. The embedded font has the glyphs for
// no-break spaces (U+00A0) and the subsetter keeps them, so they stay; only
// characters fpdf cannot lay out (tabs, other control characters) become
// spaces.
func pdfText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r < 0x20 || r == 0x7f:
			return ' '
		case r == '\u202f': // narrow no-break space: not in every font
			return '\u00a0'
		}
		return r
	}, s)
}

func subject(l Letter) string {
	if l.Project != "" {
		return l.Organisation + " – " + l.Project
	}
	return l.Organisation
}

// writer lays out one letter on one document.
type writer struct {
	pdf *fpdf.Fpdf
	l   Letter
	t   text
}

func (w *writer) font(style string, size float64) {
	w.pdf.SetFont(family, style, size)
}

// header runs on every page: the operator on the left, the document and
// page on the right, a rule below.
func (w *writer) header(total int) {
	p := w.pdf
	p.SetTextColor(0, 0, 0)
	p.SetXY(marginLeft, 12)
	w.font("B", 14)
	p.CellFormat(80, 7, pdfText(w.l.Operator), "", 0, "L", false, 0, "")
	w.font("", 9)
	p.SetXY(marginLeft+80, 12)
	right := 210 - marginLeft - marginRight - 80
	p.CellFormat(right, 4.5, pdfText(w.t.heading+" "+w.l.RegNumber), "", 2, "R", false, 0, "")
	page := fmt.Sprintf(w.t.page, p.PageNo())
	if total > 0 {
		page = fmt.Sprintf(w.t.pageOf, p.PageNo(), total)
	}
	p.CellFormat(right, 4.5, page, "", 2, "R", false, 0, "")
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.3)
	p.Line(marginLeft, 23, 210-marginRight, 23)
	p.SetXY(marginLeft, marginTop)
}

// footer runs on every page: who sent the letter and where to write.
func (w *writer) footer() {
	p := w.pdf
	p.SetY(-15)
	p.SetDrawColor(160, 160, 160)
	p.SetLineWidth(0.2)
	p.Line(marginLeft, p.GetY()-1.5, 210-marginRight, p.GetY()-1.5)
	w.font("", 8.5)
	p.SetTextColor(90, 90, 90)
	line := w.l.Operator
	if w.l.Contact != "" {
		line += " · " + w.l.Contact
	}
	p.CellFormat(0, 4, pdfText(line), "", 0, "C", false, 0, "")
	p.SetTextColor(0, 0, 0)
}

func (w *writer) body() {
	p, l, t := w.pdf, w.l, w.t

	w.font("B", 18)
	p.CellFormat(0, 9, t.heading, "", 1, "L", false, 0, "")
	p.Ln(3)

	w.facts()
	p.Ln(4)

	w.section(t.decision, w.decisionText())
	if l.Reason != "" {
		w.section(t.reason, l.Reason)
	}
	if l.Outcome != rejected {
		w.terms()
	}
	w.section(t.appeal, t.appealText(l.Operator))
	if l.Contact != "" {
		w.section(t.questions, t.questionsText(l.Operator, l.Contact))
	}
	w.signature()
}

// facts is the block of registration numbers, date and parties.
func (w *writer) facts() {
	p, l, t := w.pdf, w.l, w.t
	rows := []struct{ label, value string }{
		{t.regNumber, l.RegNumber},
		{t.applicationReg, l.ApplicationReg},
		{t.date, t.formatDate(l.Date.In(clock.Stockholm))},
		{t.applicant, l.Organisation},
		{t.partnership, l.Partnership},
		{t.programme, l.Programme},
		{t.call, l.Call},
		{t.project, l.Project},
	}
	for _, r := range rows {
		if r.value == "" {
			continue
		}
		w.font("B", 10)
		p.CellFormat(labelWidth, lineHeight, r.label, "", 0, "L", false, 0, "")
		w.font("", 10)
		p.MultiCell(0, lineHeight, pdfText(r.value), "", "L", false)
	}
}

// terms states what a grant comes with: the conditions (the grant's
// standing ones, then the decision's own), how the money is paid out, and
// the reports owed with their due dates, all from the call's data.
func (w *writer) terms() {
	p, l, t := w.pdf, w.l, w.t
	// Amounts cannot fail here: check has accepted the plan.
	amounts, _ := l.Plan.Amounts(l.Amount)

	w.heading(t.conditions)
	w.paragraph(t.conditionsIntro)
	w.bullets(t.standardTerms(l.Organisation, l.Operator))
	p.Ln(1)
	if l.Conditions != "" {
		w.section(t.special, l.Conditions)
	}

	w.heading(t.payment)
	if len(l.Plan) == 1 {
		w.paragraph(t.paidWhole(money.Format(amounts[0], l.Lang), t.when(l.Plan[0].When, l.Organisation, l.Operator)))
	} else {
		w.paragraph(t.paidInParts(len(l.Plan)))
		rows := make([][]string, len(l.Plan))
		for i, in := range l.Plan {
			rows[i] = []string{t.percent(in.Percent), money.Format(amounts[i], l.Lang), t.when(in.When, l.Organisation, l.Operator)}
		}
		w.table(rows, []float64{10, 27, 0}, "RRL")
	}
	p.Ln(1)

	w.heading(t.reporting)
	w.paragraph(t.reportsIntro(l.Organisation, l.Operator, len(l.Reports)))
	rows := make([][]string, len(l.Reports))
	for i, d := range l.Reports {
		rows[i] = []string{t.reportName(d.Kind), t.by(t.formatDate(d.Due))}
	}
	w.table(rows, []float64{labelWidth - indent - tableGap, 0}, "LL")
	p.Ln(1.5)
	w.paragraph(t.reportsContent(len(l.Reports), percentText(l.Tolerance, l.Lang)))
	p.Ln(1)
}

// section writes a heading and its paragraphs.
func (w *writer) section(heading, body string) {
	w.heading(heading)
	for i, para := range paragraphs(body) {
		if i > 0 {
			w.pdf.Ln(1.5)
		}
		w.paragraph(para)
	}
	w.pdf.Ln(1)
}

// heading writes a section's heading, keeping it with at least two lines
// of what follows, and sets the body font.
func (w *writer) heading(heading string) {
	p := w.pdf
	_, pageHeight := p.GetPageSize()
	if p.GetY()+6.5+2*lineHeight > pageHeight-marginBottom {
		p.AddPage()
	}
	p.Ln(2)
	w.font("B", 11.5)
	p.CellFormat(0, 6.5, heading, "", 1, "L", false, 0, "")
	w.font("", 10.5)
}

// paragraph writes one paragraph of body text.
func (w *writer) paragraph(s string) {
	w.font("", 10.5)
	w.pdf.MultiCell(0, lineHeight, pdfText(keepAmountsWhole(s)), "", "L", false)
}

// amountSpace is a space inside an amount as people type it: between
// groups of digits ("100 000") or before its unit ("000 kr", "40 %").
var amountSpace = regexp.MustCompile(`(\d) (\d{3}\b|kr\b|SEK\b|%)`)

// keepAmountsWhole makes the spaces inside amounts non-breaking, so an
// amount an officer typed never splits over two lines. Twice, since the
// matches of "1 000 000" overlap.
func keepAmountsWhole(s string) string {
	for range 2 {
		s = amountSpace.ReplaceAllString(s, "$1\u00a0$2")
	}
	return s
}

// indent is how far lists and tables sit in from the body text.
const indent = 5.0

// bullets writes a list, each item after a bullet with its lines hanging.
func (w *writer) bullets(items []string) {
	p := w.pdf
	w.font("", 10.5)
	for _, it := range items {
		p.Ln(1)
		p.SetX(marginLeft + 1.5)
		p.CellFormat(indent-1.5, lineHeight, "•", "", 0, "L", false, 0, "")
		p.MultiCell(0, lineHeight, pdfText(it), "", "L", false)
	}
}

// tableGap separates a table's last column from the others.
const tableGap = 6.0

// table writes rows of cells in columns of the given widths, aligned as
// align says (L or R per column), indented under the text. The last
// column takes the rest of the line and wraps, after tableGap; with
// widths adding up to labelWidth-indent-tableGap it lines up with the
// facts block's values. A row is kept on one page.
func (w *writer) table(rows [][]string, widths []float64, align string) {
	p := w.pdf
	_, pageHeight := p.GetPageSize()
	w.font("", 10.5)
	for _, row := range rows {
		if p.GetY()+lineHeight+1 > pageHeight-marginBottom {
			p.AddPage()
		}
		p.Ln(1)
		p.SetX(marginLeft + indent)
		for i, cell := range row {
			if i == len(row)-1 {
				p.SetX(p.GetX() + tableGap)
				p.MultiCell(0, lineHeight, pdfText(cell), "", string(align[i]), false)
				break
			}
			p.CellFormat(widths[i], lineHeight, pdfText(cell), "", 0, string(align[i]), false, 0, "")
		}
	}
}

// percentText writes a share (0.10) as a percentage in lang: "10 %" in
// Swedish, "10%" in English; "" for 0.
func percentText(share float64, lang string) string {
	if share <= 0 {
		return ""
	}
	v := strconv.FormatFloat(math.Round(share*1000)/10, 'f', -1, 64)
	if lang == "en" {
		return v + "%"
	}
	return strings.Replace(v, ".", ",", 1) + "\u00a0%"
}

// paragraphs splits typed text at blank lines; single line breaks stay.
func paragraphs(s string) []string {
	var out []string
	for _, para := range strings.Split(s, "\n\n") {
		if para = strings.Trim(para, "\n "); para != "" {
			out = append(out, para)
		}
	}
	return out
}

// signature closes the letter: on behalf of the operator, a line to sign
// on, the officer's name and role. It is kept whole on one page.
func (w *writer) signature() {
	p, l, t := w.pdf, w.l, w.t
	const height = 6 + 6 + 14 + 2*lineHeight
	_, pageHeight := p.GetPageSize()
	if p.GetY()+height > pageHeight-marginBottom {
		p.AddPage()
	}
	p.Ln(6)
	w.font("", 10.5)
	p.CellFormat(0, lineHeight, pdfText(fmt.Sprintf(t.onBehalf, l.Operator)), "", 1, "L", false, 0, "")
	p.Ln(14)
	y := p.GetY()
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.2)
	p.Line(marginLeft, y, marginLeft+70, y)
	p.Ln(1)
	if l.DecidedBy != "" {
		w.font("B", 10.5)
		p.CellFormat(0, lineHeight, pdfText(l.DecidedBy), "", 1, "L", false, 0, "")
	}
	w.font("", 10.5)
	p.CellFormat(0, lineHeight, pdfText(fmt.Sprintf(t.officer, l.Operator)), "", 1, "L", false, 0, "")
}

// decisionText is the decision in words.
func (w *writer) decisionText() string {
	l, t := w.l, w.t
	requested := money.Format(l.Requested, l.Lang)
	amount := money.Format(l.Amount, l.Lang)
	switch l.Outcome {
	case granted:
		return t.granted(l.Operator, l.Organisation, amount, t.forProject(l.Project))
	case partlyGranted:
		return t.partly(l.Operator, l.Organisation, amount, requested, t.forProject(l.Project))
	default:
		return t.rejected(l.Operator, l.Organisation, requested, t.forProject(l.Project))
	}
}

// text is the wording of the letter in one language.
type text struct {
	pdfLang                                                  string
	heading, page, pageOf                                    string
	regNumber, applicationReg, date, applicant, partnership  string
	programme, call, project                                 string
	decision, reason, conditions, payment, appeal, questions string
	special, reporting, conditionsIntro                      string
	onBehalf, officer                                        string
	formatDate                                               func(time.Time) string
	forProject                                               func(project string) string
	granted                                                  func(op, org, amount, project string) string
	partly                                                   func(op, org, amount, requested, project string) string
	rejected                                                 func(op, org, requested, project string) string
	standardTerms                                            func(org, op string) []string
	paidWhole                                                func(amount, when string) string
	paidInParts                                              func(n int) string
	when                                                     func(t ledger.Trigger, org, op string) string
	percent                                                  func(p int) string
	reportsIntro                                             func(org, op string, n int) string
	reportName                                               func(k report.Kind) string
	by                                                       func(date string) string
	reportsContent                                           func(n int, tolerance string) string
	appealText                                               func(op string) string
	questionsText                                            func(op, contact string) string
}

var svMonths = [...]string{"januari", "februari", "mars", "april", "maj", "juni",
	"juli", "augusti", "september", "oktober", "november", "december"}

// svCount and enCount write the number of instalments (two or three, as
// a plan has at most one per trigger) in words.
func svCount(n int) string {
	if n >= 2 && n <= 3 {
		return [...]string{"två", "tre"}[n-2]
	}
	return strconv.Itoa(n)
}

func enCount(n int) string {
	if n >= 2 && n <= 3 {
		return [...]string{"two", "three"}[n-2]
	}
	return strconv.Itoa(n)
}

var texts = map[string]text{
	"sv": {
		pdfLang:         "sv-SE",
		heading:         "Beslut om bidrag",
		page:            "Sida %d",
		pageOf:          "Sida %d av %d",
		regNumber:       "Diarienummer",
		applicationReg:  "Ansökans diarienummer",
		date:            "Beslutsdatum",
		applicant:       "Sökande",
		partnership:     "Partnerskap",
		programme:       "Program",
		call:            "Utlysning",
		project:         "Projekt",
		decision:        "Beslut",
		reason:          "Skäl för beslutet",
		conditions:      "Villkor för bidraget",
		conditionsIntro: "Bidraget lämnas på följande villkor:",
		special:         "Särskilda villkor i detta beslut",
		payment:         "Utbetalning",
		reporting:       "Redovisning",
		appeal:          "Överklagande",
		questions:       "Frågor",
		onBehalf:        "För %s",
		officer:         "Handläggare, %s",
		formatDate: func(d time.Time) string {
			return fmt.Sprintf("%d %s %d", d.Day(), svMonths[d.Month()-1], d.Year())
		},
		forProject: func(project string) string {
			if project == "" {
				return ""
			}
			return " till projektet ”" + project + "”"
		},
		granted: func(op, org, amount, project string) string {
			return fmt.Sprintf("%s beviljar %s %s i bidrag%s, i enlighet med ansökan.", op, org, amount, project)
		},
		partly: func(op, org, amount, requested, project string) string {
			return fmt.Sprintf("%s beviljar %s %s i bidrag%s. Ansökan gällde %s, och bidraget beviljas därmed delvis. Skälen framgår nedan.",
				op, org, amount, project, requested)
		},
		rejected: func(op, org, requested, project string) string {
			return fmt.Sprintf("%s avslår ansökan från %s om %s i bidrag%s. Skälen framgår nedan.", op, org, requested, project)
		},
		standardTerms: func(org, op string) []string {
			return []string{
				org + " godkänner villkoren för bidraget innan något betalas ut.",
				"Bidraget används bara till projektet så som det beskrivs i ansökan och i detta beslut.",
				"Rapporterna lämnas till " + op + " senast de datum som anges nedan.",
				"Större ändringar, som ett nytt slutdatum eller pengar som flyttas mellan budgetposter, begärs hos " +
					op + " och genomförs först när " + op + " har godkänt dem.",
				"Medel som inte har använts till projektet betalas tillbaka till " + op + ".",
			}
		},
		paidWhole: func(amount, when string) string {
			return "Hela bidraget, " + amount + ", betalas ut " + when + "."
		},
		paidInParts: func(n int) string {
			return fmt.Sprintf("Bidraget betalas ut i %s delar:", svCount(n))
		},
		when: func(t ledger.Trigger, org, op string) string {
			switch t {
			case ledger.OnInterimApproved:
				return "när " + op + " har godkänt delrapporten"
			case ledger.OnFinalReportApproved:
				return "när " + op + " har godkänt slutrapporten"
			}
			return "när " + org + " har godkänt villkoren för bidraget"
		},
		percent: func(p int) string { return strconv.Itoa(p) + "\u00a0%" },
		reportsIntro: func(org, op string, n int) string {
			if n == 1 {
				return org + " ska lämna en rapport till " + op + ":"
			}
			return org + " ska lämna följande rapporter till " + op + ":"
		},
		reportName: func(k report.Kind) string {
			if k == report.Interim {
				return "Delrapport"
			}
			return "Slutrapport"
		},
		by: func(date string) string { return "senast " + date },
		reportsContent: func(n int, tolerance string) string {
			s := "Rapporterna redovisar"
			if n == 1 {
				s = "Rapporten redovisar"
			}
			s += " de aktiviteter som har genomförts och hur många de nådde, kostnaderna per budgetpost och resultaten."
			if tolerance != "" {
				s += " Om kostnaden för en budgetpost avviker med mer än " + tolerance + " från budgeten ska avvikelsen förklaras."
			}
			return s
		},
		appealText: func(op string) string {
			return op + " är inte en myndighet. Beslutet kan inte överklagas."
		},
		questionsText: func(op, contact string) string {
			return fmt.Sprintf("Har ni frågor om beslutet är ni välkomna att kontakta %s på %s.", op, contact)
		},
	},
	"en": {
		pdfLang:         "en-GB",
		heading:         "Decision on grant",
		page:            "Page %d",
		pageOf:          "Page %d of %d",
		regNumber:       "Registration number",
		applicationReg:  "Application number",
		date:            "Date of decision",
		applicant:       "Applicant",
		partnership:     "Partnership",
		programme:       "Programme",
		call:            "Call",
		project:         "Project",
		decision:        "Decision",
		reason:          "Reasons for the decision",
		conditions:      "Terms of the grant",
		conditionsIntro: "The grant is given on the following terms:",
		special:         "Special conditions of this decision",
		payment:         "Payment",
		reporting:       "Reporting",
		appeal:          "Appeal",
		questions:       "Questions",
		onBehalf:        "For %s",
		officer:         "Programme officer, %s",
		formatDate: func(d time.Time) string {
			return d.Format("2 January 2006")
		},
		forProject: func(project string) string {
			if project == "" {
				return ""
			}
			return " for the project “" + project + "”"
		},
		granted: func(op, org, amount, project string) string {
			return fmt.Sprintf("%s grants %s %s%s, as applied for.", op, org, amount, project)
		},
		partly: func(op, org, amount, requested, project string) string {
			return fmt.Sprintf("%s grants %s %s%s. The application was for %s, so it is partly granted. The reasons are given below.",
				op, org, amount, project, requested)
		},
		rejected: func(op, org, requested, project string) string {
			return fmt.Sprintf("%s rejects the application from %s for a grant of %s%s. The reasons are given below.", op, org, requested, project)
		},
		standardTerms: func(org, op string) []string {
			return []string{
				org + " accepts the terms of the grant before anything is paid.",
				"The grant is used only for the project as described in the application and in this decision.",
				"The reports are submitted to " + op + " by the dates given below.",
				"Major changes, such as a new end date or money moved between budget lines, are requested from " +
					op + " and made only once " + op + " has approved them.",
				"Money not spent on the project is repaid to " + op + ".",
			}
		},
		paidWhole: func(amount, when string) string {
			return "The whole grant, " + amount + ", is paid " + when + "."
		},
		paidInParts: func(n int) string {
			return fmt.Sprintf("The grant is paid in %s instalments:", enCount(n))
		},
		when: func(t ledger.Trigger, org, op string) string {
			switch t {
			case ledger.OnInterimApproved:
				return "once " + op + " has approved the interim report"
			case ledger.OnFinalReportApproved:
				return "once " + op + " has approved the final report"
			}
			return "once " + org + " has accepted the terms of the grant"
		},
		percent: func(p int) string { return strconv.Itoa(p) + "%" },
		reportsIntro: func(org, op string, n int) string {
			if n == 1 {
				return org + " must submit one report to " + op + ":"
			}
			return org + " must submit the following reports to " + op + ":"
		},
		reportName: func(k report.Kind) string {
			if k == report.Interim {
				return "Interim report"
			}
			return "Final report"
		},
		by: func(date string) string { return "by " + date },
		reportsContent: func(n int, tolerance string) string {
			s := "The reports set out"
			if n == 1 {
				s = "The report sets out"
			}
			s += " the activities carried out and whom they reached, the costs per budget line and the results."
			if tolerance != "" {
				s += " Where spending on a budget line differs from the budget by more than " + tolerance + ", the difference must be explained."
			}
			return s
		},
		appealText: func(op string) string {
			return op + " is not a public authority. The decision cannot be appealed."
		},
		questionsText: func(op, contact string) string {
			return fmt.Sprintf("If you have any questions about the decision, please contact %s at %s.", op, contact)
		},
	},
}
