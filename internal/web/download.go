package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/export"
	"github.com/icld/partnerskap/internal/validate"
)

// Every table people download is written by internal/export, which keeps
// what was typed into the system from running as a formula in a
// spreadsheet; download_test.go walks the route table and fails for a
// CSV download that does not go through it.

// csvHeaders sets the headers of a CSV download named filename.
func csvHeaders(w http.ResponseWriter, b *Base, filename string) {
	h := w.Header()
	h.Set("Content-Type", export.CSVContentType)
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("Content-Language", b.Lang)
}

// sendCSV writes a small table (a public download, kept by the page
// cache) into memory first, so an error gives an error page instead of
// half a file, and then sends it as filename.
func sendCSV(w http.ResponseWriter, b *Base, filename string, write func(export.Table) error) error {
	var buf bytes.Buffer
	t := export.NewCSV(&buf)
	if err := write(t); err != nil {
		return err
	}
	if err := t.Close(); err != nil {
		return err
	}
	csvHeaders(w, b, filename)
	_, err := w.Write(buf.Bytes())
	return err
}

// streamDownload sends a download written as it is read from the store (an
// export of the whole log), without holding it in memory: the headers go
// out with the first bytes, so an error before them still gives an error
// page. An error after them is logged and the connection cut, so the
// browser reports a failed download instead of keeping a file that looks
// whole.
func (s *Server) streamDownload(w http.ResponseWriter, r *http.Request, headers func(http.Header), write func(io.Writer) error) error {
	d := &lazyHeaders{w: w, set: headers}
	err := write(d)
	if err != nil && d.started {
		s.log.Error("download failed", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
	return err
}

// lazyHeaders sets a download's headers when its first bytes are written.
type lazyHeaders struct {
	w       http.ResponseWriter
	set     func(http.Header)
	started bool
}

func (d *lazyHeaders) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		d.set(d.w.Header())
	}
	return d.w.Write(p)
}

// jsonArray writes a JSON array an element at a time.
type jsonArray struct {
	w   io.Writer
	n   int
	err error
}

func (a *jsonArray) add(v any) error {
	if a.err != nil {
		return a.err
	}
	b, err := json.Marshal(v)
	if err != nil {
		a.err = err
		return err
	}
	sep := ",\n"
	if a.n == 0 {
		sep = "[\n"
	}
	a.n++
	_, a.err = io.WriteString(a.w, sep+string(b))
	return a.err
}

func (a *jsonArray) close() error {
	if a.err != nil {
		return a.err
	}
	end := "\n]\n"
	if a.n == 0 {
		end = "[]\n"
	}
	_, a.err = io.WriteString(a.w, end)
	return a.err
}

// dayRange reads the dates from and to (ISO, days in Stockholm, to
// inclusive) as the instants that bound them: from's midnight and the
// midnight after to; an empty date bounds nothing. A date that does not
// parse, or a to before from, is an error on its field.
func dayRange(from, to string, errs validate.Errors) (time.Time, time.Time) {
	day := func(name, v string, next int) time.Time {
		if v == "" {
			return time.Time{}
		}
		d, err := clock.ParseDate(v)
		if err != nil {
			errs.Add(name, "error.date")
			return time.Time{}
		}
		return time.Date(d.Year(), d.Month(), d.Day()+next, 0, 0, 0, 0, clock.Stockholm)
	}
	f, t := day("from", from, 0), day("to", to, 1)
	if !f.IsZero() && !t.IsZero() && !t.After(f) {
		errs.Add("to", "error.export.range")
	}
	return f, t
}

// exportEvent is what the audit log keeps of an export: which download
// and with which filters.
type exportEvent struct {
	Download string            `json:"download"`
	Filters  map[string]string `json:"filters,omitempty"`
}

// exported is the detail of a staff export's entry in the audit log,
// written before it is sent (an export that cannot be logged is not
// sent). Public downloads of open data are not logged: they are anyone's.
func exported(b *Base, filters url.Values) exportEvent {
	e := exportEvent{Download: b.route.name}
	for k, v := range filters {
		if len(v) > 0 && v[0] != "" {
			if e.Filters == nil {
				e.Filters = map[string]string{}
			}
			e.Filters[k] = v[0]
		}
	}
	return e
}

// staffExport is a staff export of the rows each gives: the message key
// of the file's name (without its extension), and each row in the JSON
// export (item) and in the CSV, whose columns are columns (row).
type staffExport[T any] struct {
	filename string
	columns  []string
	each     func(fn func(T) error) error
	item     func(T) any
	row      func(T) []export.Cell
}

// sendStaffExport streams the export as format, "csv" or "json". The
// caller logs it first (exported): one that cannot be logged is not sent.
func sendStaffExport[T any](s *Server, w http.ResponseWriter, r *http.Request, b *Base, format string, x staffExport[T]) error {
	name := b.T(x.filename) + "." + format
	return s.streamDownload(w, r, func(h http.Header) {
		setDownloadHeaders(h, b, name, format)
	}, func(out io.Writer) error {
		if format == "json" {
			a := &jsonArray{w: out}
			if err := x.each(func(v T) error { return a.add(x.item(v)) }); err != nil {
				return err
			}
			return a.close()
		}
		t := export.NewCSV(out)
		t.Header(x.columns...)
		if err := x.each(func(v T) error { return t.Row(x.row(v)...) }); err != nil {
			return err
		}
		return t.Close()
	})
}
