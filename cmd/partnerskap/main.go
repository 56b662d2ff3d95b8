// Command partnerskap runs the grant programme system: partnerskap serve
// starts the web server; see README.md for the commands and settings.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/i18n"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
	"golang.org/x/term"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `partnerskap – grants for international municipal partnerships

Usage:
  partnerskap serve [flags]         start the web server (--demo loads the 2021 pilot)
  partnerskap migrate [flags]       apply database migrations and exit
  partnerskap user create [flags]   create a user (password from a prompt or stdin)
  partnerskap user list [flags]     list users: e-mail, name, roles, status, last sign-in
  partnerskap user set-role [flags] replace a user's roles with one (--add: add it)
  partnerskap user deactivate|activate --email …
                                    deactivate (ending its sessions) or reactivate a user
  partnerskap user reset-password --email …
                                    set a new password (prompt or stdin), ending its sessions
  partnerskap user reset-2fa EMAIL  remove a user's second factor (a lost phone), ending its sessions
  partnerskap audit verify [--seal] [--head HASH]
                                    check the audit log's hash chain; names the first entry
                                    that does not match (exit status 1)
  partnerskap backup --to FILE      write the database and every uploaded file to one archive
                                    (SQLite; safe while the server runs; FILE.tar.gz compresses)
  partnerskap restore --from FILE   restore such an archive into an empty --data-dir
  partnerskap version               print the version

Run "partnerskap <command> -h" for the flags. Every flag can also be set
with an environment variable PARTNERSKAP_<NAME> (e.g. PARTNERSKAP_DATA_DIR).
`

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "partnerskap:", explain(err))
		os.Exit(1)
	}
}

// explain turns field errors into a line a person can act on, with the
// messages the web forms show, in English.
func explain(err error) string {
	var v validate.Errors
	if !errors.As(err, &v) {
		return err.Error()
	}
	msgs, lerr := i18n.Load()
	var parts []string
	for _, f := range slices.Sorted(maps.Keys(v)) {
		msg := v[f]
		if lerr == nil {
			msg = msgs.T("en", v[f], nil)
		}
		parts = append(parts, f+": "+msg)
	}
	return "invalid " + strings.Join(parts, "; ")
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		fs, cfg := flags("serve", stderr)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return app.Serve(ctx, *cfg, logger(*cfg, stderr), stdout, nil)
	case "migrate":
		fs, cfg := flags("migrate", stderr)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if err := app.Migrate(context.Background(), *cfg); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "migrations applied to", cfg.DatabaseName())
		return nil
	case "user":
		if len(args) < 2 {
			return errors.New(userUsage)
		}
		switch args[1] {
		case "create":
			return createUser(args[2:], stdin, stdout, stderr)
		case "list":
			return listUsers(args[2:], stdout, stderr)
		case "set-role":
			return setRole(args[2:], stdout, stderr)
		case "deactivate", "activate":
			return setDisabled(args[1], args[2:], stdout, stderr)
		case "reset-password":
			return resetPassword(args[2:], stdin, stdout, stderr)
		case "reset-2fa":
			return resetSecondFactor(args[2:], stdout, stderr)
		}
		return fmt.Errorf("unknown user command %q\n%s", args[1], userUsage)
	case "audit":
		if len(args) < 2 || args[1] != "verify" {
			return errors.New(auditUsage)
		}
		return verifyAudit(args[2:], stdout, stderr)
	case "backup":
		return backupCmd(args[1:], stdout, stderr)
	case "restore":
		return restoreCmd(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "partnerskap", buildVersion())
		return nil
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// flags defines the settings every command shares; each flag's default
// comes from its PARTNERSKAP_* variable when set.
func flags(name string, stderr io.Writer) (*flag.FlagSet, *app.Config) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := &app.Config{}
	str := func(p *string, flagName, def, help string) {
		fs.StringVar(p, flagName, env(flagName, def), help+" ($"+envName(flagName)+")")
	}
	str(&cfg.Listen, "listen", "localhost:8080", "web server address")
	str(&cfg.OpsListen, "ops-listen", "127.0.0.1:9090", "address for /metrics and /healthz (empty to turn off)")
	str(&cfg.DataDir, "data-dir", "data", "directory for the SQLite database and, on SQLite, uploaded files (files/)")
	str(&cfg.Database, "database", "", "postgres://… to use PostgreSQL; empty for SQLite in the data directory")
	str(&cfg.BaseURL, "base-url", "", "public address of the site in links, e-mails, the widget and fact sheets; empty for http:// and the --listen address (localhost for a wildcard host)")
	str(&cfg.TrustedProxies, "trusted-proxies", "", "reverse proxies whose X-Forwarded-For is believed, e.g. 127.0.0.1,10.0.0.0/8")
	str(&cfg.RegistryPrefix, "registry-prefix", "", "prefix of registration numbers, e.g. KOM gives \"KOM 2021/0042\"")
	str(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	str(&cfg.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	str(&cfg.SMTP.Host, "smtp-host", "", "SMTP server for e-mail")
	port, _ := strconv.Atoi(env("smtp-port", "587"))
	fs.IntVar(&cfg.SMTP.Port, "smtp-port", port, "SMTP port ($PARTNERSKAP_SMTP_PORT)")
	str(&cfg.SMTP.Username, "smtp-username", "", "SMTP user name")
	str(&cfg.SMTP.Password, "smtp-password", "", "SMTP password (prefer the environment variable)")
	str(&cfg.SMTP.From, "smtp-from", "partnership@icld.se", "sender address of e-mail")
	str(&cfg.SMTP.TLS, "smtp-tls", "", "SMTP TLS: empty for automatic (TLS on 465, none on localhost, else STARTTLS when offered), or starttls, tls, opportunistic, none")
	str(&cfg.OIDC.Issuer, "oidc-issuer", "", "OpenID Connect issuer URL for single sign-on; empty turns it off")
	str(&cfg.OIDC.ClientID, "oidc-client-id", "", "client id registered at the OpenID Connect provider")
	str(&cfg.OIDC.ClientSecret, "oidc-client-secret", "", "client secret at the OpenID Connect provider (prefer the environment variable)")
	str(&cfg.OIDC.Name, "oidc-name", "", "the provider's name on the sign-in button (\"Logga in med <name>\")")
	demo, _ := strconv.ParseBool(env("demo", "false"))
	fs.BoolVar(&cfg.Demo, "demo", demo, "load the demo programme (the 2021 pilot) into an empty database ($PARTNERSKAP_DEMO)")
	return fs, cfg
}

func envName(flagName string) string {
	return "PARTNERSKAP_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func env(flagName, def string) string {
	if v, ok := os.LookupEnv(envName(flagName)); ok {
		return v
	}
	return def
}

func logger(cfg app.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func createUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, cfg := flags("user create", stderr)
	email := fs.String("email", "", "e-mail address (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", "admin", "role: admin, officer or reviewer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch user.RoleKind(*role) {
	case user.Administrator, user.Officer, user.Reviewer:
	default:
		return fmt.Errorf("--role must be admin, officer or reviewer (applicants and partners are created in the workspace)")
	}
	pw, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	u, err := app.CreateUser(context.Background(), *cfg, *email, *name, user.RoleKind(*role), pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\n", *role, u.Email, u.ID)
	return nil
}

// readPassword asks twice on a terminal; from a pipe it reads one line.
// It never comes from a flag, which would leave it in the shell history
// and the process list.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Repeat password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}
