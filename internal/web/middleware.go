package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// csp allows only the site's own scripts, styles and images: no inline
// script or style (goal colours come from /static/goals.css), no framing.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// cspFramable is csp for the embeddable widget alone: any site may frame
// it. The widget shows only public facts, has no form and reads no session,
// so being framed exposes nothing to clickjacking; a list of allowed sites
// would make every municipality ask the operator before using it.
var cspFramable = strings.Replace(csp, "frame-ancestors 'none'", "frame-ancestors *", 1)

// allowFraming lifts the ban on framing for one response. Only the
// widget's handler calls it; every other page keeps frame-ancestors 'none'
// and X-Frame-Options: DENY.
func allowFraming(h http.Header) {
	h.Set("Content-Security-Policy", cspFramable)
	h.Del("X-Frame-Options")
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
		next.ServeHTTP(w, r)
	})
}

// hsts tells browsers to reach the site (and its subdomains) over https
// only, for a year, so a visitor who types the bare name or follows an
// http:// link is not first sent over plain http, where the session
// cookie could be taken.
const hsts = "max-age=31536000; includeSubDomains"

// transportSecurity, when the site is served over https, sends HSTS with
// every response and marks every cookie Secure: not only those whose
// setter remembers to (the session's and the language's do), but any
// cookie a handler sets (the flash message, those to come). HSTS goes
// only with an https public address: over plain http a browser ignores
// it, and a site reached by http must not be told to refuse http.
func (s *Server) transportSecurity(next http.Handler) http.Handler {
	https := strings.HasPrefix(s.cfg.BaseURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if https {
			w.Header().Set("Strict-Transport-Security", hsts)
		}
		if s.secureCookies(r) {
			w = &secureCookieWriter{ResponseWriter: w}
		}
		next.ServeHTTP(w, r)
	})
}

// secureCookieWriter adds Secure to each Set-Cookie header that lacks it,
// just before the headers are sent.
type secureCookieWriter struct {
	http.ResponseWriter
	sent bool
}

func (w *secureCookieWriter) secure() {
	if w.sent {
		return
	}
	w.sent = true
	cookies := w.Header()["Set-Cookie"]
	for i, c := range cookies {
		if !hasSecure(c) {
			cookies[i] = c + "; Secure"
		}
	}
}

func (w *secureCookieWriter) WriteHeader(code int) {
	if code >= 200 { // an informational answer is not the response's headers
		w.secure()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *secureCookieWriter) Write(b []byte) (int, error) {
	w.secure()
	return w.ResponseWriter.Write(b)
}

// FlushError sends the headers too, so it marks the cookies first.
func (w *secureCookieWriter) FlushError() error {
	w.secure()
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection (upload
// deadlines).
func (w *secureCookieWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// hasSecure reports whether a Set-Cookie value has the Secure attribute.
func hasSecure(setCookie string) bool {
	attrs := strings.Split(setCookie, ";")
	for _, a := range attrs[1:] { // the first is name=value
		if strings.EqualFold(strings.TrimSpace(a), "Secure") {
			return true
		}
	}
	return false
}

// healthz answers 200 when the database answers and takes a write, 503
// otherwise: a database that reads but cannot write (read-only, disk
// full) loses every submission, so it is not healthy. The write is rolled
// back (store.CheckWrite) and makes no page render again.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("health check", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	if err := s.health.do(r.Context(), s.store.CheckWrite); err != nil {
		s.log.Error("health check", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database cannot write (read-only or disk full?): see the log\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

// writeCheck runs one write probe at a time: a request that comes while
// one runs waits for it and shares its answer. /healthz is public, and on
// SQLite the probe takes the one writer's turn, so a flood of health
// checks holds up real writes by one probe at most.
type writeCheck struct {
	mu  sync.Mutex
	cur *probeRun
}

type probeRun struct {
	done chan struct{}
	err  error
}

func (c *writeCheck) do(ctx context.Context, probe func(context.Context) error) error {
	c.mu.Lock()
	run := c.cur
	if run == nil {
		run = &probeRun{done: make(chan struct{})}
		c.cur = run
		c.mu.Unlock()
		// Not cancelled with the request that started it: others wait on it.
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		run.err = probe(pctx)
		cancel()
		c.mu.Lock()
		c.cur = nil
		c.mu.Unlock()
		close(run.done)
		return run.err
	}
	c.mu.Unlock()
	select {
	case <-run.done:
		return run.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// HealthHandler is /healthz alone, for the operations listener.
func (s *Server) HealthHandler() http.Handler { return http.HandlerFunc(s.healthz) }

// langCookie remembers the language a visitor chose with the switch.
const langCookie = "lang"

// switchLanguage remembers the chosen language and goes to the same page
// in it. Only local paths are followed, so the link can't send anyone away.
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("till")
	if lang != "en" {
		lang = "sv"
	}
	next := safeNext(r.URL.Query().Get("sida"))
	if next == "" {
		next = "/"
		if lang == "en" {
			next = "/en/"
		}
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, next, http.StatusSeeOther)
}
