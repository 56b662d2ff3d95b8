package web

import (
	"errors"
	"net/http"

	"github.com/icld/partnerskap/internal/privacy"
	"github.com/icld/partnerskap/internal/store"
)

// privacyPage is the privacy notice: who is responsible, what is
// processed and why, how long it is kept (the retention the
// administrators set) and the rights of the person it is about.
type privacyPage struct {
	*Base
	RetentionDays int
}

// privacyNotice is the privacy notice (GDPR articles 13 and 14), linked
// from every page's footer and from every form that takes personal data.
func (s *Server) privacyNotice(w http.ResponseWriter, r *http.Request, b *Base) error {
	r2, err := s.retention(r)
	if err != nil {
		return err
	}
	b.Title = b.T("privacy.title")
	return s.render(w, b, http.StatusOK, "privacy", privacyPage{Base: b, RetentionDays: r2.Days})
}

// retention is the retention the administrators set, or the default.
func (s *Server) retention(r *http.Request) (privacy.Retention, error) {
	v, err := s.store.Setting(r.Context(), privacy.RetentionSetting)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return privacy.Retention{}, err
	}
	ret, err := privacy.ParseRetention(v)
	if err != nil {
		return privacy.Retention{Days: privacy.DefaultRetentionDays}, nil
	}
	return ret, nil
}
