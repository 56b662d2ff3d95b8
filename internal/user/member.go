package user

import "github.com/icld/partnerskap/internal/validate"

// An organisation's people — those holding an applicant role for a
// Swedish organisation, or a partner role for one abroad — see who else
// speaks for it, invite colleagues and remove them, as far as the
// administrators allow: each organisation has a setting, on by default,
// that lets its people invite and remove colleagues. Removing takes the
// person's role for that organisation away, not their account nor their
// roles elsewhere, and the organisation always keeps one person.

var (
	// ErrMembersClosed refuses an organisation's people inviting or
	// removing colleagues when its administrators have turned that off.
	ErrMembersClosed = validate.NewField("form", "error.members.closed")
	// ErrLastMember refuses removing the last person who speaks for an
	// organisation: nobody would be left to apply or report for it.
	ErrLastMember = validate.NewField("form", "error.members.last")
)

// MemberOf reports whether u speaks for organisation orgID: holds an
// applicant or a partner role for it. A deactivated or nil user speaks
// for none.
func (u *User) MemberOf(orgID int64) bool {
	return u != nil && !u.Disabled && orgID != 0 && holdsOrganisation(u, orgID)
}

// Organisations returns the organisations u speaks for, in the order of
// u's roles, each once.
func (u *User) Organisations() []int64 {
	if u == nil || u.Disabled {
		return nil
	}
	var out []int64
	seen := map[int64]bool{}
	for _, r := range u.Roles {
		if (r.Kind == Applicant || r.Kind == PartnerRole) && r.OrganisationID != 0 && !seen[r.OrganisationID] {
			seen[r.OrganisationID] = true
			out = append(out, r.OrganisationID)
		}
	}
	return out
}

// LeaveOrganisation takes away u's applicant and partner roles for
// organisation orgID, and reports whether u held one.
func (u *User) LeaveOrganisation(orgID int64) bool {
	kept := u.Roles[:0:0]
	for _, r := range u.Roles {
		if (r.Kind == Applicant || r.Kind == PartnerRole) && r.OrganisationID == orgID {
			continue
		}
		kept = append(kept, r)
	}
	left := len(kept) != len(u.Roles)
	u.Roles = kept
	return left
}

// CheckRemoveMember decides whether target may be removed from
// organisation orgID: membersManage is the organisation's setting and
// active how many active accounts speak for it. Only someone who holds a
// role for it can be removed (ErrNotMember), and never its last active
// person (ErrLastMember); a deactivated one can always be.
func CheckRemoveMember(target *User, orgID int64, active int, membersManage bool) error {
	if !membersManage {
		return ErrMembersClosed
	}
	if !holdsOrganisation(target, orgID) {
		return ErrNotMember
	}
	if !target.Disabled && active <= 1 {
		return ErrLastMember
	}
	return nil
}

// ErrNotMember refuses removing someone who does not speak for the
// organisation.
var ErrNotMember = validate.NewField("form", "error.members.not_member")

func holdsOrganisation(u *User, orgID int64) bool {
	if u == nil {
		return false
	}
	for _, r := range u.Roles {
		if (r.Kind == Applicant || r.Kind == PartnerRole) && r.OrganisationID == orgID {
			return true
		}
	}
	return false
}
