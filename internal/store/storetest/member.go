package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// hasAudit reports whether the log of entity id holds action.
func hasAudit(t *testing.T, s store.Store, entity string, id int64, action string) bool {
	t.Helper()
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: entity, EntityID: id})
	must(t, err)
	for _, e := range entries {
		if e.Action == action {
			return true
		}
	}
	return false
}

// testStaffInvites: staff invitations through the one invitation — an
// officer scoped to a programme, a reviewer of a call — accepted by a new
// address and by an existing reviewer signed in; never to an account that
// speaks for an organisation; withdrawn and listed while pending.
func testStaffInvites(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	admin := &user.User{Email: "admin@icld.se", Name: "Alva Admin", Roles: []user.Role{{Kind: user.Administrator}}}
	must(t, s.CreateUser(ctx(), officer, admin))
	by := audit.Actor{UserID: admin.ID, Name: admin.Name}
	off := &user.Invite{TokenHash: []byte("staff-1"), Email: "Ny.Handlaggare@ICLD.se", Name: " Nils Ny ", Role: user.Officer, ProgrammeID: f.prog.ID, InvitedBy: admin.ID}
	must(t, s.CreateInvite(ctx(), by, off, nil))
	// Its scope must exist and fit the role.
	wantField(t, s.CreateInvite(ctx(), by, &user.Invite{TokenHash: []byte("staff-x"), Email: "x@icld.se", Role: user.Officer, ProgrammeID: 99999, InvitedBy: admin.ID}, nil), "role", "error.invalid_choice")
	wantField(t, s.CreateInvite(ctx(), by, &user.Invite{TokenHash: []byte("staff-y"), Email: "y@icld.se", Role: user.Reviewer, CallID: 99999, InvitedBy: admin.ID}, nil), "role", "error.invalid_choice")
	wantField(t, s.CreateInvite(ctx(), by, &user.Invite{TokenHash: []byte("staff-z"), Email: "z@icld.se", Role: user.Officer, OrganisationID: f.kalix.ID, InvitedBy: admin.ID}, nil), "role", "error.invalid_choice")
	pending, err := s.PendingInvites(ctx(), store.InviteFilter{Staff: true})
	must(t, err)
	if len(pending) != 1 || pending[0].Email != "ny.handlaggare@icld.se" || pending[0].Name != "Nils Ny" || pending[0].ProgrammeID != f.prog.ID || pending[0].OrganisationID != 0 {
		t.Fatalf("pending staff invitations: %+v", pending)
	}
	u := &user.User{Name: "Nils Ny", PasswordHash: "$argon2id$n"}
	must(t, s.AcceptInvite(ctx(), []byte("staff-1"), 0, u, Start.Add(time.Hour)))
	got, err := s.UserByEmail(ctx(), "ny.handlaggare@icld.se")
	must(t, err)
	if len(got.Roles) != 1 || got.Roles[0] != (user.Role{Kind: user.Officer, ProgrammeID: f.prog.ID}) {
		t.Errorf("the invited officer's roles: %+v", got.Roles)
	}
	if pending, _ = s.PendingInvites(ctx(), store.InviteFilter{Staff: true}); len(pending) != 0 {
		t.Errorf("an accepted invitation still pending: %+v", pending)
	}

	// A reviewer of a call: an existing reviewer accepts only signed in,
	// and joins the call's reviewers.
	rita := &user.User{Email: "rita@example.se", Name: "Rita Granskare", Roles: []user.Role{{Kind: user.Reviewer}}}
	must(t, s.CreateUser(ctx(), officer, rita))
	rv := &user.Invite{TokenHash: []byte("staff-2"), Email: "rita@example.se", Role: user.Reviewer, CallID: f.call.ID, InvitedBy: got.ID}
	must(t, s.CreateInvite(ctx(), by, rv, nil))
	if list, _ := s.PendingInvites(ctx(), store.InviteFilter{CallID: f.call.ID}); len(list) != 1 || list[0].ID != rv.ID {
		t.Errorf("pending invitations of the call: %+v", list)
	}
	wantErrIs(t, s.AcceptInvite(ctx(), []byte("staff-2"), 0, &user.User{Name: "Inkräktare"}, Start.Add(time.Hour)), user.ErrInviteSignIn)
	must(t, s.AcceptInvite(ctx(), []byte("staff-2"), rita.ID, &user.User{}, Start.Add(time.Hour)))
	members, err := s.CallReviewers(ctx(), f.call.ID)
	must(t, err)
	if len(members) != 1 || members[0].ID != rita.ID {
		t.Errorf("the call's reviewers after accepting: %+v", members)
	}
	again, _ := s.User(ctx(), rita.ID)
	if len(again.Roles) != 1 {
		t.Errorf("an accepted reviewer invitation doubled the role: %+v", again.Roles)
	}

	// Never to an account that speaks for an organisation, when sent or
	// when accepted.
	sam := &user.User{Email: "sam@kalix.se", Name: "Sam Sökande", Roles: []user.Role{{Kind: user.Applicant, OrganisationID: f.kalix.ID}}}
	must(t, s.CreateUser(ctx(), officer, sam))
	wantField(t, s.CreateInvite(ctx(), by, &user.Invite{TokenHash: []byte("staff-3"), Email: "sam@kalix.se", Role: user.Reviewer, InvitedBy: admin.ID}, nil), "email", "error.invite.member")
	late := &user.Invite{TokenHash: []byte("staff-4"), Email: "blir.sokande@kalix.se", Role: user.Administrator, InvitedBy: admin.ID}
	must(t, s.CreateInvite(ctx(), by, late, nil))
	must(t, s.CreateUser(ctx(), officer, &user.User{Email: "blir.sokande@kalix.se", Name: "Blir Sökande", Roles: []user.Role{{Kind: user.Applicant, OrganisationID: f.kalix.ID}}}))
	becomes, _ := s.UserByEmail(ctx(), "blir.sokande@kalix.se")
	wantErrIs(t, s.AcceptInvite(ctx(), []byte("staff-4"), becomes.ID, &user.User{}, Start.Add(time.Hour)), user.ErrInviteMember)
	if after, _ := s.User(ctx(), becomes.ID); after.Has(user.Administrator) {
		t.Error("an applicant became an administrator through an invitation")
	}

	// Withdrawn: no longer pending, never accepted, audited; twice is not found.
	wd := &user.Invite{TokenHash: []byte("staff-5"), Email: "angrad@icld.se", Role: user.Reviewer, InvitedBy: admin.ID}
	must(t, s.CreateInvite(ctx(), by, wd, nil))
	must(t, s.WithdrawInvite(ctx(), by, wd.ID))
	wantErrIs(t, s.WithdrawInvite(ctx(), by, wd.ID), store.ErrNotFound)
	wantErrIs(t, s.AcceptInvite(ctx(), []byte("staff-5"), 0, &user.User{Name: "Ångrad"}, Start.Add(time.Hour)), store.ErrNotFound)
	if _, err := s.UserByEmail(ctx(), "angrad@icld.se"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a withdrawn invitation created an account: %v", err)
	}
	back, err := s.Invite(ctx(), wd.ID)
	must(t, err)
	if back.WithdrawnAt.IsZero() || !hasAudit(t, s, "invite", wd.ID, "withdraw") {
		t.Errorf("withdrawn: %+v", back)
	}
	// Staff invitations count towards the sender's hourly limit.
	clk.Set(Start)
	for i := 0; ; i++ {
		err := s.CreateInvite(ctx(), by, &user.Invite{TokenHash: fmt.Appendf(nil, "rate-%d", i), Email: fmt.Sprintf("r%d@icld.se", i), Role: user.Reviewer, InvitedBy: admin.ID}, nil)
		if err != nil {
			wantErrIs(t, err, user.ErrTooManyInvites)
			break
		}
		if i > user.InvitesPerHour {
			t.Fatal("no limit")
		}
	}
}

// testMembers: an organisation's people, removed one role at a time,
// never the last; the administrators' setting.
func testMembers(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	mk := func(email, name string, roles ...user.Role) *user.User {
		u := &user.User{Email: email, Name: name, Roles: roles}
		must(t, s.CreateUser(ctx(), officer, u))
		return u
	}
	kalix := user.Role{Kind: user.Applicant, OrganisationID: f.kalix.ID}
	arvika := user.Role{Kind: user.Applicant, OrganisationID: f.arvika.ID}
	anna := mk("anna@kalix.se", "Örjan Kalix", kalix)
	bo := mk("bo@kalix.se", "Bo Kalix", kalix, arvika)
	mk("arvid@arvika.se", "Arvid Arvika", arvika)
	mk("partner@masaka.ug", "Mary Masaka", user.Role{Kind: user.PartnerRole, OrganisationID: f.masaka.ID})
	members, err := s.OrganisationMembers(ctx(), f.kalix.ID)
	must(t, err)
	if len(members) != 2 || members[0].ID != bo.ID || members[1].ID != anna.ID {
		t.Fatalf("Kalix's people: %+v", members)
	}
	if on, err := s.MembersManage(ctx(), f.kalix.ID); err != nil || !on {
		t.Errorf("the setting is on by default: %v, %v", on, err)
	}
	// Removing takes the Kalix role only; the account and its Arvika role stay.
	must(t, s.RemoveMember(ctx(), audit.Actor{UserID: anna.ID, Name: anna.Name}, f.kalix.ID, bo.ID))
	after, err := s.User(ctx(), bo.ID)
	must(t, err)
	if len(after.Roles) != 1 || after.Roles[0] != arvika || after.Disabled {
		t.Errorf("after removal from Kalix: %+v", after)
	}
	if !hasAudit(t, s, "user", bo.ID, "remove-member") {
		t.Error("the removal is not in the log")
	}
	// The last one stays; someone of another organisation is not found.
	wantErrIs(t, s.RemoveMember(ctx(), officer, f.kalix.ID, anna.ID), user.ErrLastMember)
	wantErrIs(t, s.RemoveMember(ctx(), officer, f.kalix.ID, bo.ID), store.ErrNotFound)
	wantErrIs(t, s.RemoveMember(ctx(), officer, 99999, anna.ID), store.ErrNotFound)
	// Turned off, neither removals nor the people's invitations pass.
	must(t, s.SetMembersManage(ctx(), officer, f.arvika.ID, false))
	if on, _ := s.MembersManage(ctx(), f.arvika.ID); on {
		t.Error("the setting did not turn off")
	}
	if !hasAudit(t, s, "organisation", f.arvika.ID, "set-members-manage") {
		t.Error("the setting is not in the log")
	}
	wantErrIs(t, s.RemoveMember(ctx(), officer, f.arvika.ID, bo.ID), user.ErrMembersClosed)
	wantErrIs(t, s.CreateInvite(ctx(), officer, &user.Invite{TokenHash: []byte("closed"), Email: "ny@arvika.se", OrganisationID: f.arvika.ID, Role: user.Applicant}, nil), user.ErrMembersClosed)
	wantErrIs(t, s.SetMembersManage(ctx(), officer, 99999, false), store.ErrNotFound)
	// Two people removing each other at once leave one of them.
	must(t, s.SetMembersManage(ctx(), officer, f.arvika.ID, true))
	arvid, _ := s.UserByEmail(ctx(), "arvid@arvika.se")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, pair := range [][2]int64{{bo.ID, arvid.ID}, {arvid.ID, bo.ID}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.RemoveMember(ctx(), audit.Actor{UserID: pair[0]}, f.arvika.ID, pair[1])
		}()
	}
	wg.Wait()
	left, err := s.OrganisationMembers(ctx(), f.arvika.ID)
	must(t, err)
	if len(left) != 1 || (errs[0] == nil) == (errs[1] == nil) {
		t.Errorf("after removing each other: %d left, errors %v", len(left), errs)
	}
}

// testCallReviewers: a call's reviewers, added and removed, never one who
// has submitted a review in it.
func testCallReviewers(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	mk := func(email, name string, roles ...user.Role) *user.User {
		u := &user.User{Email: email, Name: name, Roles: roles}
		must(t, s.CreateUser(ctx(), officer, u))
		return u
	}
	rita := mk("rita@example.se", "Rita Granskare", user.Role{Kind: user.Reviewer})
	jon := mk("jon@example.se", "Jon Granskare", user.Role{Kind: user.Reviewer})
	sam := mk("sam@example.se", "Sam Sökande", user.Role{Kind: user.Applicant, OrganisationID: e.kalix.ID})
	off := mk("off@example.se", "Otto Av", user.Role{Kind: user.Reviewer})
	must(t, s.SetUserDisabled(ctx(), officer, off.ID, true))
	must(t, s.AddCallReviewer(ctx(), officer, e.call.ID, rita.ID))
	must(t, s.AddCallReviewer(ctx(), officer, e.call.ID, rita.ID)) // again: no change
	must(t, s.AddCallReviewer(ctx(), officer, e.call.ID, jon.ID))
	wantErrIs(t, s.AddCallReviewer(ctx(), officer, e.call.ID, sam.ID), call.ErrNotReviewer)
	wantErrIs(t, s.AddCallReviewer(ctx(), officer, e.call.ID, off.ID), call.ErrNotReviewer)
	wantErrIs(t, s.AddCallReviewer(ctx(), officer, e.call.ID, 99999), store.ErrNotFound)
	wantErrIs(t, s.AddCallReviewer(ctx(), officer, 99999, rita.ID), store.ErrNotFound)
	got, err := s.CallReviewers(ctx(), e.call.ID)
	must(t, err)
	if len(got) != 2 || got[0].ID != jon.ID || got[1].ID != rita.ID {
		t.Fatalf("the call's reviewers: %+v", got)
	}
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "call", EntityID: e.call.ID})
	must(t, err)
	adds := 0
	for _, en := range entries {
		if en.Action == "add-reviewer" {
			adds++
		}
	}
	if adds != 2 {
		t.Errorf("%d add-reviewer entries, want 2", adds)
	}
	// Rita submits a review in the call: she stays; Jon, assigned without
	// a review, can go.
	a := e.create(e.call, e.answers("Granskas", "10 000"))
	e.submit(a)
	e.move(a, application.StartCheck, application.PassCheck)
	must(t, s.AssignReviewer(ctx(), officer, a.ID, rita.ID))
	must(t, s.AssignReviewer(ctx(), officer, a.ID, jon.ID))
	as := audit.Actor{UserID: rita.ID, Name: rita.Name}
	must(t, s.DeclareConflict(ctx(), as, a.ID, rita.ID, false, ""))
	r := &review.Review{ApplicationID: a.ID, ReviewerID: rita.ID, Scores: map[string]int{"relevance": 4, "feasibility": 3},
		Comments: map[string]string{"relevance": "Bra.", "feasibility": "Rimligt."}, Recommendation: review.RecommendGrant}
	must(t, s.SaveReview(ctx(), as, r, false))
	must(t, s.RemoveCallReviewer(ctx(), officer, e.call.ID, rita.ID)) // a draft does not hold her
	must(t, s.AddCallReviewer(ctx(), officer, e.call.ID, rita.ID))
	must(t, s.SaveReview(ctx(), as, r, true))
	wantErrIs(t, s.RemoveCallReviewer(ctx(), officer, e.call.ID, rita.ID), call.ErrReviewerHasReviews)
	must(t, s.RemoveCallReviewer(ctx(), officer, e.call.ID, jon.ID))
	wantErrIs(t, s.RemoveCallReviewer(ctx(), officer, e.call.ID, jon.ID), store.ErrNotFound)
	if got, _ = s.CallReviewers(ctx(), e.call.ID); len(got) != 1 || got[0].ID != rita.ID {
		t.Errorf("after removals: %+v", got)
	}
	if !hasAudit(t, s, "call", e.call.ID, "remove-reviewer") {
		t.Error("the removal is not in the log")
	}
}
