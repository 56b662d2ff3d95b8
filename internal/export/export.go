// Package export writes the tables people download (open data, the
// change log, the registry) so that opening one in a spreadsheet never
// runs what somebody typed into the system.
//
// A spreadsheet reads a CSV cell that starts with =, +, - or @ as a
// formula ("CSV injection"): a partnership named
// =HYPERLINK("http://evil","click") would be a live link, or worse, in
// every downloader's Excel. Every download goes through a Table, which
// neutralises text the way OWASP recommends: a cell that starts with =,
// +, -, @, a tab or a carriage return gets a single quote in front
// ('=HYPERLINK(…)), which spreadsheets show as text and hide.
//
// Cells are typed, so numbers stay numbers: a Number cell is written as
// it is, -500 as -500, but only if it is a plain decimal number (an
// optional minus, digits, an optional dot and digits). Anything else
// given as a number is written as text, neutralised, so a caller's
// mistake cannot let a formula through. An XLSX Table (later) takes the
// same cells: numbers as numeric cells, text as strings.
package export

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Cell is one value of a row: text or a number.
type Cell struct {
	value  string
	number bool
}

// Text is a cell of text, neutralised when written.
func Text(s string) Cell { return Cell{value: s} }

// Number is a cell holding a decimal number written in the file's way
// ("-1234.50"): written as it is when it is a plain decimal number, as
// neutralised text otherwise.
func Number(s string) Cell { return Cell{value: s, number: true} }

// Int is a cell holding an integer.
func Int(n int64) Cell { return Cell{value: strconv.FormatInt(n, 10), number: true} }

// String is the cell as a file shows it: a plain number as it is, text
// neutralised (Neutralise).
func (c Cell) String() string {
	if c.number && IsNumber(c.value) {
		return c.value
	}
	return Neutralise(c.value)
}

// IsNumber reports whether s is a plain decimal number: an optional minus,
// one or more digits, and optionally a dot and one or more digits.
func IsNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	return digits(whole) && (!dot || digits(frac))
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Triggers are the characters that make a spreadsheet read a cell as a
// formula (or, tab and carriage return, that some strip before reading
// the rest as one) when they start it.
const Triggers = "=+-@\t\r"

// Neutralise returns text that no spreadsheet reads as a formula: s with
// a single quote in front when it starts with one of Triggers, else s.
func Neutralise(s string) string {
	if s != "" && strings.IndexByte(Triggers, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// Table is a table being written for download: its header, then its rows.
// Close finishes the file and reports the first error.
type Table interface {
	Header(names ...string) error
	Row(cells ...Cell) error
	Close() error
}

// CSV is a Table in CSV (RFC 4180 quoting, encoding/csv) in UTF-8 with a
// byte order mark, so Excel reads å, ä and ö.
type CSV struct {
	out     io.Writer
	w       *csv.Writer
	started bool
	err     error
	record  []string
}

// CSVContentType is the media type of a CSV Table.
const CSVContentType = "text/csv; charset=utf-8"

// BOM is the byte order mark a CSV Table starts with.
const BOM = "\ufeff"

// NewCSV returns a CSV Table writing to w.
func NewCSV(w io.Writer) *CSV { return &CSV{out: w, w: csv.NewWriter(w)} }

// Header writes the column names, as text.
func (t *CSV) Header(names ...string) error {
	cells := make([]Cell, len(names))
	for i, n := range names {
		cells[i] = Text(n)
	}
	return t.Row(cells...)
}

// start writes the byte order mark before the first row (or at Close,
// for a table with none) and returns the first error so far.
func (t *CSV) start() error {
	if t.err == nil && !t.started {
		t.started = true
		_, t.err = io.WriteString(t.out, BOM)
	}
	return t.err
}

// Row writes one row.
func (t *CSV) Row(cells ...Cell) error {
	if t.start() != nil {
		return t.err
	}
	if len(cells) == 1 && cells[0].value == "" {
		// encoding/csv writes a lone empty field as an empty line, which
		// readers skip: write it quoted, so the row is not lost.
		t.w.Flush()
		if t.err = t.w.Error(); t.err == nil {
			_, t.err = io.WriteString(t.out, "\"\"\n")
		}
		return t.err
	}
	t.record = t.record[:0]
	for _, c := range cells {
		t.record = append(t.record, c.String())
	}
	t.err = t.w.Write(t.record)
	return t.err
}

// Close flushes what is buffered and reports the first error. A table
// with no row at all is still a file: its byte order mark.
func (t *CSV) Close() error {
	if t.start() != nil {
		return t.err
	}
	t.w.Flush()
	t.err = t.w.Error()
	return t.err
}
