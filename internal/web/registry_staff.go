package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/validate"
)

// registryFilter is the search as typed: the query, the case's year and
// the days from and to (ISO, inclusive, in Stockholm).
type registryFilter struct{ Q, Year, From, To string }

// registryRow is an entry with what its row shows and what was typed in
// its confidentiality form.
type registryRow struct {
	registry.Entry
	KindLabel string
	Reason    string // typed reason, kept after an error
	Error     string // translated error on the reason
}

type registryPage struct {
	*Base
	Filter registryFilter
	Rows   []registryRow
	Limit  int
}

// registryLimit is how many entries a page lists; a search narrows it.
const registryLimit = 200

func parseRegistryFilter(q url.Values) (registryFilter, registry.Filter, validate.Errors) {
	f := registryFilter{Q: strings.TrimSpace(q.Get("q")), Year: strings.TrimSpace(q.Get("year")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	errs := validate.Errors{}
	rf := registry.Filter{Query: f.Q, Limit: registryLimit}
	rf.From, rf.To = dayRange(f.From, f.To, errs)
	if f.Year != "" {
		y, err := strconv.Atoi(f.Year)
		if err != nil || y < 1900 || y > 9999 {
			errs.Add("year", "error.registry.year")
		} else {
			rf.Year = y
		}
	}
	return f, rf, errs
}

func (s *Server) registryList(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ViewRegistry, 0); err != nil {
		return err
	}
	f, rf, errs := parseRegistryFilter(r.URL.Query())
	status := http.StatusOK
	if len(errs) > 0 {
		b.Errors, status = errs, http.StatusUnprocessableEntity
	}
	return s.renderRegistry(w, r, b, status, f, rf, 0, "")
}

// renderRegistry lists the entries the officer sees: those of the
// applications of their programmes (policy.ProgrammeScope), in the query.
func (s *Server) renderRegistry(w http.ResponseWriter, r *http.Request, b *Base, status int, f registryFilter, rf registry.Filter, typedID int64, typedReason string) error {
	rf.Scope = policy.ProgrammeScope(b.User)
	entries, err := s.store.RegistryList(r.Context(), rf)
	if err != nil {
		return err
	}
	page := registryPage{Base: b, Filter: f, Limit: registryLimit}
	for _, e := range entries {
		row := registryRow{Entry: e, KindLabel: b.T("registry.kind." + string(e.Kind))}
		if e.ID == typedID {
			row.Reason = typedReason
			if key, ok := b.Errors[reasonField(e.ID)]; ok {
				row.Error = b.T(key)
			}
		}
		page.Rows = append(page.Rows, row)
	}
	b.Title = b.T("registry.title")
	return s.render(w, b, status, "registry", page)
}

// reasonField is the id of an entry's reason field, so the error summary
// links to the right row.
func reasonField(id int64) string { return "reason-" + strconv.FormatInt(id, 10) }

// registryUpdate marks an entry confidential, with the reason the law
// gives, or public again: an entry of a programme the officer sees.
func (s *Server) registryUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ViewRegistry, 0); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	prog, err := s.store.ProgrammeOf(r.Context(), "registry", id)
	if err != nil {
		return err // ErrNotFound: no such entry
	}
	if !policy.SeesProgramme(b.User, prog) {
		return errForbidden
	}
	confidential := r.PostFormValue("confidential") == "yes"
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	back := url.Values{}
	for _, k := range []string{"q", "year", "from", "to"} {
		if v := r.PostFormValue(k); v != "" {
			back.Set(k, v)
		}
	}
	err = registry.CheckConfidential(confidential, reason).Err()
	if err == nil {
		err = s.store.SetConfidential(r.Context(), actor(b.User), id, confidential, reason)
	}
	var verr validate.Errors
	if errors.As(err, &verr) {
		b.Errors = validate.Errors{}
		for k, v := range verr {
			if k == "reason" {
				k = reasonField(id)
			}
			b.Errors.Add(k, v)
		}
		f, rf, _ := parseRegistryFilter(back)
		return s.renderRegistry(w, r, b, http.StatusUnprocessableEntity, f, rf, id, reason)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	to := b.URL("registry")
	if len(back) > 0 {
		to += "?" + back.Encode()
	}
	http.Redirect(w, r, to+"#entry-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
