package web

import (
	"context"
	"slices"
	"strings"

	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/user"
)

// message renders the mail "mail.<key>.subject" / "mail.<key>.body" for u
// in u's language. args are name/value pairs for the placeholders, as for
// Base.T. The footer and the link to the site are added here, once.
func (s *Server) message(u *user.User, key string, args ...any) mail.Message {
	lang := u.Lang
	if lang != "en" {
		lang = "sv"
	}
	data := map[string]any{"Name": u.Name}
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			data[k] = args[i+1]
		}
	}
	body := s.msgs.T(lang, "mail."+key+".body", data) + "\n\n" + s.msgs.T(lang, "mail.footer", map[string]any{"URL": strings.TrimSuffix(s.cfg.BaseURL, "/")})
	return mail.Message{To: u.Email, Subject: s.msgs.T(lang, "mail."+key+".subject", data), Body: body}
}

// officersFor returns the users who handle programme programmeID: officers
// scoped to it or to every programme.
func (s *Server) officersFor(ctx context.Context, programmeID int64) ([]*user.User, error) {
	return s.usersWith(ctx, func(r user.Role) bool {
		return r.Kind == user.Officer && (r.ProgrammeID == 0 || r.ProgrammeID == programmeID)
	})
}

// applicantsOf returns the users who apply for organisation orgID.
func (s *Server) applicantsOf(ctx context.Context, orgID int64) ([]*user.User, error) {
	return s.usersWith(ctx, func(r user.Role) bool { return r.Kind == user.Applicant && r.OrganisationID == orgID })
}

// usersWith returns the active users holding a role that match accepts.
func (s *Server) usersWith(ctx context.Context, match func(user.Role) bool) ([]*user.User, error) {
	users, err := s.store.UserList(ctx)
	if err != nil {
		return nil, err
	}
	var out []*user.User
	for _, u := range users {
		if !u.Disabled && slices.ContainsFunc(u.Roles, match) {
			out = append(out, u)
		}
	}
	return out, nil
}
