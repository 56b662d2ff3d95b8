package policy

import (
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/user"
)

// StoryWriterFor reports whether u may write, publish and unpublish the
// stories of partnership p: an applicant for one of its Swedish members
// (the grantee's contact people) or a partner contact of one of its
// members abroad. Officers and administrators are not authors: they
// moderate (ModerateStories).
func StoryWriterFor(u *user.User, p *partnership.Partnership) bool {
	if u == nil || u.Disabled || p == nil {
		return false
	}
	for _, r := range u.Roles {
		switch r.Kind {
		case user.Applicant:
			if p.HasSwedishMember(r.OrganisationID) {
				return true
			}
		case user.PartnerRole:
			for _, o := range p.Partners {
				if o.ID == r.OrganisationID {
					return true
				}
			}
		}
	}
	return false
}

// ModerateStories reports whether u may hide and unhide stories. A story
// belongs to a partnership, not to a programme, and what is published
// under the site's name concerns every programme, so any officer (and an
// administrator) may moderate, whichever programme they run.
func ModerateStories(u *user.User) bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.Has(user.Administrator) || u.Has(user.Officer)
}
