package policy

import (
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/user"
)

// MaterialPublisherFor reports whether u may publish material in the
// material bank for partnership p, and edit and withdraw what was
// published for it: the contact people of its members, an applicant role
// for one of its Swedish organisations or a partner role for one of its
// partners abroad. Officers and administrators moderate the bank
// (MaterialModerator) but do not publish in a partnership's name.
func MaterialPublisherFor(u *user.User, p *partnership.Partnership) bool {
	if u == nil || u.Disabled || p == nil {
		return false
	}
	for _, r := range u.Roles {
		switch {
		case r.Kind == user.Applicant && p.HasSwedishMember(r.OrganisationID):
			return true
		case r.Kind == user.PartnerRole && isPartnerOf(p, r.OrganisationID):
			return true
		}
	}
	return false
}

func isPartnerOf(p *partnership.Partnership, orgID int64) bool {
	for _, o := range p.Partners {
		if o.ID == orgID {
			return true
		}
	}
	return false
}

// MaterialPublisher reports whether u publishes material for any
// partnership at all (holds an applicant or a partner role), so the
// workspace can offer the publisher's pages.
func MaterialPublisher(u *user.User) bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.Has(user.Applicant) || u.Has(user.PartnerRole)
}

// MaterialModerator reports whether u may take any item in the material
// bank down (with a reason) and put it back up: officers and
// administrators.
func MaterialModerator(u *user.User) bool {
	return Can(u, ManagePartnerships, 0)
}
