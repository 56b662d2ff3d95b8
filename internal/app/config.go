// Package app wires the parts together: it opens the store the
// configuration names, loads reference data and the demo, and runs the
// web and operations servers until the context ends.
package app

import (
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
	DataDir   string // where the SQLite file (and later uploads) live
	Database  string // postgres://… to run on PostgreSQL; empty for SQLite in DataDir
	BaseURL   string // public address, e.g. https://partnerskap.icld.se
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
