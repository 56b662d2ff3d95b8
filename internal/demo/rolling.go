package demo

import (
	"context"
	"errors"
	"fmt"
	"github.com/icld/partnerskap/internal/audit"
	"slices"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/store"
)

// rolling loads the second programme: its call, kept open, and one
// application in every state, each made through the store as an applicant,
// officer and reviewer would, so the store's rules (eligibility, form
// checks, the state machine, the ceiling) check the demo as they would a
// user. No mail is queued: this is history, not news.
//
// Each application is found again by its call, partnership, applicant and
// title, and taken from wherever it stands to its planned state, so a load
// interrupted half-way is finished by the next without duplicates.
func (l *loader) rolling(ctx context.Context) error {
	prog, err := l.programme(ctx, newRollingProgramme())
	if err != nil {
		return err
	}
	c, err := l.call(ctx, newRollingCall(prog.ID, l.now))
	if err != nil {
		return err
	}
	// An interrupted load finished days later may find the call closed.
	if err := keepOpen(ctx, l.s, c, l.now); err != nil {
		return err
	}
	reviewer, err := l.s.UserByEmail(ctx, reviewerEmail)
	if err != nil {
		return fmt.Errorf("demo reviewer: %w", err)
	}
	for _, spec := range rollingApplications(clock.Today(l.now)) {
		if err := l.application(ctx, c, reviewer.ID, spec); err != nil {
			return fmt.Errorf("application %q: %w", spec.title(), err)
		}
	}
	return nil
}

// findRollingCall returns the rolling call, or nil when the demo has none
// (a demo loaded before there was one).
func findRollingCall(ctx context.Context, s store.Store) (*call.Call, error) {
	progs, err := s.ProgrammeList(ctx)
	if err != nil {
		return nil, err
	}
	want := newRollingProgramme()
	for _, p := range progs {
		if p.NameSV != want.NameSV {
			continue
		}
		calls, err := s.CallList(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		title := newRollingCall(p.ID, time.Time{}).TitleSV
		for _, c := range calls {
			if c.TitleSV == title {
				return c, nil
			}
		}
	}
	return nil, nil
}

// keepOpen moves the call's dates, relative to now as when it was created,
// when it is not open at now, and changes nothing else. A call an officer
// cancelled stays cancelled: that was their choice.
func keepOpen(ctx context.Context, s store.Store, c *call.Call, now time.Time) error {
	if c.Cancelled || c.Status(now) == call.Open {
		return nil
	}
	moved := *c
	moved.OpensAt, moved.ClosesAt = rollingDates(now)
	if err := s.UpdateCall(ctx, actor, &moved); err != nil {
		return fmt.Errorf("reopen call %q: %w", c.TitleSV, err)
	}
	*c = moved
	return nil
}

// application finds or starts the application spec describes and takes it,
// step by step, to its planned state. An application found off the planned
// path (moved by someone in the demo) is left as it is.
func (l *loader) application(ctx context.Context, c *call.Call, reviewerID int64, spec applicationSpec) error {
	p, org := l.partnerships[spec.partnership], l.swedish[spec.swedish]
	if p == nil || org == nil {
		return fmt.Errorf("unknown partnership %q or organisation %q", spec.partnership, spec.swedish)
	}
	list, err := l.s.ApplicationList(ctx, application.Filter{CallID: c.ID, PartnershipID: p.ID, OrganisationID: org.ID})
	if err != nil {
		return err
	}
	var a *application.Application
	for _, existing := range list {
		if existing.Title() == spec.title() {
			a = existing
			break
		}
	}
	if a == nil {
		a = &application.Application{CallID: c.ID, PartnershipID: p.ID, OrganisationID: org.ID, Answers: spec.answers}
		if err := l.s.CreateApplication(ctx, actor, a); err != nil {
			return err
		}
	}
	path := spec.path()
	for {
		i := slices.Index(path, a.State)
		if i < 0 || i == len(path)-1 {
			break
		}
		if err := l.step(ctx, a, path[i+1], spec, reviewerID); err != nil {
			return fmt.Errorf("%s → %s: %w", a.State, path[i+1], err)
		}
		from := a.State
		if a, err = l.s.Application(ctx, a.ID); err != nil {
			return err
		}
		if a.State == from {
			return fmt.Errorf("still %s after the step to %s", from, path[i+1])
		}
	}
	if a.State == application.InReview && spec.state == application.InReview {
		// Waiting for the demo reviewer, who has yet to declare and score.
		return l.assign(ctx, a.ID, reviewerID)
	}
	return nil
}

// step moves a one state along its path, to next.
func (l *loader) step(ctx context.Context, a *application.Application, next application.State, spec applicationSpec, reviewerID int64) error {
	note := ""
	if next == spec.state {
		note = spec.note
	}
	// The officer's steps are taken in the demo officer's name, so the
	// timeline and the decision letters read as they would in real use.
	off := actor
	if u, err := l.s.UserByEmail(ctx, "handlaggare@demo.partnerskap.se"); err == nil {
		off = audit.Actor{UserID: u.ID, Name: u.Name}
	}
	switch next {
	case application.Submitted:
		_, err := l.s.SubmitApplication(ctx, actor, a.ID, a.Version, nil)
		return err
	case application.FormalCheck:
		return l.s.Transition(ctx, off, a.ID, application.StartCheck, note, nil)
	case application.CompletionRequested:
		return l.s.Transition(ctx, off, a.ID, application.RequestCompletion, note, nil)
	case application.InReview:
		return l.s.Transition(ctx, off, a.ID, application.PassCheck, note, nil)
	case application.Withdrawn:
		return l.s.Transition(ctx, actor, a.ID, application.Withdraw, note, nil)
	case application.Ready:
		if err := l.review(ctx, a.ID, reviewerID, spec.review); err != nil {
			return err
		}
		return l.s.Transition(ctx, off, a.ID, application.MarkReady, note, nil)
	case application.Granted, application.PartlyGranted, application.Rejected:
		if spec.decision == nil {
			return errors.New("no decision planned")
		}
		d := *spec.decision
		d.ApplicationID = a.ID
		if d.Outcome == decision.Granted {
			d.Amount = a.Requested
		}
		return l.s.Decide(ctx, off, &d, nil)
	}
	return fmt.Errorf("no step leads to %s", next)
}

// assign gives the application to the reviewer unless it already is.
func (l *loader) assign(ctx context.Context, applicationID, reviewerID int64) error {
	_, err := l.s.Assignment(ctx, applicationID, reviewerID)
	if errors.Is(err, store.ErrNotFound) {
		return l.s.AssignReviewer(ctx, actor, applicationID, reviewerID)
	}
	return err
}

// review has the demo reviewer assigned, declare no conflict and submit
// the planned review, skipping what is already done.
func (l *loader) review(ctx context.Context, applicationID, reviewerID int64, planned *review.Review) error {
	if planned == nil {
		return errors.New("no review planned")
	}
	if err := l.assign(ctx, applicationID, reviewerID); err != nil {
		return err
	}
	asg, err := l.s.Assignment(ctx, applicationID, reviewerID)
	if err != nil {
		return err
	}
	if !asg.Declared {
		if err := l.s.DeclareConflict(ctx, actor, applicationID, reviewerID, false, ""); err != nil {
			return err
		}
	}
	reviews, err := l.s.Reviews(ctx, applicationID)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(reviews, func(r review.Review) bool { return r.ReviewerID == reviewerID && r.Submitted() }) {
		return nil
	}
	r := *planned
	r.ApplicationID, r.ReviewerID = applicationID, reviewerID
	return l.s.SaveReview(ctx, actor, &r, true)
}
