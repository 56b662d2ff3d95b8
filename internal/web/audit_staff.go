package web

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/i18n"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/validate"
)

type auditPage struct {
	*Base
	Entries []auditRow
	Entity  string // the record the log is limited to, if any
	ID      int64
	Filter  logFilter
	// Kinds are the kinds of record to filter by, named in the page's
	// language; CanExport says whether the export buttons are shown.
	Kinds     []option
	CanExport bool
}

// auditRow is an entry with what changed, field by field.
type auditRow struct {
	audit.Entry
	Changes []auditChange
}

// auditChange is one field that changed: its name in the snapshot, its
// label in the page's language, and its values as shown.
type auditChange struct{ Field, Label, Before, After string }

// logFilter is the log's filters as typed: the days from and to (ISO,
// inclusive, in Stockholm), the kind of record (post) and its id.
type logFilter struct{ From, To, Post, ID string }

func (f logFilter) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"from": f.From, "to": f.To, "post": f.Post, "id": f.ID} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// parseLogFilter reads the log's filters; what does not parse is an error
// on its field and filters nothing.
func parseLogFilter(b *Base, q url.Values) (logFilter, audit.Filter, validate.Errors) {
	typed := logFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Post: strings.TrimSpace(q.Get("post")), ID: strings.TrimSpace(q.Get("id"))}
	errs := validate.Errors{}
	f := audit.Filter{Entity: typed.Post, Scope: policy.ProgrammeScope(b.User), Limit: 200}
	f.From, f.To = dayRange(typed.From, typed.To, errs)
	if typed.ID != "" {
		id, err := strconv.ParseInt(typed.ID, 10, 64)
		if err != nil || id <= 0 {
			errs.Add("id", "error.export.id")
		} else {
			f.EntityID = id
		}
	}
	return typed, f, errs
}

// auditLog lists the latest changes, or those of one record
// (?post=application&id=12), or of the days from and to, each with the
// fields it changed: those of the records the officer sees
// (policy.ProgrammeScope), the scope applied in the query. One record of
// a programme the officer does not see is refused.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ViewAuditLog, 0); err != nil {
		return err
	}
	typed, f, errs := parseLogFilter(b, r.URL.Query())
	status := http.StatusOK
	if len(errs) > 0 {
		b.Errors, status = errs, http.StatusUnprocessableEntity
	}
	return s.renderAuditLog(w, r, b, status, typed, f)
}

// checkRecordScope refuses a filter on one record of a programme the
// person does not see.
func (s *Server) checkRecordScope(r *http.Request, b *Base, f audit.Filter) error {
	if f.Entity == "" || f.EntityID == 0 {
		return nil
	}
	p, err := s.store.ProgrammeOf(r.Context(), f.Entity, f.EntityID)
	if errors.Is(err, store.ErrNotFound) {
		p = policy.UnknownProgramme
	} else if err != nil {
		return err
	}
	if !policy.SeesProgramme(b.User, p) {
		return errForbidden
	}
	return nil
}

func (s *Server) renderAuditLog(w http.ResponseWriter, r *http.Request, b *Base, status int, typed logFilter, f audit.Filter) error {
	if err := s.checkRecordScope(r, b, f); err != nil {
		return err
	}
	entries, err := s.store.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	page := auditPage{Base: b, Filter: typed, CanExport: policy.Can(b.User, policy.ExportAuditLog, 0)}
	if f.Entity != "" && f.EntityID != 0 {
		page.Entity, page.ID = f.Entity, f.EntityID
	}
	page.Kinds, err = auditKinds(b)
	if err != nil {
		return err
	}
	for _, e := range entries {
		page.Entries = append(page.Entries, auditRow{Entry: e, Changes: auditChanges(b, e.Before, e.After)})
	}
	b.Title = b.T("audit.title")
	return s.render(w, b, status, "audit", page)
}

// auditEntityKinds are the kinds of record with a name (audit.entity.*;
// both languages have the same keys).
var auditEntityKinds = sync.OnceValues(func() ([]string, error) {
	keys, err := i18n.Keys("sv")
	var out []string
	for _, k := range keys {
		if kind, ok := strings.CutPrefix(k, "audit.entity."); ok {
			out = append(out, kind)
		}
	}
	return out, err
})

// auditKinds are the kinds of record the log names (audit.entity.*), by
// name in the page's language, after a choice of all.
func auditKinds(b *Base) ([]option, error) {
	kinds, err := auditEntityKinds()
	if err != nil {
		return nil, err
	}
	var out []option
	for _, k := range kinds {
		out = append(out, option{Value: k, Label: b.T("audit.entity." + k)})
	}
	swedish.Sort(out, func(o option) string { return o.Label })
	return append([]option{{Value: "", Label: b.T("audit.filter.all_kinds")}}, out...), nil
}

// auditChanges compares two snapshots field by field, each named in the
// page's language (audit.field.*; a field without a name shows as it is
// stored). Times show in Stockholm, yes and no in words; nested values are
// compared as JSON and shown shortened; a creation lists what was set.
func auditChanges(b *Base, before, after json.RawMessage) []auditChange {
	var old, a map[string]json.RawMessage
	json.Unmarshal(before, &old)
	json.Unmarshal(after, &a)
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range old {
		keys[k] = true
	}
	var out []auditChange
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if k == "Version" || k == "UpdatedAt" || k == "CreatedAt" {
			continue
		}
		if string(a[k]) == string(old[k]) {
			continue
		}
		label := b.T("audit.field." + k)
		if label == "audit.field."+k {
			label = k
		}
		c := auditChange{Field: k, Label: label, Before: shownValue(b, old[k]), After: shownValue(b, a[k])}
		if c.Before == c.After {
			continue // a zero time set, an empty list made: nothing to read
		}
		out = append(out, c)
	}
	return out
}

// shownValue is a snapshot's value as the log shows it.
func shownValue(b *Base, v json.RawMessage) string {
	switch string(v) {
	case "true":
		return b.T("audit.value.yes")
	case "false":
		return b.T("audit.value.no")
	}
	var str string
	if json.Unmarshal(v, &str) == nil {
		if t, err := time.Parse(time.RFC3339Nano, str); err == nil {
			if t.IsZero() {
				return "–"
			}
			return b.DateTime(t)
		}
	}
	return shortJSON(v)
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
