package web

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
)

type auditPage struct {
	*Base
	Entries []auditRow
	Entity  string // the record the log is limited to, if any
	ID      int64
}

// auditRow is an entry with what changed, field by field.
type auditRow struct {
	audit.Entry
	Changes []auditChange
}

type auditChange struct{ Field, Before, After string }

// auditLog lists the latest changes, or those of one record
// (?post=application&id=12), each with the fields it changed: those of
// the records the officer sees (policy.ProgrammeScope), the scope applied
// in the query. One record of a programme the officer does not see is
// refused.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ViewAuditLog, 0); err != nil {
		return err
	}
	q := r.URL.Query()
	f := audit.Filter{Entity: q.Get("post"), Scope: policy.ProgrammeScope(b.User), Limit: 200}
	f.EntityID, _ = strconv.ParseInt(q.Get("id"), 10, 64)
	if f.Entity != "" && f.EntityID != 0 {
		p, err := s.store.ProgrammeOf(r.Context(), f.Entity, f.EntityID)
		if errors.Is(err, store.ErrNotFound) {
			p = policy.UnknownProgramme
		} else if err != nil {
			return err
		}
		if !policy.SeesProgramme(b.User, p) {
			return errForbidden
		}
	}
	entries, err := s.store.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	page := auditPage{Base: b, Entity: f.Entity, ID: f.EntityID}
	for _, e := range entries {
		page.Entries = append(page.Entries, auditRow{Entry: e, Changes: auditChanges(e.Before, e.After)})
	}
	b.Title = b.T("audit.title")
	return s.render(w, b, http.StatusOK, "audit", page)
}

// auditChanges compares two snapshots field by field. Nested values are
// compared as JSON and shown shortened; a creation lists what was set.
func auditChanges(before, after json.RawMessage) []auditChange {
	var b, a map[string]json.RawMessage
	json.Unmarshal(before, &b)
	json.Unmarshal(after, &a)
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out []auditChange
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if k == "Version" || k == "UpdatedAt" || k == "CreatedAt" {
			continue
		}
		if string(a[k]) == string(b[k]) {
			continue
		}
		out = append(out, auditChange{Field: k, Before: shortJSON(b[k]), After: shortJSON(a[k])})
	}
	return out
}

func shortJSON(v json.RawMessage) string {
	s := string(v)
	if s == "" || s == "null" || s == `""` || s == "0" || s == "[]" || s == "{}" {
		return "–"
	}
	var str string
	if json.Unmarshal(v, &str) == nil {
		s = str
	}
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return s
}
