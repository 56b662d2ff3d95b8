package web

// TableRoute is a route of the table, for tests outside the package.
type TableRoute struct {
	Name, Method, SV, EN string
	Staff                bool
}

// TableRoutes lists every route of the table, read from s.table() itself,
// so a route added later is tested without a test being changed.
func TableRoutes() []TableRoute {
	s := &Server{}
	var out []TableRoute
	for _, rt := range s.table() {
		out = append(out, TableRoute{Name: rt.name, Method: rt.method, SV: rt.sv, EN: rt.en, Staff: rt.kind == staff})
	}
	return out
}
