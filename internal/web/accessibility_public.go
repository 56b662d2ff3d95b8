package web

import "net/http"

// accessibilityStatement is the accessibility statement
// (tillgänglighetsredogörelse) that the Swedish law on accessible digital
// public services asks for, in the structure DIGG's model follows: who
// publishes it, for which service, how far the site complies and what it
// does not yet do, how it was tested and when, how to give feedback, and
// where to complain.
func (s *Server) accessibilityStatement(w http.ResponseWriter, r *http.Request, b *Base) error {
	b.Title = b.T("accessibility.title")
	return s.render(w, b, http.StatusOK, "accessibility", b)
}
