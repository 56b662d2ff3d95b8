// Package app wires the parts together: it opens the store the
// configuration names, loads reference data and the demo, and runs the
// web and operations servers until the context ends.
package app

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/icld/partnerskap/internal/sso"
)

// Config is the whole configuration, read by main from flags and
// PARTNERSKAP_* environment variables.
type Config struct {
	Listen    string // address of the web server, e.g. "localhost:8080"
	OpsListen string // address of /metrics and /healthz; loopback by default
	DataDir   string // where the SQLite file and, on SQLite, uploaded files (files/) live
	Database  string // postgres://… to run on PostgreSQL; empty for SQLite in DataDir
	BaseURL   string // public address, e.g. https://partnerskap.icld.se; empty: from Listen (PublicBaseURL)
	Demo      bool   // load the 2021 pilot
	// RegistryPrefix goes before registration numbers ("KOM" gives
	// "KOM 2021/0042"); empty gives "2021/0042".
	RegistryPrefix string
	// TrustedProxies lists the reverse proxies (addresses or networks,
	// comma-separated) whose X-Forwarded-For header is believed.
	TrustedProxies string
	LogFormat      string // "text" or "json"
	LogLevel       string // "debug", "info", "warn", "error"
	SMTP           SMTP
	// OIDC is the OpenID Connect provider people may sign in through;
	// with no Issuer, single sign-on is off.
	OIDC sso.Config
}

// SMTP is where e-mail is sent; with no Host, none is.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	// TLS is "starttls" (required), "opportunistic", "tls" (implicit, SMTPS)
	// or "none"; empty chooses: tls on port 465, none for a server on
	// localhost, otherwise STARTTLS when the server offers it.
	TLS string
}

// IsPostgres reports whether the configuration names PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.Database, "postgres://") || strings.HasPrefix(c.Database, "postgresql://")
}

// SQLitePath is the SQLite file: Database when it names a file, else
// partnerskap.db in DataDir.
func (c Config) SQLitePath() string {
	if c.Database != "" && !c.IsPostgres() {
		return strings.TrimPrefix(c.Database, "sqlite:")
	}
	return filepath.Join(c.DataDir, "partnerskap.db")
}

// DatabaseName describes the database for messages, without a password.
func (c Config) DatabaseName() string {
	if !c.IsPostgres() {
		return c.SQLitePath()
	}
	u, err := url.Parse(c.Database)
	if err != nil {
		return "postgres (unparsable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// PublicBaseURL is the address the site's links name: in e-mails, the
// widget snippet, fact sheets, feeds and survey links. listen is the
// address the server listens on. With BaseURL empty it is derived from
// listen: "http://" and its host and port, an empty or wildcard host
// (0.0.0.0, ::) becoming localhost, so changing --listen alone does not
// leave every link pointing at the old port. With BaseURL set it is
// BaseURL, and warning, when not empty, says how the two disagree: a
// different port, or a different host than the specific one listened on.
// Behind a reverse proxy they differ rightly, so this is for the log,
// not a refusal.
func (c Config) PublicBaseURL(listen string) (base, warning string) {
	if c.BaseURL == "" {
		return "http://" + browsable(listen), ""
	}
	lhost, lport, err := net.SplitHostPort(listen)
	if err != nil {
		return c.BaseURL, "" // the listen address is refused where it is used
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return c.BaseURL, fmt.Sprintf("the base URL %q is not an http:// or https:// address; links will not work", c.BaseURL)
	}
	bport := u.Port()
	if bport == "" {
		bport = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	switch {
	case bport != lport:
		return c.BaseURL, fmt.Sprintf("the base URL %s names port %s but the server listens on %s; links use the base URL, as they should behind a reverse proxy", c.BaseURL, bport, listen)
	case !wildcard(lhost) && !sameHost(lhost, u.Hostname()):
		return c.BaseURL, fmt.Sprintf("the base URL %s names host %s but the server listens on %s; links use the base URL, as they should behind a reverse proxy", c.BaseURL, u.Hostname(), listen)
	}
	return c.BaseURL, ""
}

// browsable turns a listen address into one a browser can open: an empty
// or wildcard host becomes localhost.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if wildcard(host) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// wildcard reports whether a listen host means every address.
func wildcard(host string) bool {
	return host == "" || host == "0.0.0.0" || host == "::"
}

// sameHost reports whether two host names or addresses name the same
// host as far as can be told without asking DNS: equal, or both loopback
// (localhost, 127.0.0.1, ::1).
func sameHost(a, b string) bool {
	return strings.EqualFold(a, b) || (loopback(a) && loopback(b))
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
