package web

import (
	"net/http"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/user"
)

// actor is who the signed-in user is, for the audit log.
func actor(u *user.User) audit.Actor { return audit.Actor{UserID: u.ID, Name: u.Name} }

// require returns errForbidden unless the policy allows the action.
func require(b *Base, a policy.Action, programmeID int64) error {
	if !policy.Can(b.User, a, programmeID) {
		return errForbidden
	}
	return nil
}

type callSummary struct {
	Call    *call.Call
	Status  call.Status
	Granted int64
}

type staffProgramme struct {
	programmeSummary
	Calls []callSummary
}

type staffHomePage struct {
	*Base
	Programmes []staffProgramme
	CanStaff   bool
}

// staffHome is the workspace start: the programmes and their calls with
// status and money granted. Users without a staff role see what they can
// do so far.
func (s *Server) staffHome(w http.ResponseWriter, r *http.Request, b *Base) error {
	page := staffHomePage{Base: b, CanStaff: policy.Can(b.User, policy.ViewStaffArea, 0)}
	b.Title = b.T("staff.title")
	if page.CanStaff {
		progs, err := s.store.ProgrammeList(r.Context())
		if err != nil {
			return err
		}
		now := s.clock.Now()
		for _, p := range progs {
			calls, err := s.store.CallList(r.Context(), p.ID)
			if err != nil {
				return err
			}
			sp := staffProgramme{programmeSummary: programmeSummary{Programme: p, Calls: len(calls)}}
			for _, c := range calls {
				g, err := s.store.GrantedInCall(r.Context(), c.ID)
				if err != nil {
					return err
				}
				sp.Calls = append(sp.Calls, callSummary{Call: c, Status: c.Status(now), Granted: g})
				sp.Granted += g
			}
			page.Programmes = append(page.Programmes, sp)
		}
	}
	return s.render(w, b, http.StatusOK, "staff", page)
}

type auditPage struct {
	*Base
	Entries []audit.Entry
}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ViewAuditLog, 0); err != nil {
		return err
	}
	entries, err := s.store.AuditLog(r.Context(), audit.Filter{Limit: 200})
	if err != nil {
		return err
	}
	b.Title = b.T("audit.title")
	return s.render(w, b, http.StatusOK, "audit", auditPage{Base: b, Entries: entries})
}
