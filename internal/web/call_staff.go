package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/validate"
)

// callForm holds what was typed. Times are Stockholm wall-clock times as a
// datetime-local field sends them.
type callForm struct {
	TitleSV, TitleEN, OpensAt, ClosesAt, Ceiling, MaxPerGrant, Version string
	Cancelled                                                          bool
	Config                                                             string // questions, lists, assessment and steps as JSON
}

// configJSON writes a call's configuration as the officer edits it.
func configJSON(c call.Config) string {
	b, _ := json.MarshalIndent(c, "", "  ")
	return string(b)
}

const localLayout = "2006-01-02T15:04"

func callFormFrom(c *call.Call) callForm {
	return callForm{TitleSV: c.TitleSV, TitleEN: c.TitleEN,
		OpensAt: c.OpensAt.In(clock.Stockholm).Format(localLayout), ClosesAt: c.ClosesAt.In(clock.Stockholm).Format(localLayout),
		Ceiling: money.Input(c.Ceiling), MaxPerGrant: money.Input(c.MaxPerGrant), Cancelled: c.Cancelled, Version: strconv.Itoa(c.Version),
		Config: configJSON(c.Config)}
}

func parseCallForm(r *http.Request) callForm {
	return callForm{TitleSV: r.PostFormValue("title_sv"), TitleEN: r.PostFormValue("title_en"), OpensAt: r.PostFormValue("opens_at"),
		ClosesAt: r.PostFormValue("closes_at"), Ceiling: r.PostFormValue("ceiling"), MaxPerGrant: r.PostFormValue("max_per_grant"),
		Cancelled: r.PostFormValue("cancelled") == "on", Version: r.PostFormValue("version"), Config: r.PostFormValue("config")}
}

// call converts the form. The configuration's own problems (JSON syntax,
// a form definition an applicant could not fill in) are returned as
// readable lines for the page, besides the field error on "config".
func (f callForm) call(id, programmeID int64) (*call.Call, validate.Errors, []string) {
	v, _ := strconv.Atoi(f.Version)
	c := &call.Call{ID: id, ProgrammeID: programmeID, TitleSV: f.TitleSV, TitleEN: f.TitleEN, Cancelled: f.Cancelled, Version: v}
	errs := validate.Errors{}
	var problems []string
	if strings.TrimSpace(f.Config) == "" {
		c.Config = call.DefaultConfig()
	} else {
		dec := json.NewDecoder(strings.NewReader(f.Config))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c.Config); err != nil {
			errs.Add("config", "error.call.config_invalid")
			problems = append(problems, err.Error())
		} else {
			var def *form.DefinitionError
			if errors.As(c.Config.Form.Check(), &def) {
				problems = append(problems, def.Problems...)
			}
			for _, k := range c.CheckConfig() {
				errs.Add("config", k)
			}
		}
	}
	c.OpensAt = parseLocalField(errs, "opens_at", f.OpensAt)
	c.ClosesAt = parseLocalField(errs, "closes_at", f.ClosesAt)
	c.Ceiling = parseMoneyField(errs, "ceiling", f.Ceiling)
	c.MaxPerGrant = parseMoneyField(errs, "max_per_grant", f.MaxPerGrant)
	c.Normalize()
	for k, m := range c.Validate() {
		errs.Add(k, m)
	}
	return c, errs, problems
}

func parseLocalField(errs validate.Errors, field, s string) time.Time {
	if s == "" {
		errs.Add(field, "error.required")
		return time.Time{}
	}
	t, err := clock.ParseLocal(s)
	if err != nil {
		errs.Add(field, "error.datetime")
	}
	return t
}

type callFormPage struct {
	*Base
	Problems  []string // what is wrong with the configuration
	Form      callForm
	ID        int64
	Programme *programme.Programme
	Granted   int64
	Status    call.Status
}

func (s *Server) renderCallForm(w http.ResponseWriter, r *http.Request, b *Base, status int, id int64, prog *programme.Programme, f callForm, problems ...string) error {
	page := callFormPage{Base: b, Form: f, ID: id, Programme: prog, Problems: problems}
	if id != 0 {
		c, err := s.store.Call(r.Context(), id)
		if err != nil {
			return err
		}
		page.Status = c.Status(s.clock.Now())
		if page.Granted, err = s.store.GrantedInCall(r.Context(), id); err != nil {
			return err
		}
		b.Title = b.T("call.edit", "Name", c.Title(b.Lang))
	} else {
		b.Title = b.T("call.new")
	}
	return s.render(w, b, status, "call_form", page)
}

func (s *Server) callNew(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := require(b, policy.ManageProgramme, id); err != nil {
		return err
	}
	prog, err := s.store.Programme(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderCallForm(w, r, b, http.StatusOK, 0, prog, callForm{Config: configJSON(call.DefaultConfig())})
}

func (s *Server) callCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	progID, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := require(b, policy.ManageProgramme, progID); err != nil {
		return err
	}
	prog, err := s.store.Programme(r.Context(), progID)
	if err != nil {
		return err
	}
	f := parseCallForm(r)
	c, errs, problems := f.call(0, progID)
	err = errs.Err()
	if err == nil {
		err = s.store.CreateCall(r.Context(), actor(b.User), c)
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderCallForm(w, r, b, status, 0, prog, f, problems...)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.call.created", "Opens", b.DateTime(c.OpensAt), "Closes", b.DateTime(c.ClosesAt))
	http.Redirect(w, r, b.URL("call.edit", c.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) callEdit(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.store.Call(r.Context(), id)
	if err != nil {
		return err
	}
	if err := require(b, policy.ManageProgramme, c.ProgrammeID); err != nil {
		return err
	}
	prog, err := s.store.Programme(r.Context(), c.ProgrammeID)
	if err != nil {
		return err
	}
	return s.renderCallForm(w, r, b, http.StatusOK, id, prog, callFormFrom(c))
}

func (s *Server) callUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cur, err := s.store.Call(r.Context(), id)
	if err != nil {
		return err
	}
	if err := require(b, policy.ManageProgramme, cur.ProgrammeID); err != nil {
		return err
	}
	prog, err := s.store.Programme(r.Context(), cur.ProgrammeID)
	if err != nil {
		return err
	}
	f := parseCallForm(r)
	c, errs, problems := f.call(id, cur.ProgrammeID)
	err = errs.Err()
	if err == nil {
		err = s.store.UpdateCall(r.Context(), actor(b.User), c)
	}
	if status, ok := formFailed(err, b); ok {
		if status == http.StatusConflict {
			f.Version = strconv.Itoa(cur.Version)
		}
		return s.renderCallForm(w, r, b, status, id, prog, f, problems...)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("call.edit", id), http.StatusSeeOther)
	return nil
}
