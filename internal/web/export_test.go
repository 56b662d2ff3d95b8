package web

// Registered lists every pattern the router registered, as name and
// pattern (METHOD /path, or /path for any method), in the order routes
// registered them: each table route's Swedish then English pattern, then
// what routes registers outside the table. For the route × role test.
func (s *Server) Registered() [][2]string {
	out := make([][2]string, len(s.patterns))
	for i, r := range s.patterns {
		out[i] = [2]string{r.name, r.pattern}
	}
	return out
}
