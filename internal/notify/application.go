package notify

import (
	"context"
	"strings"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/user"
)

// Submitted is the receipt for the applicant organisation's users and the
// notice for the programme's officers when application a to call c is
// submitted.
func (m *Mailer) Submitted(ctx context.Context, a *application.Application, c *call.Call) ([]mail.Message, error) {
	p, err := m.store.Partnership(ctx, a.PartnershipID)
	if err != nil {
		return nil, err
	}
	org, err := m.store.Organisation(ctx, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	var out []mail.Message
	applicants, err := m.applicantsOf(ctx, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	for _, u := range applicants {
		out = append(out, m.message(u, "submitted", "Partnership", p.Name, "Call", c.Title(langOf(u)), "ID", a.ID))
	}
	officers, err := m.officersFor(ctx, c.ProgrammeID)
	if err != nil {
		return nil, err
	}
	for _, u := range officers {
		out = append(out, m.message(u, "submitted_officer", "Partnership", p.Name, "Call", c.Title(langOf(u)),
			"Organisation", org.Name, "ID", a.ID))
	}
	return out, nil
}

// CompletionRequested asks the applicant organisation's users to complete
// application a, with the officer's note; link is the application's page.
func (m *Mailer) CompletionRequested(ctx context.Context, a *application.Application, c *call.Call, note string, link Link) ([]mail.Message, error) {
	users, err := m.applicantsOf(ctx, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	var out []mail.Message
	for _, u := range users {
		lang := langOf(u)
		out = append(out, m.message(u, "completion", "Title", m.appLabel(lang, a), "Call", c.Title(lang),
			"Note", note, "Link", link(lang)))
	}
	return out, nil
}

// Decided tells the applicant organisation's users of decision d on
// application a; link is the application's page.
func (m *Mailer) Decided(ctx context.Context, a *application.Application, c *call.Call, d *decision.Decision, link Link) ([]mail.Message, error) {
	users, err := m.applicantsOf(ctx, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	var out []mail.Message
	for _, u := range users {
		lang := langOf(u)
		outcome := m.msgs.T(lang, "case.outcome."+string(d.Outcome), nil)
		if d.Amount > 0 {
			outcome += ", " + money.Format(d.Amount, lang)
		}
		out = append(out, m.message(u, "decided", "Title", m.appLabel(lang, a), "Call", c.Title(lang),
			"Outcome", outcome, "Link", link(lang)))
	}
	return out, nil
}

// Invite asks the owner of address to join organisation org, on behalf of
// from; link, in lang, carries the single-use token.
func (m *Mailer) Invite(address, lang, from, org, link string) mail.Message {
	return m.message(&user.User{Email: address, Name: address, Lang: lang}, "invite", "From", from, "Organisation", org, "Link", link)
}

// appLabel names an application in a mail: its project title, or its
// number.
func (m *Mailer) appLabel(lang string, a *application.Application) string {
	if t := strings.TrimSpace(a.Title()); t != "" {
		return t
	}
	return m.msgs.T(lang, "case.app_number", map[string]any{"ID": a.ID})
}
