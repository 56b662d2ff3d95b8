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
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/money"
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
	Conditions     string    // may be empty
	DecidedBy      string    // officer's name
	Contact        string    // e.g. "partnership@icld.se"
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
	case partlyGranted:
		if l.Amount <= 0 || l.Amount >= l.Requested {
			return errors.New("letter: a partial grant is above zero and below the amount requested")
		}
		if l.Reason == "" {
			return errors.New("letter: a partial grant needs its reason")
		}
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
	if l.Conditions != "" {
		w.section(t.conditions, l.Conditions)
	}
	if l.Outcome != rejected {
		w.section(t.payment, t.paymentText(l.Organisation, l.Operator))
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

// section writes a heading and its paragraphs, keeping the heading with at
// least two lines of what follows.
func (w *writer) section(heading, body string) {
	p := w.pdf
	_, pageHeight := p.GetPageSize()
	if p.GetY()+6.5+2*lineHeight > pageHeight-marginBottom {
		p.AddPage()
	}
	p.Ln(2)
	w.font("B", 11.5)
	p.CellFormat(0, 6.5, heading, "", 1, "L", false, 0, "")
	w.font("", 10.5)
	for i, para := range paragraphs(body) {
		if i > 0 {
			p.Ln(1.5)
		}
		p.MultiCell(0, lineHeight, pdfText(para), "", "L", false)
	}
	p.Ln(1)
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
	onBehalf, officer                                        string
	formatDate                                               func(time.Time) string
	forProject                                               func(project string) string
	granted                                                  func(op, org, amount, project string) string
	partly                                                   func(op, org, amount, requested, project string) string
	rejected                                                 func(op, org, requested, project string) string
	paymentText                                              func(org, op string) string
	appealText                                               func(op string) string
	questionsText                                            func(op, contact string) string
}

var svMonths = [...]string{"januari", "februari", "mars", "april", "maj", "juni",
	"juli", "augusti", "september", "oktober", "november", "december"}

var texts = map[string]text{
	"sv": {
		pdfLang:        "sv-SE",
		heading:        "Beslut om bidrag",
		page:           "Sida %d",
		pageOf:         "Sida %d av %d",
		regNumber:      "Diarienummer",
		applicationReg: "Ansökans diarienummer",
		date:           "Beslutsdatum",
		applicant:      "Sökande",
		partnership:    "Partnerskap",
		programme:      "Program",
		call:           "Utlysning",
		project:        "Projekt",
		decision:       "Beslut",
		reason:         "Skäl för beslutet",
		conditions:     "Villkor",
		payment:        "Utbetalning och redovisning",
		appeal:         "Överklagande",
		questions:      "Frågor",
		onBehalf:       "För %s",
		officer:        "Handläggare, %s",
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
		paymentText: func(org, op string) string {
			return fmt.Sprintf("Bidraget betalas ut när %[1]s har godkänt villkoren för bidraget. "+
				"Bidraget får bara användas till projektet så som det beskrivs i ansökan och i detta beslut.\n\n"+
				"En slutrapport ska lämnas till %[2]s enligt vad som anges i utlysningen. "+
				"Medel som inte har använts ska betalas tillbaka till %[2]s.", org, op)
		},
		appealText: func(op string) string {
			return op + " är inte en myndighet. Beslutet kan inte överklagas."
		},
		questionsText: func(op, contact string) string {
			return fmt.Sprintf("Har ni frågor om beslutet är ni välkomna att kontakta %s på %s.", op, contact)
		},
	},
	"en": {
		pdfLang:        "en-GB",
		heading:        "Decision on grant",
		page:           "Page %d",
		pageOf:         "Page %d of %d",
		regNumber:      "Registration number",
		applicationReg: "Application number",
		date:           "Date of decision",
		applicant:      "Applicant",
		partnership:    "Partnership",
		programme:      "Programme",
		call:           "Call",
		project:        "Project",
		decision:       "Decision",
		reason:         "Reasons for the decision",
		conditions:     "Conditions",
		payment:        "Payment and reporting",
		appeal:         "Appeal",
		questions:      "Questions",
		onBehalf:       "For %s",
		officer:        "Programme officer, %s",
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
		paymentText: func(org, op string) string {
			return fmt.Sprintf("The grant is paid once %[1]s has accepted the terms of the grant. "+
				"It may only be used for the project as described in the application and in this decision.\n\n"+
				"A final report is due to %[2]s as set out in the call. "+
				"Money that has not been spent must be repaid to %[2]s.", org, op)
		},
		appealText: func(op string) string {
			return op + " is not a public authority. The decision cannot be appealed."
		},
		questionsText: func(op, contact string) string {
			return fmt.Sprintf("If you have any questions about the decision, please contact %s at %s.", op, contact)
		},
	},
}
