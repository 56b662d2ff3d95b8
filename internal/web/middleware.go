package web

import (
	"net/http"
	"strings"
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

// healthz answers 200 when the database answers, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("health check", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
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
