// Package notify composes the programme's e-mails: it finds who is told of
// an event and writes each mail in the recipient's language. Request
// handlers and background jobs (the report reminders) both use it; the
// mails then go to the outbox (internal/mail) in the transaction of the
// change that causes them.
//
// It sits apart from internal/mail because it reads the store, and the
// store imports mail for mail.Message.
package notify

import (
	"context"
	"slices"
	"strings"

	"github.com/icld/partnerskap/internal/i18n"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// Mailer composes mails; the outbox worker (internal/mail) sends them. It
// keeps no state of its own, so a web server and a background job may
// each have one.
type Mailer struct {
	store   store.Store
	msgs    *i18n.Catalogue
	baseURL string // the public address, without a trailing slash
}

// New returns a Mailer reading recipients from s, translating with msgs
// and linking to the site at baseURL.
func New(s store.Store, msgs *i18n.Catalogue, baseURL string) *Mailer {
	return &Mailer{store: s, msgs: msgs, baseURL: strings.TrimSuffix(baseURL, "/")}
}

// Link is the absolute address of a page in a recipient's language ("sv"
// or "en"). The caller builds it from its routes, so this package knows
// no addresses (but ReportPath).
type Link func(lang string) string

// langOf is the language u reads mail in: English or the default, Swedish.
func langOf(u *user.User) string {
	if u.Lang == "en" {
		return "en"
	}
	return "sv"
}

// message renders the mail "mail.<key>.subject" / "mail.<key>.body" for u
// in u's language. args are name/value pairs for the placeholders. The
// footer and the link to the site are added here, once.
func (m *Mailer) message(u *user.User, key string, args ...any) mail.Message {
	lang := langOf(u)
	data := map[string]any{"Name": u.Name}
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			data[k] = args[i+1]
		}
	}
	body := m.msgs.T(lang, "mail."+key+".body", data) + "\n\n" + m.msgs.T(lang, "mail.footer", map[string]any{"URL": m.baseURL})
	return mail.Message{To: u.Email, Subject: m.msgs.T(lang, "mail."+key+".subject", data), Body: body}
}

// officersFor returns the users who handle programme programmeID: officers
// scoped to it or to every programme.
func (m *Mailer) officersFor(ctx context.Context, programmeID int64) ([]*user.User, error) {
	return m.usersWith(ctx, func(r user.Role) bool {
		return r.Kind == user.Officer && (r.ProgrammeID == 0 || r.ProgrammeID == programmeID)
	})
}

// applicantsOf returns the users who apply for organisation orgID.
func (m *Mailer) applicantsOf(ctx context.Context, orgID int64) ([]*user.User, error) {
	return m.usersWith(ctx, func(r user.Role) bool { return r.Kind == user.Applicant && r.OrganisationID == orgID })
}

// usersWith returns the active users holding a role that match accepts.
func (m *Mailer) usersWith(ctx context.Context, match func(user.Role) bool) ([]*user.User, error) {
	users, err := m.store.UserList(ctx)
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
