package policy

import "github.com/icld/partnerskap/internal/user"

// Who adds whom. Administrators invite staff of every kind; the officers
// of a programme choose and invite the reviewers of its calls; an
// organisation's own people see who else speaks for it and, as far as its
// setting allows (user.CheckInvite, user.CheckRemoveMember), invite and
// remove colleagues. Nobody else sees an organisation's people: to them
// the page does not exist.

// InviteStaff reports whether u may invite administrators, officers and
// reviewers, see the pending staff invitations and withdraw them, and set
// whether an organisation's people may invite and remove colleagues:
// administrators.
func InviteStaff(u *user.User) bool { return Can(u, ManageUsers, 0) }

// ChooseReviewers reports whether u may choose, invite and remove the
// reviewers of a call of programme programmeID: its officers and the
// administrators.
func ChooseReviewers(u *user.User, programmeID int64) bool {
	return Can(u, ManageProgramme, programmeID)
}

// SeesMembers reports whether u may see who speaks for organisation orgID
// (and, as its setting allows, invite and remove them): an active
// account holding an applicant or partner role for it.
func SeesMembers(u *user.User, orgID int64) bool { return u.MemberOf(orgID) }
