package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/icld/partnerskap/internal/registry"
)

// caseDocuments lists the documents of an application's case, newest
// first, as the registry shows them.
func (s *Server) caseDocuments(ctx context.Context, b *Base, appID int64) ([]registryRow, error) {
	entries, err := s.store.RegistryList(ctx, registry.Filter{ApplicationID: appID, Limit: 10_000})
	if err != nil {
		return nil, err
	}
	rows := make([]registryRow, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, registryRow{Entry: e, KindLabel: b.T("registry.kind." + string(e.Kind))})
	}
	return rows, nil
}

// caseDocument registers a document the officer received or sent in the
// application's case (a letter, an e-mail) as the case's next document.
func (s *Server) caseDocument(w http.ResponseWriter, r *http.Request, b *Base) error {
	cf, err := s.officerCase(r, b)
	if err != nil {
		return err
	}
	cf.DocTitle = strings.TrimSpace(r.PostFormValue("title"))
	_, err = s.store.RegisterDocument(r.Context(), actor(b.User), cf.App.ID, cf.DocTitle)
	if status, ok := formFailed(err, b); ok {
		return s.renderCase(w, r, b, status, cf, decideForm{}, "", "")
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("case", cf.App.ID)+"#documents-heading", http.StatusSeeOther)
	return nil
}
