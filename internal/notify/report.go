package notify

import (
	"context"
	"strconv"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/user"
)

// Grant is what a report mail names, as the caller has already read it.
type Grant struct {
	Grant        *grant.Grant
	Call         *call.Call
	Partnership  string // the partnership's name
	Organisation string // the grantee's name
}

// ReportSubmitted tells the programme's officers that the grantee has
// submitted its report of kind.
func (m *Mailer) ReportSubmitted(ctx context.Context, g Grant, kind report.Kind) ([]mail.Message, error) {
	users, err := m.officersFor(ctx, g.Call.ProgrammeID)
	if err != nil {
		return nil, err
	}
	return m.reportMails(users, "report_submitted", g, kind), nil
}

// ReportApproved tells the grantee's users that their report was approved.
func (m *Mailer) ReportApproved(ctx context.Context, g Grant, kind report.Kind) ([]mail.Message, error) {
	users, err := m.applicantsOf(ctx, g.Grant.OrganisationID)
	if err != nil {
		return nil, err
	}
	return m.reportMails(users, "report_approved", g, kind), nil
}

// ReportCompletionRequested asks the grantee's users to complete their
// report.
func (m *Mailer) ReportCompletionRequested(ctx context.Context, g Grant, kind report.Kind) ([]mail.Message, error) {
	users, err := m.applicantsOf(ctx, g.Grant.OrganisationID)
	if err != nil {
		return nil, err
	}
	return m.reportMails(users, "report_completion", g, kind), nil
}

func (m *Mailer) reportMails(users []*user.User, key string, g Grant, kind report.Kind) []mail.Message {
	var out []mail.Message
	for _, u := range users {
		lang := langOf(u)
		out = append(out, m.message(u, key, "Partnership", g.Partnership, "Organisation", g.Organisation,
			"Kind", m.msgs.T(lang, "report.kind."+string(kind), nil), "Call", g.Call.Title(lang)))
	}
	return out
}

// ReportReminder reminds the users of the grant's organisation of a
// report deadline, each in their language. The reminder job queues the
// mails through store.Reports.SendReminder.
func (m *Mailer) ReportReminder(ctx context.Context, rem report.Reminder) ([]mail.Message, error) {
	g, err := m.store.Grant(ctx, rem.GrantID)
	if err != nil {
		return nil, err
	}
	c, err := m.store.Call(ctx, g.CallID)
	if err != nil {
		return nil, err
	}
	p, err := m.store.Partnership(ctx, g.PartnershipID)
	if err != nil {
		return nil, err
	}
	users, err := m.applicantsOf(ctx, g.OrganisationID)
	if err != nil {
		return nil, err
	}
	var out []mail.Message
	for _, u := range users {
		lang := langOf(u)
		out = append(out, m.message(u, "report_reminder_"+string(rem.When), "Partnership", p.Name, "Call", c.Title(lang),
			"Kind", m.msgs.T(lang, "report.kind."+string(rem.Kind), nil), "Due", rem.Deadline.Due.Format("2006-01-02"),
			"Link", m.baseURL+ReportPath(lang, g.ID, rem.Kind)))
	}
	return out, nil
}

// ReportPath is the grantee's page for a report, as routes.go names it
// ("grant.report"); the reminder job has no routes to build it from, and
// a web test checks that the two agree.
func ReportPath(lang string, grantID int64, kind report.Kind) string {
	if lang == "en" {
		return "/en/grants/" + strconv.FormatInt(grantID, 10) + "/reports/" + string(kind)
	}
	return "/bidrag/" + strconv.FormatInt(grantID, 10) + "/rapporter/" + string(kind)
}
