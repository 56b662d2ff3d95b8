package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/notify"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Base is what every page template gets: the language, the signed-in user
// (staff pages only), field errors, and helpers to translate and link.
// Templates call its methods ({{.T "key"}}), so nothing is bound to a
// shared template and no request can render in another's language.
type Base struct {
	Lang   string
	User   *user.User
	Errors validate.Errors
	Flash  string // a message key shown once after a redirect
	Title  string // translated page title, set by the handler

	flashArgs []any // the Flash message's placeholders
	srv       *Server
	req       *http.Request
	route     route
	failed    bool // an error page: it has no canonical address
	// unavailable is the error of a form that came back because the
	// database could not take its change (formFailed), logged once the
	// page is sent.
	unavailable error
}

// page wraps a handler: it builds the Base, enforces sign-in for staff
// pages, and turns the returned error into a page with the right status.
func (s *Server) page(rt route, lang string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := &Base{Lang: lang, srv: s, req: r, route: rt}
		if rt.kind == staff || rt.name == "logout" {
			w.Header().Set("Cache-Control", "no-store")
			u, pending, err := s.sessionAuth(r)
			if store.Unavailable(err) {
				s.unavailable(w, r, b, err)
				return
			}
			if err != nil {
				s.log.Error("session", "err", err)
				s.renderError(w, b, http.StatusInternalServerError)
				return
			}
			if pending {
				// THE RULE of the second factor: a session that has
				// passed the password but not the second factor reaches
				// no staff route, only its code form or enrolment page
				// (login_code.go), which are not staff routes. Signing
				// out ends it as any session.
				if rt.kind == staff {
					if err := s.toSecondStep(w, r, b, u); err != nil {
						s.log.Error("second step", "err", err)
						s.renderError(w, b, http.StatusInternalServerError)
					}
					return
				}
				u = nil
			}
			if u == nil && rt.kind == staff {
				http.Redirect(w, r, b.URL("login")+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			b.User = u
			b.Flash, b.flashArgs = s.takeFlash(w, r)
		}
		limitBody(w, r, b.User != nil)
		bad, done := checkInput(r)
		defer done()
		if bad != nil {
			s.refuseInput(w, b, bad)
			return
		}
		err := rt.h(w, r, b)
		if b.unavailable != nil {
			s.log.Warn("database unavailable", "method", r.Method, "path", r.URL.Path, "err", b.unavailable)
		}
		if err == nil {
			return
		}
		var verr validate.Errors
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.renderError(w, b, http.StatusNotFound)
		case errors.Is(err, errForbidden):
			s.renderError(w, b, http.StatusForbidden)
		case errors.Is(err, store.ErrConflict):
			s.renderError(w, b, http.StatusConflict)
		case store.Unavailable(err):
			s.unavailable(w, r, b, err)
		case errors.As(err, &verr):
			// Handlers re-render their forms themselves; reaching here
			// means a request no form sends.
			s.renderError(w, b, http.StatusUnprocessableEntity)
		default:
			s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			s.renderError(w, b, http.StatusInternalServerError)
		}
	})
}

// render executes the named page into a buffer first, so a template error
// gives a clean error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, b *Base, status int, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", b.Lang)
	if h.Get("Cache-Control") == "" {
		// Public pages are the same for every visitor; a short max-age
		// lets a proxy absorb a rush without showing stale data for long.
		h.Set("Cache-Control", "public, max-age=60")
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

type errorPage struct {
	*Base
	Status int
}

func (s *Server) renderError(w http.ResponseWriter, b *Base, status int) {
	w.Header().Set("Cache-Control", "no-store")
	b.failed = true
	b.Title = b.T("error." + strconv.Itoa(status) + ".title")
	if err := s.render(w, b, status, "error", errorPage{Base: b, Status: status}); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, http.StatusText(status), status)
	}
}

// unavailable answers a request the database could not take (the disk is
// full, the connection to it was dropped; store.Unavailable): nothing was
// saved, and the same request may work in a moment, so the page says that
// rather than "something went wrong", with 503 and a Retry-After.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, b *Base, err error) {
	s.log.Warn("database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	w.Header().Set("Retry-After", "30")
	s.renderError(w, b, http.StatusServiceUnavailable)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, b *Base) error {
	return store.ErrNotFound
}

// T translates key into the page's language. args are name/value pairs
// for placeholders: {{.T "home.grants" "Count" 6}}.
func (b *Base) T(key string, args ...any) string {
	var data map[string]any
	if len(args) > 0 {
		data = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	return b.srv.msgs.T(b.Lang, key, data)
}

// FlashText is the flash message in the page's language, its
// placeholders filled.
func (b *Base) FlashText() string { return b.T(b.Flash, b.flashArgs...) }

// URL builds the path of a named page in the page's language; params fill
// the {placeholders} in order.
func (b *Base) URL(name string, params ...any) string {
	return b.urlIn(b.Lang, name, params...)
}

func (b *Base) urlIn(lang, name string, params ...any) string {
	rt, ok := b.srv.routeByName(name)
	if !ok {
		return "/"
	}
	pattern := rt.sv
	if lang == "en" {
		pattern = rt.en
	}
	return fillPattern(pattern, func(i int, _ string) string {
		if i < len(params) {
			return url.PathEscape(fmt.Sprint(params[i]))
		}
		return ""
	})
}

// mailLink is the absolute address of a page for a mail, in the
// recipient's language.
func (b *Base) mailLink(name string, params ...any) notify.Link {
	return func(lang string) string { return b.BaseURL() + b.urlIn(lang, name, params...) }
}

// fillPattern replaces each {name} in a mux pattern with value(i, name).
func fillPattern(pattern string, value func(i int, name string) string) string {
	pattern = strings.TrimSuffix(pattern, "{$}")
	var out strings.Builder
	i := 0
	for {
		start := strings.Index(pattern, "{")
		if start < 0 {
			out.WriteString(pattern)
			return out.String()
		}
		end := strings.Index(pattern[start:], "}") + start
		out.WriteString(pattern[:start])
		out.WriteString(value(i, pattern[start+1:end]))
		i++
		pattern = pattern[end+1:]
	}
}

// Other is the other language's code.
func (b *Base) Other() string {
	if b.Lang == "en" {
		return "sv"
	}
	return "en"
}

// Path is this page's own path (for the canonical link).
func (b *Base) Path() string { return b.pathIn(b.Lang) }

// AltPath is this page's path in the other language (for hreflang).
func (b *Base) AltPath() string { return b.pathIn(b.Other()) }

// SvPath and EnPath are this page's paths in each language.
func (b *Base) SvPath() string { return b.pathIn("sv") }
func (b *Base) EnPath() string { return b.pathIn("en") }

func (b *Base) pathIn(lang string) string {
	rt := b.route
	if rt.sv == "" { // pages without a route (404) switch to the home page
		if lang == "en" {
			return "/en/"
		}
		return "/"
	}
	pattern := rt.sv
	if lang == "en" {
		pattern = rt.en
	}
	p := fillPattern(pattern, func(_ int, name string) string { return url.PathEscape(b.req.PathValue(name)) })
	if b.req.Method == http.MethodGet && b.req.URL.RawQuery != "" {
		p += "?" + b.req.URL.RawQuery
	}
	return p
}

// SwitchURL is the language switch's link: it remembers the choice in a
// cookie and lands on the same page in the other language.
func (b *Base) SwitchURL() string {
	return "/sprak?till=" + b.Other() + "&sida=" + url.QueryEscape(b.AltPath())
}

// BaseURL is the public address, for absolute links (hreflang).
func (b *Base) BaseURL() string { return strings.TrimSuffix(b.srv.cfg.BaseURL, "/") }

// Canonical is this page's absolute address without its query, for the
// canonical link and og:url; "" on an error page, which has none.
func (b *Base) Canonical() string {
	if b.failed || b.route.sv == "" {
		return ""
	}
	p := b.Path()
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return b.BaseURL() + p
}

// OGLocale is the Open Graph locale of a language: sv_SE or en_GB.
func (b *Base) OGLocale(lang string) string {
	if lang == "en" {
		return "en_GB"
	}
	return "sv_SE"
}

// DemoNote is the demo's notice in the page's language, or "".
func (b *Base) DemoNote() string { return b.srv.cfg.DemoNote[b.Lang] }

// Money formats öre for reading in the page's language.
func (b *Base) Money(ore int64) string { return money.Format(ore, b.Lang) }

// Date formats a date (or the date of an instant, in Stockholm).
func (b *Base) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Stockholm).Format("2006-01-02")
}

// DateTime formats an instant in Stockholm time.
func (b *Base) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Stockholm).Format("2006-01-02 15:04")
}

// ActorName is who made a change, for reading: a person's name as it is,
// and the system's own changes ("system:demo", "system:cli") as the
// system, not as an internal code.
func (b *Base) ActorName(name string) string {
	if what, ok := strings.CutPrefix(name, "system:"); ok {
		if what == "demo" {
			return b.T("actor.demo")
		}
		return b.T("actor.system")
	}
	return name
}

// Is reports whether the current page is the named one (for aria-current).
func (b *Base) Is(names ...string) bool {
	for _, n := range names {
		if b.route.name == n || strings.HasPrefix(b.route.name, n+".") {
			return true
		}
	}
	return false
}

// Can reports whether the signed-in user works in a part of the
// workspace, for the navigation: "staff", "apply" or "review". Applying
// and reviewing are offered to those who hold the role: an administrator
// may open those pages but has no organisation to apply for and nothing
// assigned to review.
func (b *Base) Can(what string) bool {
	switch what {
	case "staff":
		return policy.Can(b.User, policy.ViewStaffArea, 0)
	case "apply":
		return policy.Can(b.User, policy.Apply, 0) && len(policy.ApplicantOrganisations(b.User)) > 0
	case "review":
		return policy.Can(b.User, policy.Review, 0) && b.User.Has(user.Reviewer)
	}
	return false
}
