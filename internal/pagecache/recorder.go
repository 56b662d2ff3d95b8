package pagecache

import (
	"bytes"
	"net/http"
	"strings"
)

// recorder keeps what a handler writes, so it can be kept and served.
// Its header starts as a copy of the response's (what the middleware set),
// so what the handler changes or removes can be told apart.
type recorder struct {
	before http.Header
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder(h http.Header) *recorder {
	return &recorder{before: h.Clone(), header: h.Clone()}
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// changes returns the headers the handler set or changed, and the names
// of those it removed.
func (r *recorder) changes() (set http.Header, removed []string) {
	set = http.Header{}
	for k, v := range r.header {
		if old, ok := r.before[k]; !ok || !equalValues(old, v) {
			set[k] = v
		}
	}
	for k := range r.before {
		if _, ok := r.header[k]; !ok {
			removed = append(removed, k)
		}
	}
	return set, removed
}

func equalValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// replay writes what the handler wrote, unchanged, for a response that is
// not kept.
func (r *recorder) replay(w http.ResponseWriter) {
	set, removed := r.changes()
	h := w.Header()
	for _, k := range removed {
		h.Del(k)
	}
	for k, v := range set {
		h[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

// representation turns a handler's response into one to keep, or returns
// nil when it must not be kept: anything but 200 (errors, redirects), a
// response that sets a cookie, says no-store or private, is already
// encoded, or is too big.
func (r *recorder) representation() *Representation {
	if r.status != http.StatusOK && r.status != 0 || r.body.Len() > maxEntry {
		return nil
	}
	cc := strings.ToLower(r.header.Get("Cache-Control"))
	if r.header.Get("Set-Cookie") != "" || strings.Contains(cc, "no-store") || strings.Contains(cc, "private") ||
		r.header.Get("Content-Encoding") != "" {
		return nil
	}
	set, removed := r.changes()
	for _, k := range []string{"Content-Length", "Date", "Etag", "Last-Modified"} {
		set.Del(k)
	}
	// The web server's default policy (max-age=60) becomes revalidation: a
	// browser asks each time, cheaply (304 from memory), and so never
	// shows a page from before a change it made itself. A handler's own
	// other policy stays.
	if cc == "" || cc == "public, max-age=60" {
		set.Set("Cache-Control", "public, no-cache")
	}
	// A copy of exactly its length: the buffer grew by doubling, and the
	// cache counts what it keeps by length.
	return newRepresentation(set, removed, bytes.Clone(r.body.Bytes()))
}
