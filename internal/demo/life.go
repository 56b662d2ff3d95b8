package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
)

// lives records what happened to the demo's grants after the decision,
// through the store as the grantees and the officer would: the pilot's six
// grants accepted, paid in full, with three activities each and a survey
// answered before and after, and a final report the demo officer approved,
// which settles each grant and closes it (only when the demo is loaded
// after the pilot ended, pilotSettled); the rolling call's grants
// accepted, the first payment of the plan made, one activity logged and
// the baseline survey taking answers.
//
// The store stamps acceptances, payments, survey answers, reports and
// closings with its clock, so they carry the time the demo is loaded, not 2021: the store
// offers no way to backdate them, and the dates that matter to the story
// (of the activities, of the survey phases) are the 2021 ones.
//
// Each step looks first at what is stored and does only what is missing,
// so a load interrupted half-way is finished by the next one.
func (l *loader) lives(ctx context.Context) error {
	officer := actor
	if u, err := l.s.UserByEmail(ctx, "handlaggare@demo.partnerskap.se"); err == nil {
		officer = audit.Actor{UserID: u.ID, Name: u.Name}
	}
	var kalixApplicant *audit.Actor
	if u, err := l.s.UserByEmail(ctx, "sokande@kalix.demo.partnerskap.se"); err == nil {
		kalixApplicant = &audit.Actor{UserID: u.ID, Name: u.Name}
	}
	// Kalix's steps are its demo applicant's; the other grantees have no
	// demo account, and act under their organisation's name, marked as
	// the demo's (the grant pages show who accepted the terms).
	actors := func(g *grant.Grant) (by, pays audit.Actor) {
		for _, o := range l.swedish {
			if o.ID != g.OrganisationID {
				continue
			}
			if o.Code == codeKalix && kalixApplicant != nil {
				return *kalixApplicant, officer
			}
			return audit.Actor{Name: o.Name + " (demo)"}, officer
		}
		return actor, officer
	}

	if !clock.Today(l.now).Before(pilotSettled) {
		c, err := l.call(ctx, newCall(0))
		if err != nil {
			return err
		}
		if err := l.grantLives(ctx, c, pilotLives(), pilotReports(), true, actors); err != nil {
			return err
		}
	}
	c, err := findRollingCall(ctx, l.s)
	if err != nil || c == nil {
		return err
	}
	return l.grantLives(ctx, c, rollingLives(clock.Today(l.now)), nil, false, actors)
}

// grantLives brings each grant of call c whose partnership specs names to
// its planned state. A pilot grant is paid in full and its survey closed;
// another gets the instalments its call's plan makes due on acceptance,
// and its baseline stays open. A grant whose partnership reports names
// ends with that final report approved and the grant closed.
func (l *loader) grantLives(ctx context.Context, c *call.Call, specs map[string]lifeSpec, reports map[string]finalReportSpec, pilot bool,
	actors func(*grant.Grant) (by, pays audit.Actor)) error {
	grants, err := l.s.GrantList(ctx, grant.Filter{CallID: c.ID})
	if err != nil {
		return err
	}
	for _, g := range grants {
		p, err := l.s.Partnership(ctx, g.PartnershipID)
		if err != nil {
			return err
		}
		spec, ok := specs[p.Name]
		if !ok {
			continue
		}
		by, pays := actors(g)
		if err := l.accept(ctx, g, by); err != nil {
			return fmt.Errorf("accept grant to %s: %w", p.Name, err)
		}
		if err := l.pay(ctx, c, g, pays, pilot); err != nil {
			return fmt.Errorf("pay grant to %s: %w", p.Name, err)
		}
		for _, a := range spec.activities {
			if err := l.activity(ctx, g, by, a); err != nil {
				return fmt.Errorf("activity %q of %s: %w", a.Title, p.Name, err)
			}
		}
		w := surveyWindows{baseline: survey.Window{Opens: pilotBaselineOpens, Closes: pilotBaselineCloses},
			followUp: survey.Window{Opens: pilotFollowUpOpens, Closes: pilotFollowUpCloses}}
		if !pilot {
			w = surveyWindows{baseline: survey.Window{Opens: l.now.UTC(),
				Closes: survey.EndOfDay(clock.Today(l.now).AddDate(0, 0, rollingBaselineDays))}}
		}
		if err := l.survey(ctx, c, g, by, spec.survey, w); err != nil {
			return fmt.Errorf("survey of %s: %w", p.Name, err)
		}
		if rep, ok := reports[p.Name]; ok {
			if err := l.finalReport(ctx, c, g, by, pays, rep); err != nil {
				return fmt.Errorf("final report of %s: %w", p.Name, err)
			}
		}
	}
	return nil
}

// accept records the grantee's acceptance unless it is there.
func (l *loader) accept(ctx context.Context, g *grant.Grant, by audit.Actor) error {
	_, err := l.s.Acceptance(ctx, g.ID)
	if errors.Is(err, store.ErrNotFound) {
		_, err = l.s.AcceptGrant(ctx, by, g.ID)
	}
	return err
}

// pay pays what is due: the whole grant for the pilot, else what the
// call's plan makes due on acceptance, less what is paid already.
func (l *loader) pay(ctx context.Context, c *call.Call, g *grant.Grant, by audit.Actor, all bool) error {
	b, err := l.s.Balance(ctx, g.ID)
	if err != nil {
		return err
	}
	due := b.Unpaid()
	note := "Utbetalning av hela bidraget"
	if !all {
		if due, err = c.Config.Plan().Due(g.Amount, b.Paid, map[ledger.Trigger]bool{ledger.OnAcceptance: true}); err != nil {
			return err
		}
		note = "Utbetalning när villkoren godkänts, enligt betalningsplanen"
	}
	if due <= 0 {
		return nil
	}
	_, err = l.s.RecordPayment(ctx, by, g.ID, due, note)
	return err
}

// activity logs a, found again by its title and date, unless it is there.
func (l *loader) activity(ctx context.Context, g *grant.Grant, by audit.Actor, a activity.Activity) error {
	list, err := l.s.ActivityList(ctx, g.ID)
	if err != nil {
		return err
	}
	for _, existing := range list {
		if existing.Title == a.Title {
			return nil
		}
	}
	a.GrantID = g.ID
	return l.s.CreateActivity(ctx, by, &a)
}

// surveyWindows are the phases a demo survey ends with.
type surveyWindows struct{ baseline, followUp survey.Window }

// survey creates the grant's survey, adds the planned answers that are
// missing and leaves the phases as planned. The store takes an answer
// only while its phase is open at its clock, so a phase that should end
// in the past is kept open (no end) until its answers are in, then
// closed; the answers carry the load time (AddResponse stamps them).
func (l *loader) survey(ctx context.Context, c *call.Call, g *grant.Grant, by audit.Actor, p surveyProfile, want surveyWindows) error {
	sv, err := l.s.Survey(ctx, g.ID)
	if errors.Is(err, store.ErrNotFound) {
		sv = survey.New(g.ID, c.Config.SurveyTemplate(), l.now)
		sv.Baseline, sv.FollowUp = want.baseline, want.followUp
		for _, w := range []*survey.Window{&sv.Baseline, &sv.FollowUp} {
			if !w.Opens.IsZero() && !w.Closes.IsZero() && !w.Closes.After(l.now) {
				w.Closes = time.Time{} // open until the answers are in
			}
		}
		err = l.s.CreateSurvey(ctx, by, sv)
	}
	if err != nil {
		return err
	}
	stored, err := l.s.Responses(ctx, g.ID)
	if err != nil {
		return err
	}
	have := map[survey.Phase]int{}
	for _, r := range stored {
		have[r.Phase]++
	}
	planned := responses(g.ID, p)
	seen := map[survey.Phase]int{}
	var missing []survey.Response
	for _, r := range planned {
		seen[r.Phase]++
		if seen[r.Phase] > have[r.Phase] {
			missing = append(missing, r)
		}
	}
	// Open the phases that still take the planned answers.
	reopen := false
	for _, r := range missing {
		if w := sv.Window(r.Phase); !w.IsOpen(l.now) {
			*w = want.window(r.Phase)
			if !w.Closes.After(l.now) {
				w.Closes = time.Time{}
			}
			reopen = true
		}
	}
	if reopen {
		if err := l.s.UpdateSurvey(ctx, by, sv); err != nil {
			return err
		}
	}
	for _, r := range missing {
		if err := l.s.AddResponse(ctx, &r); err != nil {
			return err
		}
	}
	// Close the phases planned to end in the past, now their answers are in.
	closing := false
	for _, p := range survey.Phases {
		w, planned := sv.Window(p), want.window(p)
		if !planned.Closes.IsZero() && !planned.Closes.After(l.now) && !sameWindow(*w, planned) {
			*w = planned
			closing = true
		}
	}
	if closing {
		return l.s.UpdateSurvey(ctx, by, sv)
	}
	return nil
}

func (w surveyWindows) window(p survey.Phase) survey.Window {
	if p == survey.FollowUp {
		return w.followUp
	}
	return w.baseline
}

func sameWindow(a, b survey.Window) bool { return a.Opens.Equal(b.Opens) && a.Closes.Equal(b.Closes) }
