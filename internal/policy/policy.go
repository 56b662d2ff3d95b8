// Package policy is the one place that decides who may do what. Handlers ask
// it before they act; later capabilities add their actions here.
package policy

import (
	"github.com/icld/partnerskap/internal/user"
)

// Action is something a user may be allowed to do.
type Action int

const (
	ViewStaffArea       Action = iota // the staff workspace
	ManageOrganisations               // create and edit organisations
	ManagePartnerships                // create and edit partnerships
	CreateProgramme                   // create a new programme
	ManageProgramme                   // edit a programme and its calls and grants
	ManageUsers                       // create users and assign roles
	ViewAuditLog                      // read the audit log
	ViewRegistry                      // list and search the registry, mark records confidential
	Apply                             // write applications for one's organisation
	Review                            // review applications assigned to one
	ExportAuditLog                    // download the whole audit log (administrators only)
)

// Can reports whether u may perform a. programmeID scopes ManageProgramme;
// it is ignored otherwise. A nil user (not signed in) may do none of these.
func Can(u *user.User, a Action, programmeID int64) bool {
	if u == nil || u.Disabled {
		return false
	}
	if u.Has(user.Administrator) {
		return true
	}
	switch a {
	case ViewStaffArea, ManageOrganisations, ManagePartnerships, ViewAuditLog, ViewRegistry:
		return u.Has(user.Officer)
	case Apply:
		return u.Has(user.Applicant)
	case Review:
		return u.Has(user.Reviewer)
	case CreateProgramme:
		return officerFor(u, 0)
	case ManageProgramme:
		return officerFor(u, programmeID)
	}
	return false
}

// officerFor reports whether u is an officer for programme id: an officer
// role with ProgrammeID 0 covers every programme (and may create new ones).
func officerFor(u *user.User, id int64) bool {
	for _, r := range u.Roles {
		if r.Kind == user.Officer && (r.ProgrammeID == 0 || (id != 0 && r.ProgrammeID == id)) {
			return true
		}
	}
	return false
}

// ApplicantFor reports whether u may write and read the applications of
// organisation orgID: an applicant role scoped to it. Administrators are
// not applicants; officers read applications through their programme.
func ApplicantFor(u *user.User, orgID int64) bool {
	if u == nil || u.Disabled {
		return false
	}
	for _, r := range u.Roles {
		if r.Kind == user.Applicant && r.OrganisationID == orgID {
			return true
		}
	}
	return false
}

// ApplicantOrganisations returns the organisations u applies for.
func ApplicantOrganisations(u *user.User) []int64 {
	var out []int64
	if u == nil || u.Disabled {
		return nil
	}
	for _, r := range u.Roles {
		if r.Kind == user.Applicant {
			out = append(out, r.OrganisationID)
		}
	}
	return out
}
