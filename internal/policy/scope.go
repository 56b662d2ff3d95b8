package policy

import (
	"slices"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/user"
)

// The staff workspace holds two kinds of records. Those of a programme —
// the programme itself, its calls, their applications and attachments,
// the grants with their ledgers, change requests, activities, surveys and
// reports, and the registry entries of its applications — are for the
// officers of that programme. Those tied to no programme —
// organisations, partnerships, users and invitations, stories, material,
// settings — are every officer's. An officer role with ProgrammeID 0 and
// an administrator cover every programme.

// NoProgramme is the programme of a record tied to no programme.
const NoProgramme int64 = 0

// UnknownProgramme stands for a programme that cannot be told: a record
// that is gone (a deleted attachment), or one of a kind the system does
// not know. Only those who see every programme see it.
const UnknownProgramme int64 = -1

// Scope is the programmes whose records a user sees, as a filter for
// lists (the store applies it in its queries, so a page of 200 holds 200
// of the user's rows). Besides them, a scoped user sees the records tied
// to no programme. The zero Scope sees every programme: build one with
// ProgrammeScope.
type Scope struct {
	limited    bool
	programmes []int64
}

// Every is the scope of every programme.
func Every() Scope { return Scope{} }

// Only is the scope of the programmes ids (none at all when empty).
func Only(ids ...int64) Scope { return Scope{limited: true, programmes: slices.Clone(ids)} }

// All reports whether s covers every programme.
func (s Scope) All() bool { return !s.limited }

// Programmes lists the programmes of a limited scope (nil for Every).
func (s Scope) Programmes() []int64 { return slices.Clone(s.programmes) }

// Includes reports whether a record of programme id is in s: every record
// for Every; otherwise one of s's programmes or one tied to no programme.
// An UnknownProgramme is only in Every.
func (s Scope) Includes(id int64) bool {
	if !s.limited {
		return true
	}
	return id == NoProgramme || (id > 0 && slices.Contains(s.programmes, id))
}

// ProgrammeScope returns the programmes whose records u sees in the staff
// workspace: every programme for an administrator and for an officer role
// with ProgrammeID 0; the programmes of u's officer roles otherwise (none
// for a user who is no officer, who sees no staff records at all:
// SeesProgramme).
func ProgrammeScope(u *user.User) Scope {
	if u == nil || u.Disabled {
		return Only()
	}
	if u.Has(user.Administrator) {
		return Every()
	}
	var ids []int64
	for _, r := range u.Roles {
		if r.Kind != user.Officer {
			continue
		}
		if r.ProgrammeID == 0 {
			return Every()
		}
		ids = append(ids, r.ProgrammeID)
	}
	return Only(ids...)
}

// SeesProgramme reports whether u may see, in the staff workspace, a
// record of programme id (NoProgramme for a record tied to none,
// UnknownProgramme for one whose programme can't be told): u must be
// allowed into the staff area, and id must be in u's ProgrammeScope.
func SeesProgramme(u *user.User, id int64) bool {
	return Can(u, ViewStaffArea, 0) && ProgrammeScope(u).Includes(id)
}

// ReviewerSeesApplicant reports whether the reviewers of an application in
// a call with these steps may learn who applied: the organisation, the
// partnership and its members, and anything that names them (the
// decision letter). Not under blind review. The applicants and the
// programme's officers always know.
func ReviewerSeesApplicant(steps application.Steps) bool {
	return !steps.BlindReview
}
