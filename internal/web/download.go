package web

import (
	"bytes"
	"net/http"

	"github.com/icld/partnerskap/internal/export"
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
