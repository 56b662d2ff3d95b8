package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/i18n"
	"github.com/icld/partnerskap/internal/notify"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/web"
)

// OpenStore opens the configured database and applies its migrations.
func OpenStore(ctx context.Context, cfg Config, clk clock.Clock) (store.Store, error) {
	if cfg.IsPostgres() {
		s, err := postgres.Open(ctx, cfg.Database, clk)
		if err != nil {
			return nil, fmt.Errorf("cannot open database %s: %w", cfg.DatabaseName(), err)
		}
		return s, nil
	}
	path := cfg.SQLitePath()
	if dir := dirOf(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("cannot create data directory %s: %w", dir, err)
		}
	}
	s, err := sqlite.Open(ctx, path, clk)
	if err != nil {
		return nil, fmt.Errorf("cannot open database %s: %w", path, err)
	}
	return s, nil
}

func dirOf(path string) string {
	i := strings.LastIndexAny(path, `/\`)
	if i <= 0 {
		return ""
	}
	return path[:i]
}

// Prepare loads the reference data (adding only what is missing) and, when
// asked, the demo. It returns the demo's accounts when the demo is there.
func Prepare(ctx context.Context, s store.Store, clk clock.Clock, withDemo bool) (*demo.Result, error) {
	if withDemo {
		res, err := demo.Load(ctx, s, clk)
		if err != nil {
			return nil, err
		}
		return res, nil
	}
	if _, err := s.LoadReferenceOrganisations(ctx, audit.System("reference-data"), organisation.Reference()); err != nil {
		return nil, err
	}
	return nil, nil
}

// demoLoaded reports whether the database holds the demo, so its notice
// shows even when the server was started without --demo.
func demoLoaded(ctx context.Context, s store.Store) (bool, error) {
	v, err := s.Setting(ctx, "demo")
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && strings.HasPrefix(v, "loaded"), err
}

// Serve runs the web server on cfg.Listen and the operations server on
// cfg.OpsListen until ctx ends, then shuts both down gracefully, letting
// requests in flight finish. ready, if not nil, gets the web server's
// address once it listens (tests use port 0).
func Serve(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer, ready chan<- string) error {
	if err := cfg.OIDC.Check(); err != nil {
		return err
	}
	clk := clock.System{}
	s, err := OpenStore(ctx, cfg, clk)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := Prepare(ctx, s, clk, cfg.Demo)
	if err != nil {
		return err
	}
	if err := setRegistryPrefix(ctx, s, cfg.RegistryPrefix); err != nil {
		return err
	}
	stopMail, err := startMail(ctx, cfg, s, clk, log)
	if err != nil {
		return err
	}
	defer stopMail() // before s.Close: the message being sent is finished and recorded
	files, err := FileStore(cfg, s)
	if err != nil {
		return err
	}
	proxies, err := web.ParseTrustedProxies(cfg.TrustedProxies)
	if err != nil {
		return fmt.Errorf("trusted proxies %q: %w", cfg.TrustedProxies, err)
	}
	// Listen first: the public address may come from the address the
	// server really listens on (port 0 in tests).
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Listen, err)
	}
	defer ln.Close() // on an early return; closed again by the server's shutdown, harmlessly
	var opsLn net.Listener
	if cfg.OpsListen != "" {
		if opsLn, err = net.Listen("tcp", cfg.OpsListen); err != nil {
			return fmt.Errorf("cannot listen on %s: %w", cfg.OpsListen, err)
		}
		defer opsLn.Close()
	}
	listen := cfg.Listen
	if _, port, err := net.SplitHostPort(listen); err == nil && port == "0" {
		listen = ln.Addr().String()
	}
	baseURL, warning := cfg.PublicBaseURL(listen)
	if warning != "" {
		log.Warn("base URL and listen address disagree: "+warning, "base_url", baseURL, "listen", listen)
	}
	wcfg := web.Config{BaseURL: baseURL, Files: files, TrustedProxies: proxies}
	if cfg.OIDC.Enabled() {
		wcfg.SSO = startSSO(ctx, cfg.OIDC, clk, log)
	}
	if ok, err := demoLoaded(ctx, s); err != nil {
		return err
	} else if ok {
		wcfg.DemoNote = map[string]string{"sv": demo.NoteSV, "en": demo.NoteEN}
		// The demo's records name files (a story image, material to
		// download) whose bytes belong in the file store, not the database.
		if err := demo.PutFiles(ctx, files); err != nil {
			return err
		}
		if err := demo.MaterialFiles(ctx, files); err != nil {
			return err
		}
	}
	srv, err := web.New(s, clk, log, wcfg)
	if err != nil {
		return err
	}
	if wcfg.SSO != nil {
		log.Info("single sign-on: register this redirect URL at the provider", "redirect_url", srv.SSORedirectURL())
	}
	// The reminder job composes its mails as the handlers do, apart from them.
	msgs, err := i18n.Load()
	if err != nil {
		return err
	}
	reminders := notify.New(s, msgs, baseURL)
	url := "http://" + browsable(ln.Addr().String())
	fmt.Fprintf(out, "partnerskap is running at %s (database: %s %s)\n", url, s.Engine(), cfg.DatabaseName())
	if opsLn != nil {
		fmt.Fprintf(out, "metrics and health: http://%s/metrics, /healthz\n", browsable(opsLn.Addr().String()))
	}
	if res != nil {
		fmt.Fprintln(out, "demo accounts (password for all: "+demo.Password+"):")
		for _, a := range res.Accounts {
			fmt.Fprintf(out, "  %-10s %s (%s)\n", a.Role, a.Email, a.Name)
		}
		// DEMO ONLY, and said so: the demo's own staff accounts sign in
		// without a second factor while the database is the demo's; every
		// other officer or administrator must enrol one.
		fmt.Fprintln(out, "  demo staff accounts sign in without a second factor (demo mode only);")
		fmt.Fprintln(out, "  any other officer or administrator must set up two-step verification at first sign-in")
	}
	web := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ops := http.NewServeMux()
	ops.Handle("GET /metrics", srv.MetricsHandler())
	ops.Handle("GET /healthz", srv.HealthHandler())
	opsSrv := &http.Server{Handler: ops, ReadHeaderTimeout: 10 * time.Second}

	errc := make(chan error, 2)
	go func() { errc <- web.Serve(ln) }()
	if opsLn != nil {
		go func() { errc <- opsSrv.Serve(opsLn) }()
	}
	go runRetention(ctx, s, files, clk, log)
	go cleanSessions(ctx, s, clk, log)
	go runReminders(ctx, s, reminders, clk, log)
	go runSealer(ctx, s, log)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	log.Info("serving", "addr", ln.Addr().String(), "engine", s.Engine())
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return errors.Join(web.Shutdown(sctx), opsSrv.Shutdown(sctx))
}

// cleanSessions deletes expired sessions every hour.
func cleanSessions(ctx context.Context, s store.Store, clk clock.Clock, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.DeleteExpiredSessions(ctx, clk.Now()); err != nil {
				log.Error("clean sessions", "err", err)
			} else if n > 0 {
				log.Info("cleaned sessions", "count", n)
			}
		}
	}
}

// setRegistryPrefix stores the configured prefix of registration numbers,
// which the store reads when it registers a document, if it changed.
func setRegistryPrefix(ctx context.Context, s store.Store, prefix string) error {
	prefix = strings.TrimSpace(prefix)
	cur, err := s.Setting(ctx, "registry_prefix")
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if cur == prefix && (err == nil || prefix == "") {
		return nil
	}
	return s.SetSetting(ctx, audit.System("config"), "registry_prefix", prefix)
}
