// Package web serves the public portal and the staff workspace as
// server-rendered pages, in Swedish (unprefixed URLs) and English (/en/).
package web

import (
	"context"
	"embed"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/i18n"
	"github.com/icld/partnerskap/internal/notify"
	"github.com/icld/partnerskap/internal/pagecache"
	"github.com/icld/partnerskap/internal/sso"
	"github.com/icld/partnerskap/internal/store"
)

//go:embed templates static
var embedded embed.FS

// Config is what the web layer needs to know about its deployment.
type Config struct {
	// BaseURL is the public address, e.g. https://partnerskap.icld.se;
	// when it is https, cookies are marked Secure and responses carry
	// Strict-Transport-Security.
	BaseURL string
	// DemoNote, when set, is shown on every page: what in the demo is
	// illustrative. Keys "sv" and "en".
	DemoNote map[string]string
	// Files keeps uploaded attachments: a folder on SQLite, the database
	// on PostgreSQL (see internal/filestore).
	Files FileStore
	// PageCache bounds the cache of rendered public pages (cache.go).
	PageCache pagecache.Config
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed when limiting by client address (survey answers, sign-in);
	// without them every client behind a proxy would share its address.
	TrustedProxies []netip.Prefix
	// SSO signs people in through an OpenID Connect provider
	// (login_sso.go); nil when the deployment has none.
	SSO *sso.Client
}

// FileStore is where attachments' bytes are kept; internal/filestore
// implements it. Keys are chosen by the caller and never contain a path.
type FileStore interface {
	Put(ctx context.Context, key string, r io.Reader) (size int64, sha256hex string, err error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// Server holds what handlers share. It has no package globals, so tests
// can run several servers side by side.
type Server struct {
	store     store.Store
	clock     clock.Clock
	log       *slog.Logger
	cfg       Config
	msgs      *i18n.Catalogue
	pages     map[string]*pageTemplate
	metrics   *metrics
	handler   http.Handler
	routeList []route
	patterns  []registration   // every pattern routes gave the mux, in order
	flood     floodGuard       // the survey answer pages' rate limits
	logins    loginGuard       // failed sign-ins' rate limits
	downloads downloadGuard    // which material downloads count
	accounts  accountGuard     // reset requests and own-account password checks (login_reset.go)
	cache     *pagecache.Cache // rendered public pages; nil when off (cache.go)
	notify    *notify.Mailer   // the mails handlers queue with their changes
	health    writeCheck       // /healthz's write probe, one at a time (middleware.go)
}

// New builds the server and parses its templates once.
func New(s store.Store, clk clock.Clock, log *slog.Logger, cfg Config) (*Server, error) {
	msgs, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	srv := &Server{store: s, clock: clk, log: log, cfg: cfg, msgs: msgs, metrics: newMetrics(), notify: notify.New(s, msgs, cfg.BaseURL)}
	if srv.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	srv.routeList = srv.table()
	srv.handler = srv.transportSecurity(srv.routes())
	return srv, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// secureCookies reports whether cookies must carry the Secure flag: under
// TLS, or when the public address is https (TLS ends at a proxy).
func (s *Server) secureCookies(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://")
}
