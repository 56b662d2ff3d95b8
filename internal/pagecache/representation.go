package pagecache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Representation is a response kept in memory, ready to serve many times:
// the headers its handler set, the body, and, when it pays, the body
// compressed once with gzip. Each has a strong ETag (a hash of its bytes),
// so a browser that has it is answered 304 without a body.
type Representation struct {
	set      http.Header // headers to set (values clipped: appending copies)
	removed  []string    // headers to remove
	body, gz []byte      // gz is nil when not worth it
	etag     string      // of body
	gzTag    string      // of gz
	modified time.Time   // Last-Modified to send; zero: none
	issued   time.Time   // the latest Last-Modified issued for the address (Cache.lastModified)
}

// gzipMin is the smallest body worth compressing: below it the headers
// and gzip's own framing eat the gain.
const gzipMin = 512

// NewRepresentation prepares body, sent with the headers in set, to be
// served many times; the web server's static files use it too.
func NewRepresentation(set http.Header, body []byte) *Representation {
	return newRepresentation(set, nil, body)
}

func newRepresentation(set http.Header, removed []string, body []byte) *Representation {
	rep := &Representation{set: set, removed: removed, body: body, etag: etagOf(body, "")}
	if len(body) >= gzipMin && compressible(set.Get("Content-Type")) {
		if gz := gzipped(body); len(gz) < len(body)*9/10 {
			rep.gz, rep.gzTag = gz, etagOf(body, "-gz")
			if v := set.Get("Vary"); v != "" {
				set.Set("Vary", v+", Accept-Encoding")
			} else {
				set.Set("Vary", "Accept-Encoding")
			}
		}
	}
	for k, v := range set {
		set[k] = slices.Clip(v)
	}
	return rep
}

// Serve answers r with rep: gzip when the client takes it, 304 when its
// If-None-Match (or, without one, If-Modified-Since) says it has these
// bytes, no body for HEAD; http.ServeContent does the conditional part,
// and ranges.
func (rep *Representation) Serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for _, k := range rep.removed {
		h.Del(k)
	}
	for k, v := range rep.set {
		h[k] = v
	}
	body, tag := rep.body, rep.etag
	if rep.gz != nil && acceptsGzip(r) {
		body, tag = rep.gz, rep.gzTag
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Etag", tag)
	http.ServeContent(w, r, "", rep.modified, bytes.NewReader(body))
}

// ETag is the strong entity tag of the uncompressed body, quoted.
func (rep *Representation) ETag() string { return rep.etag }

// etagOf is a strong entity tag for body: 128 bits of its SHA-256.
func etagOf(body []byte, suffix string) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + suffix + `"`
}

// compressible reports whether a content type is text that gzip shrinks;
// images, PDFs and archives are compressed already.
func compressible(ctype string) bool {
	ctype = strings.ToLower(ctype)
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "json") ||
		strings.Contains(ctype, "xml") || strings.Contains(ctype, "javascript")
}

// gzipLevel trades size for time: it is paid on every render after a
// change, while the visitor who asked waits. Measured on the demo
// (docs/PERFORMANCE.md): on a partnership page of 100 KB, most of it the
// map's SVG paths, level 4 takes 1.6 ms for 28.7 KB where the default (6)
// takes 8–10 ms for 26.7 KB; on the 18 KB home page 0.11 ms against
// 0.13 ms, 4.0 KB against 3.9 KB.
const gzipLevel = 4

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzipLevel)
	return w
}}

// gzipped compresses body, once per page and data version, not per
// request.
func gzipped(body []byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(body)
	zw.Close()
	gzipWriters.Put(zw)
	return bytes.Clone(buf.Bytes()) // exactly its length, as the cache counts it
}

// acceptsGzip reads Accept-Encoding: gzip (or x-gzip, or *) with a
// non-zero quality; an explicit gzip;q=0 refuses it even beside *.
func acceptsGzip(r *http.Request) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, header := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(header, ",") {
			name, params, _ := strings.Cut(part, ";")
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
					if f, err := strconv.ParseFloat(v, 64); err == nil {
						q = f
					} else {
						q = 0
					}
				}
			}
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "gzip", "x-gzip":
				gzipQ = max(gzipQ, q)
			case "*":
				starQ = max(starQ, q)
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
