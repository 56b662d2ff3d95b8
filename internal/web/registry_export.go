package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/icld/partnerskap/internal/export"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/registry"
)

// The registry exported, for a public-records request or the archive: who
// may see the registry page may download what it selects (its search and
// year, and the days from and to), every entry in the order of
// registration, as CSV or JSON, an officer only their programmes' as on
// the page. The export is logged.

// registryEntryJSON is an entry in the JSON export; the CSV export has the
// same columns. Times are UTC (RFC 3339).
type registryEntryJSON struct {
	ID            int64  `json:"id"`
	Number        string `json:"number"`
	CaseNumber    string `json:"case_number"`
	FormerNumber  string `json:"former_number"`
	At            string `json:"registered_at"`
	Kind          string `json:"kind"`
	Title         string `json:"title"`
	ApplicationID int64  `json:"application_id"`
	Confidential  bool   `json:"confidential"`
	Reason        string `json:"reason"`
}

var registryColumns = []string{"id", "number", "case_number", "former_number", "registered_at", "kind", "title", "application_id", "confidential", "reason"}

func newRegistryEntryJSON(e registry.Entry) registryEntryJSON {
	return registryEntryJSON{ID: e.ID, Number: e.Number, CaseNumber: e.CaseNumber(), FormerNumber: e.FormerNumber,
		At: e.At.UTC().Format(time.RFC3339), Kind: string(e.Kind), Title: e.Title, ApplicationID: e.ApplicationID,
		Confidential: e.Confidential, Reason: e.Reason}
}

func (s *Server) registryExportCSV(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.registryExport(w, r, b, "csv")
}

func (s *Server) registryExportJSON(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.registryExport(w, r, b, "json")
}

func (s *Server) registryExport(w http.ResponseWriter, r *http.Request, b *Base, format string) error {
	if err := require(b, policy.ViewRegistry, 0); err != nil {
		return err
	}
	q := r.URL.Query()
	f, rf, errs := parseRegistryFilter(q)
	if len(errs) > 0 {
		b.Errors = errs
		return s.renderRegistry(w, r, b, http.StatusUnprocessableEntity, f, rf, 0, "")
	}
	rf.Scope = policy.ProgrammeScope(b.User)
	if err := s.store.RecordEventDetail(r.Context(), actor(b.User), "export", "registry", 0, exported(b, f.values())); err != nil {
		return err
	}
	return sendStaffExport(s, w, r, b, format, staffExport[registry.Entry]{
		filename: "registry.export.filename", columns: registryColumns,
		each: func(fn func(registry.Entry) error) error { return s.store.EachRegistryEntry(r.Context(), rf, fn) },
		item: func(e registry.Entry) any { return newRegistryEntryJSON(e) },
		row: func(e registry.Entry) []export.Cell {
			j := newRegistryEntryJSON(e)
			return []export.Cell{export.Int(j.ID), export.Text(j.Number), export.Text(j.CaseNumber), export.Text(j.FormerNumber),
				export.Text(j.At), export.Text(j.Kind), export.Text(j.Title), export.Int(j.ApplicationID),
				export.Text(strconv.FormatBool(j.Confidential)), export.Text(j.Reason)}
		},
	})
}

// values is the filter as query parameters, for links and the log.
func (f registryFilter) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"q": f.Q, "year": f.Year, "from": f.From, "to": f.To} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}
