// Package chart draws horizontal bar charts as server-rendered SVG, with
// the same figures as a table beside them, for the public pages.
//
// Horizontal bars, each with its label on a line of its own above it, read
// best with long Swedish labels ("Fredliga och inkluderande samhällen") and
// on a narrow screen. The chart is accessible in the ways the public pages
// need (WCAG 2.1 AA):
//
//   - the <svg> is role="img", named by its <title> and described by a
//     <desc> that gives every bar's label and value in words;
//   - every bar carries its value as text, so colour is never the only clue,
//     and Table gives the same figures as a real table;
//   - colours are presentation attributes (fill=…), which the
//     Content-Security-Policy allows where it forbids style attributes; text
//     and axis use currentColor, and the classes chart-bar, chart-text and
//     chart-axis let the stylesheet switch to system colours in forced-colours
//     (Windows high-contrast) mode;
//   - sizes are user units of the viewBox, so the whole chart, text
//     included, scales with the page and the reader's zoom.
package chart

import (
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/icld/partnerskap/internal/money"
)

// Unit says what a chart's values are and so how they are written.
type Unit int

const (
	// Count values are numbers of people, activities or grants.
	Count Unit = iota
	// Money values are öre, written as kronor (money.Format).
	Money
)

// Default is the bar colour when a bar names none: ICLD's dark blue, over
// 10:1 against the white page, so a bar reaches the 3:1 WCAG asks of
// graphics (1.4.11) on its own.
const Default = "#00466e"

// outline is drawn round every bar, so that light colours (the UN's
// yellow for goal 7) still stand out from the page by 3:1.
const outline = "#1a1a1a"

// Bar is one bar: what it stands for and its value.
type Bar struct {
	Label string
	Value int64  // negative values are drawn as 0
	Color string // a #rrggbb fill; "" for Default
}

// Chart is a horizontal bar chart with its text alternative.
type Chart struct {
	ID    string // unique on the page; prefixes the ids of title, desc and caption
	Title string // names the chart, and captions its table
	Lang  string // "sv" or "en": how numbers are written
	Unit  Unit
	Bars  []Bar
	// Empty is said instead of a chart when there are no bars.
	Empty string
	// LabelHeading and ValueHeading head the table's two columns.
	LabelHeading, ValueHeading string
	// TotalLabel, when set, adds a last table row with the sum of the
	// values; leave it empty when the bars overlap (a grant counted under
	// several goals) and a sum would mislead.
	TotalLabel string
}

// Layout, in user units of the viewBox.
const (
	width      = 400
	labelSize  = 15 // font size of a bar's label
	lineHeight = 18 // of a label's lines
	maxLines   = 2  // a longer label is cut short with "…"
	valueSize  = 14 // font size of a bar's value
	barHeight  = 18
	labelGap   = 5  // between a label's baseline and its bar
	rowGap     = 14 // between one bar and the next label
	valueGap   = 6  // between a bar's end and its value
	pad        = 2
	// charWidth is a generous average advance of a character, in ems, so
	// a value laid out beside its bar is not cut off at the right edge.
	charWidth = 0.62
)

// Format writes v as the chart's unit is written in its language:
// "1 800 000 kr" or "SEK 1,800,000" for money, "4 300" or "4,300" for
// a count.
func (c Chart) Format(v int64) string {
	if c.Unit == Money {
		return money.Format(v, c.Lang)
	}
	return money.Count(v, c.Lang)
}

// Total is the sum of the values (negative ones as 0), saturating rather
// than overflowing.
func (c Chart) Total() int64 {
	var sum int64
	for _, b := range c.Bars {
		v := max(b.Value, 0)
		if sum > math.MaxInt64-v {
			return math.MaxInt64
		}
		sum += v
	}
	return sum
}

var idUnsafe = regexp.MustCompile(`[^a-z0-9-]+`)

// id is the chart's id made safe for an attribute and an IDREF.
func (c Chart) id() string {
	id := idUnsafe.ReplaceAllString(strings.ToLower(c.ID), "-")
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "chart-" + id
	}
	return id
}

// Description says what the chart shows in words: each bar's label and
// value, in order. It is the SVG's <desc>.
func (c Chart) Description() string {
	if len(c.Bars) == 0 {
		return c.Empty
	}
	parts := make([]string, len(c.Bars))
	for i, b := range c.Bars {
		parts[i] = b.Label + ": " + c.Format(max(b.Value, 0))
	}
	return strings.Join(parts, "; ") + "."
}

var esc = template.HTMLEscapeString // escapes <, >, &, ' and ": safe in XML text and attributes too

// SVG draws the chart. With no bars it is a one-line picture saying
// Empty, so a page never shows an empty frame without words.
func (c Chart) SVG() template.HTML {
	id := c.id()
	maxChars := int(math.Floor(width / (labelSize * charWidth)))
	labels := make([][]string, len(c.Bars))
	height := pad * 2
	for i, bar := range c.Bars {
		labels[i] = wrap(bar.Label, maxChars, maxLines)
		height += len(labels[i])*lineHeight + labelGap + barHeight + rowGap
	}
	if len(c.Bars) == 0 {
		height += lineHeight
	} else {
		height -= rowGap
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-title %s-desc" focusable="false">`,
		width, height, id, id)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(c.Title), id, esc(c.Description()))
	if len(c.Bars) == 0 {
		fmt.Fprintf(&b, `<text class="chart-text" x="0" y="%d" font-size="%d" fill="currentColor">%s</text></svg>`, pad+labelSize, labelSize, esc(c.Empty))
		return template.HTML(b.String())
	}

	// The longest value decides how much room the bars leave at the right.
	var top int64
	longest := 0
	for _, bar := range c.Bars {
		v := max(bar.Value, 0)
		top = max(top, v)
		longest = max(longest, utf8.RuneCountInString(c.Format(v)))
	}
	barMax := width - valueGap - int(math.Ceil(float64(longest)*valueSize*charWidth))

	y := pad
	firstBar := 0
	for i, bar := range c.Bars {
		v := max(bar.Value, 0)
		w := 0.0
		if top > 0 {
			w = float64(barMax) * (float64(v) / float64(top))
		}
		if v > 0 && w < 1 {
			w = 1 // a small value still shows
		}
		color := bar.Color
		if !isHexColor(color) {
			color = Default
		}
		value := c.Format(v)
		fmt.Fprintf(&b, `<g><title>%s: %s</title>`, esc(bar.Label), esc(value))
		fmt.Fprintf(&b, `<text class="chart-text" x="0" y="%d" font-size="%d" fill="currentColor">`, y+labelSize, labelSize)
		for j, line := range labels[i] {
			if j == 0 {
				b.WriteString(esc(line))
			} else {
				fmt.Fprintf(&b, `<tspan x="0" dy="%d">%s</tspan>`, lineHeight, esc(line))
			}
		}
		b.WriteString(`</text>`)
		by := y + len(labels[i])*lineHeight + labelGap
		if i == 0 {
			firstBar = by
		}
		if v > 0 {
			fmt.Fprintf(&b, `<rect class="chart-bar" x="0" y="%d" width="%s" height="%d" fill="%s" stroke="%s" stroke-width="1"/>`, by, num(w), barHeight, color, outline)
		}
		fmt.Fprintf(&b, `<text class="chart-text chart-value" x="%s" y="%d" font-size="%d" fill="currentColor">%s</text></g>`,
			num(w+valueGap), by+barHeight/2+valueSize/3+1, valueSize, esc(value))
		y = by + barHeight + rowGap
	}
	// The axis the bars grow from.
	fmt.Fprintf(&b, `<line class="chart-axis" x1="0.5" y1="%d" x2="0.5" y2="%d" stroke="currentColor" stroke-width="1"/>`, firstBar, y-rowGap)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text above is escaped
}

// Table gives the chart's figures as a table, scrollable on its own on a
// narrow screen like the site's other tables, captioned by the chart's
// title (read by screen readers; the heading above says it to the eye).
func (c Chart) Table() template.HTML {
	if len(c.Bars) == 0 {
		return ""
	}
	id := c.id()
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="table-scroll" role="region" tabindex="0" aria-labelledby="%s-caption"><table class="chart-table">`, id)
	fmt.Fprintf(&b, `<caption id="%s-caption" class="visually-hidden">%s</caption>`, id, esc(c.Title))
	fmt.Fprintf(&b, `<thead><tr><th scope="col">%s</th><th scope="col" class="num">%s</th></tr></thead><tbody>`, esc(c.LabelHeading), esc(c.ValueHeading))
	for _, bar := range c.Bars {
		fmt.Fprintf(&b, `<tr><th scope="row">%s</th><td class="num">%s</td></tr>`, esc(bar.Label), esc(c.Format(max(bar.Value, 0))))
	}
	b.WriteString(`</tbody>`)
	if c.TotalLabel != "" {
		fmt.Fprintf(&b, `<tfoot><tr><th scope="row">%s</th><td class="num">%s</td></tr></tfoot>`, esc(c.TotalLabel), esc(c.Format(c.Total())))
	}
	b.WriteString(`</table></div>`)
	return template.HTML(b.String())
}

// Figure is the chart and its table side by side (stacked on a narrow
// screen), or a paragraph saying Empty when there are no bars.
func (c Chart) Figure() template.HTML {
	if len(c.Bars) == 0 {
		return template.HTML(`<p class="chart-empty">` + esc(c.Empty) + `</p>`)
	}
	return template.HTML(`<div class="chart-figure"><div class="chart-picture">`) + c.SVG() + template.HTML(`</div>`) + c.Table() + template.HTML(`</div>`)
}

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	_, err := strconv.ParseUint(s[1:], 16, 32)
	return err == nil
}

// wrap breaks a label into at most lines lines of at most n characters,
// at spaces, cutting only a word longer than a line; a label that needs
// more lines ends in "…" (the bar's own <title> and the table keep the
// whole label).
func wrap(label string, n, lines int) []string {
	words := strings.Fields(label)
	var out []string
	cur := ""
	for len(words) > 0 {
		w := words[0]
		switch {
		case cur == "" && utf8.RuneCountInString(w) > n:
			r := []rune(w)
			out = append(out, string(r[:n]))
			words[0] = string(r[n:])
			continue
		case cur == "":
			cur = w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= n:
			cur += " " + w
		default:
			out = append(out, cur)
			cur = ""
			continue
		}
		words = words[1:]
	}
	if cur != "" {
		out = append(out, cur)
	}
	if len(out) == 0 {
		return []string{""}
	}
	if len(out) > lines {
		out = out[:lines]
		last := []rune(out[lines-1])
		if len(last) >= n {
			last = last[:n-1]
		}
		out[lines-1] = string(last) + "…"
	}
	return out
}
