package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// One's own second factor, for everyone signed in: enrol (optional for
// applicants, partners and reviewers), see its status, get new recovery
// codes, switch it off (only when not required). Changing an enrolled
// factor asks for a current code, so a browser left signed in is not
// enough to take the factor over. Administrators reset another person's
// factor from the people page.

// twoStepPage is the account page.
type twoStepPage struct {
	*Base
	Status     user.SecondFactorStatus
	Required   bool
	Enrol      enrolPage // the enrolment form, when not enrolled
	CodesError string    // the regenerate form's error
	OffError   string    // the disable form's error
}

func (s *Server) renderTwoStep(w http.ResponseWriter, r *http.Request, b *Base, status int, page twoStepPage) error {
	st, err := s.store.SecondFactorStatus(r.Context(), b.User.ID)
	if err != nil {
		return err
	}
	page.Base, page.Status, page.Required = b, st, user.RequiresSecondFactor(b.User)
	if !st.Enrolled && page.Enrol.Secret == "" {
		if page.Enrol, err = newEnrolPage(b, b.User, ""); err != nil {
			return err
		}
		page.Enrol.Action, page.Enrol.Account = b.URL("twostep.enrol"), true
	}
	b.Title = b.T("second_factor.account.title")
	return s.render(w, b, status, "two_step", page)
}

func (s *Server) twoStep(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.renderTwoStep(w, r, b, http.StatusOK, twoStepPage{})
}

// twoStepEnrol enrols a factor from the account page and shows the
// recovery codes once.
func (s *Server) twoStepEnrol(w http.ResponseWriter, r *http.Request, b *Base) error {
	b.Title = b.T("second_factor.enrol.title")
	page, done, err := s.enrol(w, r, b, b.User, b.URL("twostep.enrol"), "", true)
	if errors.Is(err, store.ErrConflict) {
		http.Redirect(w, r, b.URL("twostep"), http.StatusSeeOther)
		return nil
	}
	if err != nil || !done {
		return err
	}
	page.Continue = b.URL("twostep")
	b.Title = b.T("second_factor.codes.title")
	return s.render(w, b, http.StatusOK, "second_factor", page)
}

// checkOwnCode uses a code of the signed-in person's factor (throttled as
// at sign-in) and renders the account page with the error on field when
// it is wrong; ok says it was right.
func (s *Server) checkOwnCode(w http.ResponseWriter, r *http.Request, b *Base, field string) (ok bool, err error) {
	code := strings.TrimSpace(r.PostFormValue(field))
	b.Errors = validate.Errors{}
	page := twoStepPage{}
	fail := func(status int, key string) (bool, error) {
		b.Errors.Add(field, key)
		if field == "code_new" {
			page.CodesError = b.T(key)
		} else {
			page.OffError = b.T(key)
		}
		return false, s.renderTwoStep(w, r, b, status, page)
	}
	if code == "" {
		return fail(http.StatusUnprocessableEntity, "error.required")
	}
	now := s.clock.Now()
	try, refused := s.logins.admitCode(idKey(b.User.ID), now)
	if refused != nil {
		setRetryAfter(w, refused)
		return fail(http.StatusTooManyRequests, "error.second_factor.throttled")
	}
	if _, err := s.store.UseSecondFactor(r.Context(), b.User.ID, code, now); errors.Is(err, user.ErrWrongCode) {
		return fail(http.StatusUnprocessableEntity, "error.second_factor.wrong_code")
	} else if err != nil {
		return false, err
	}
	try.succeeded(now)
	return true, nil
}

// twoStepCodes replaces the recovery codes and shows the new ones once.
func (s *Server) twoStepCodes(w http.ResponseWriter, r *http.Request, b *Base) error {
	st, err := s.store.SecondFactorStatus(r.Context(), b.User.ID)
	if err != nil {
		return err
	}
	if !st.Enrolled {
		return store.ErrNotFound
	}
	if ok, err := s.checkOwnCode(w, r, b, "code_new"); !ok {
		return err
	}
	codes, hashes := user.NewRecoveryCodes()
	if err := s.store.RegenerateRecoveryCodes(r.Context(), actor(b.User), b.User.ID, hashes); err != nil {
		return err
	}
	b.Title = b.T("second_factor.codes.title")
	return s.render(w, b, http.StatusOK, "second_factor", enrolPage{Base: b, Codes: codes, Continue: b.URL("twostep"), Account: true})
}

// twoStepDisable switches one's own factor off, when it is not required.
func (s *Server) twoStepDisable(w http.ResponseWriter, r *http.Request, b *Base) error {
	if !user.MayDisableSecondFactor(b.User) {
		return errForbidden
	}
	st, err := s.store.SecondFactorStatus(r.Context(), b.User.ID)
	if err != nil {
		return err
	}
	if !st.Enrolled {
		return store.ErrNotFound
	}
	if ok, err := s.checkOwnCode(w, r, b, "code_off"); !ok {
		return err
	}
	if err := s.store.DisableSecondFactor(r.Context(), actor(b.User), b.User.ID); err != nil {
		return err
	}
	setFlash(w, "second_factor.disabled")
	http.Redirect(w, r, b.URL("twostep"), http.StatusSeeOther)
	return nil
}

// personTwoStepReset lets an administrator remove a person's second
// factor (a lost device): audited, and the person's sessions end, so the
// next sign-in asks them to enrol again.
func (s *Server) personTwoStepReset(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManageUsers, 0); err != nil {
		return err
	}
	u, err := s.person(r, b)
	if err != nil {
		return err
	}
	if err := s.store.ResetSecondFactor(r.Context(), actor(b.User), u.ID); err != nil {
		return err
	}
	if u.ID == b.User.ID {
		// One's own reset ends one's own session too.
		return s.logout(w, r, b)
	}
	setFlash(w, "second_factor.reset_done")
	http.Redirect(w, r, b.URL("person.edit", u.ID), http.StatusSeeOther)
	return nil
}
