package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/export"
	"github.com/icld/partnerskap/internal/policy"
)

// The change log exported for a public-records request: administrators
// download every entry the filters of the log's page select (the days
// from and to, a kind of record and its id), oldest first, as CSV or JSON,
// read from the store a page at a time. The export is itself logged.

// auditEntryJSON is an entry in the JSON export; the CSV export has the
// same columns. Times are UTC (RFC 3339); before and after are the
// record's snapshots as stored (null for none, or where erased).
type auditEntryJSON struct {
	ID       int64           `json:"id"`
	At       string          `json:"at"`
	ActorID  int64           `json:"actor_id"` // 0: the system
	Actor    string          `json:"actor"`
	Action   string          `json:"action"`
	Entity   string          `json:"entity"`
	EntityID int64           `json:"entity_id"`
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
}

var auditColumns = []string{"id", "at", "actor_id", "actor", "action", "entity", "entity_id", "before", "after"}

func newAuditEntryJSON(e audit.Entry) auditEntryJSON {
	return auditEntryJSON{ID: e.ID, At: e.At.UTC().Format(time.RFC3339), ActorID: e.Actor.UserID, Actor: e.Actor.Name,
		Action: e.Action, Entity: e.Entity, EntityID: e.EntityID, Before: snapshotOrNull(e.Before), After: snapshotOrNull(e.After)}
}

// snapshotOrNull is a stored snapshot, or null where there is none that
// is JSON (an erased one is empty).
func snapshotOrNull(v json.RawMessage) json.RawMessage {
	if len(v) == 0 || !json.Valid(v) {
		return json.RawMessage("null")
	}
	return v
}

func (s *Server) auditExportCSV(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.auditExport(w, r, b, "csv")
}

func (s *Server) auditExportJSON(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.auditExport(w, r, b, "json")
}

func (s *Server) auditExport(w http.ResponseWriter, r *http.Request, b *Base, format string) error {
	if err := require(b, policy.ExportAuditLog, 0); err != nil {
		return err
	}
	typed, f, errs := parseLogFilter(b, r.URL.Query())
	if len(errs) > 0 {
		b.Errors = errs
		return s.renderAuditLog(w, r, b, http.StatusUnprocessableEntity, typed, f)
	}
	if err := s.checkRecordScope(r, b, f); err != nil {
		return err
	}
	if err := s.store.RecordEventDetail(r.Context(), actor(b.User), "export", "audit", 0, exported(b, typed.values())); err != nil {
		return err
	}
	return sendStaffExport(s, w, r, b, format, staffExport[audit.Entry]{
		filename: "audit.export.filename", columns: auditColumns,
		each: func(fn func(audit.Entry) error) error { return s.store.EachAuditEntry(r.Context(), f, fn) },
		item: func(e audit.Entry) any { return newAuditEntryJSON(e) },
		row: func(e audit.Entry) []export.Cell {
			j := newAuditEntryJSON(e)
			return []export.Cell{export.Int(j.ID), export.Text(j.At), export.Int(j.ActorID), export.Text(j.Actor), export.Text(j.Action),
				export.Text(j.Entity), export.Int(j.EntityID), export.Text(string(j.Before)), export.Text(string(j.After))}
		},
	})
}

// setDownloadHeaders sets the headers of a staff export named filename:
// CSV or JSON, never cached.
func setDownloadHeaders(h http.Header, b *Base, filename, format string) {
	if format == "json" {
		h.Set("Content-Type", "application/json; charset=utf-8")
	} else {
		h.Set("Content-Type", export.CSVContentType)
	}
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("Content-Language", b.Lang)
	h.Set("Cache-Control", "no-store")
}
