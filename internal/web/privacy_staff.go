package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/privacy"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// personExport hands an administrator everything held about a person as
// one JSON file (the right of access), and logs that it was taken.
func (s *Server) personExport(w http.ResponseWriter, r *http.Request, b *Base) error {
	u, err := s.person(r, b)
	if err != nil {
		return err
	}
	data, err := s.store.PersonData(r.Context(), u.ID)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(struct {
		Exported string `json:"exported_at"`
		Person   any    `json:"person"`
	}{s.clock.Now().UTC().Format("2006-01-02T15:04:05Z"), data}, "", "  ")
	if err != nil {
		return err
	}
	if err := s.store.RecordEvent(r.Context(), actor(b.User), "export", "user", u.ID); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="person-%d.json"`, u.ID))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(append(body, '\n'))
	return err
}

// erasePage is the confirmation before erasing a person: what goes and
// what stays.
type erasePage struct {
	*Base
	Person *user.User
	Erased bool
}

func (s *Server) renderErase(w http.ResponseWriter, b *Base, status int, u *user.User) error {
	b.Title = b.T("privacy.erase.title", "Name", u.Name)
	return s.render(w, b, status, "person_erase", erasePage{Base: b, Person: u, Erased: privacy.IsErased(u.Email)})
}

// personEraseForm asks an administrator to confirm erasing a person.
func (s *Server) personEraseForm(w http.ResponseWriter, r *http.Request, b *Base) error {
	u, err := s.person(r, b)
	if err != nil {
		return err
	}
	return s.renderErase(w, b, http.StatusOK, u)
}

// personErase erases a person (store.ErasePerson) and returns to the
// people page. Refusals (oneself, the last administrator, already erased)
// show the confirmation page again with the reason.
func (s *Server) personErase(w http.ResponseWriter, r *http.Request, b *Base) error {
	u, err := s.person(r, b)
	if err != nil {
		return err
	}
	err = s.store.ErasePerson(r.Context(), actor(b.User), u.ID)
	switch {
	case errors.Is(err, privacy.ErrSelf):
		b.Errors = validate.Errors{"form": "error.privacy.self"}
		return s.renderErase(w, b, http.StatusUnprocessableEntity, u)
	case errors.Is(err, privacy.ErrLastAdministrator):
		b.Errors = validate.Errors{"form": "error.privacy.last_admin"}
		return s.renderErase(w, b, http.StatusUnprocessableEntity, u)
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderErase(w, b, status, u)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.person_erased")
	http.Redirect(w, r, b.URL("people"), http.StatusSeeOther)
	return nil
}

// privacySettingsPage is the administrators' retention setting.
type privacySettingsPage struct {
	*Base
	Days field
}

func (s *Server) renderPrivacySettings(w http.ResponseWriter, b *Base, status int, days string) error {
	b.Title = b.T("privacy.settings.title")
	f := b.Field("days", "privacy.settings.days", "text", days, "required", "inputmode=numeric")
	f.Hint = b.T("privacy.settings.days_hint", "Min", privacy.MinRetentionDays, "Max", privacy.MaxRetentionDays, "Default", privacy.DefaultRetentionDays)
	return s.render(w, b, status, "privacy_settings", privacySettingsPage{Base: b, Days: f})
}

// privacySettings shows the retention of rejected and withdrawn
// applications' personal data, for administrators.
func (s *Server) privacySettings(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManageUsers, 0); err != nil {
		return err
	}
	ret, err := s.retention(r)
	if err != nil {
		return err
	}
	return s.renderPrivacySettings(w, b, http.StatusOK, strconv.Itoa(ret.Days))
}

// privacySettingsSave stores the retention; audited as any setting.
func (s *Server) privacySettingsSave(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManageUsers, 0); err != nil {
		return err
	}
	days := r.PostFormValue("days")
	ret, err := privacy.ParseRetention(days)
	if err != nil || days == "" {
		b.Errors = validate.Errors{"days": "error.privacy.retention_range"}
		return s.renderPrivacySettings(w, b, http.StatusUnprocessableEntity, days)
	}
	if err := s.store.SetSetting(r.Context(), actor(b.User), privacy.RetentionSetting, strconv.Itoa(ret.Days)); err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("privacy.settings"), http.StatusSeeOther)
	return nil
}
