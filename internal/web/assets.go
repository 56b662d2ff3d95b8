package web

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/icld/partnerskap/internal/pagecache"
)

// asset is a static file, held in memory with its gzip copy and ETag.
type asset struct {
	rep     *pagecache.Representation
	version string // a short hash of the bytes, for assetURL
}

// assets are the embedded files under static/ plus the generated
// goals.css, prepared once: they change only with a new release.
var assets = sync.OnceValues(func() (map[string]*asset, error) {
	static, err := fs.Sub(embedded, "static")
	if err != nil {
		return nil, err
	}
	out := map[string]*asset{}
	add := func(name, ctype string, body []byte) {
		if ctype == "" {
			ctype = http.DetectContentType(body)
		}
		set := http.Header{"Content-Type": {ctype}}
		rep := pagecache.NewRepresentation(set, body)
		out[name] = &asset{rep: rep, version: strings.Trim(rep.ETag(), `"`)[:12]}
	}
	err = fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(static, name)
		if err != nil {
			return err
		}
		add(name, mime.TypeByExtension(path.Ext(name)), body)
		return nil
	})
	add("goals.css", "text/css; charset=utf-8", []byte(goalsStylesheet()))
	return out, err
})

// assetURL is the address of a static file with its content's hash, so it
// can be kept a year and a new release is fetched at once:
// {{asset "style.css"}} gives /static/style.css?v=….
func assetURL(name string) string {
	all, _ := assets()
	if a, ok := all[name]; ok {
		return "/static/" + name + "?v=" + a.version
	}
	return "/static/" + name
}

// serveAsset serves a static file: gzip when taken, a strong ETag, and a
// year's caching when the address carries the current hash (assetURL);
// without it, or with an old one, the browser revalidates each time.
func serveAsset(w http.ResponseWriter, r *http.Request) {
	all, err := assets()
	a, ok := all[strings.TrimPrefix(r.URL.Path, "/static/")]
	if err != nil || !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == a.version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, no-cache")
	}
	a.rep.Serve(w, r)
}
