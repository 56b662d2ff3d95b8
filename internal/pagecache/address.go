package pagecache

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Page is what Wrap needs to know of a page besides its handler.
type Page struct {
	// Query names the query parameters the page reads. The rest are
	// dropped before the page is looked up, kept or rendered: the handler
	// sees only these, so a page is one address however many parameters
	// a visitor (or a script) adds, and a parameter left out here is one
	// the page never sees (a test of its filter shows it at once). Empty:
	// the page reads none.
	Query []string
	// Bypass, if not nil, sends the requests it picks straight to the
	// handler (still with only the page's parameters), for a page that is
	// the same for most visitors but not all.
	Bypass func(r *http.Request) bool
}

// names is a page's parameter names, sorted and without repeats: the
// order of the canonical query.
func (p Page) names() []string {
	names := slices.Clone(p.Query)
	slices.Sort(names)
	return slices.Compact(names)
}

// canonical returns r with only the query parameters in names, in their
// order, each with its first value (what url.Values.Get gives a handler)
// and without empty ones (an empty filter field selects nothing). r
// itself when its query is that already.
func canonical(r *http.Request, names []string) *http.Request {
	if r.URL.RawQuery == "" {
		return r
	}
	q := canonicalQuery(r.URL.Query(), names)
	if q == r.URL.RawQuery {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.RawQuery = q
	u.ForceQuery = false
	r2.URL = &u
	return r2
}

func canonicalQuery(in url.Values, names []string) string {
	var b strings.Builder
	for _, name := range names {
		v := in[name]
		if len(v) == 0 || v[0] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v[0]))
	}
	return b.String()
}

// canonicalPath spells an escaped path one way: each segment unescaped
// and escaped again, so "/st%61tistik" is "/statistik" (the router gives
// both to the same page) while "/mal/12%2Fx" stays apart from "/mal/12/x"
// (it may reach another route).
func canonicalPath(escaped string) string {
	if plainPath(escaped) {
		return escaped
	}
	segs := strings.Split(escaped, "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return escaped // not from url.URL.EscapedPath, which is always valid
		}
		segs[i] = url.PathEscape(u)
	}
	return strings.Join(segs, "/")
}

// plainPath reports whether p has only characters that are never
// escaped, so it is its own canonical form.
func plainPath(p string) bool {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '/', c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}
