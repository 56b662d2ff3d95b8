package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
)

func testConfig(t *testing.T) Config {
	return Config{Listen: "127.0.0.1:0", OpsListen: "127.0.0.1:0", DataDir: t.TempDir(), BaseURL: "http://localhost", Demo: true}
}

// serve runs Serve until the returned stop is called; stop waits for a
// clean shutdown and returns what Serve returned.
func serve(t *testing.T, cfg Config) (addr string, out *bytes.Buffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	out = &bytes.Buffer{}
	go func() { done <- Serve(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), out, ready) }()
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("Serve: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("Serve did not start")
	}
	return addr, out, func() error {
		cancel()
		return <-done
	}
}

func TestServeDemoTwice(t *testing.T) {
	cfg := testConfig(t)
	addr, out, stop := serve(t, cfg)
	res, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "1\u00a0800\u00a0000\u00a0kr") {
		t.Errorf("home: %d", res.StatusCode)
	}
	for _, want := range []string{"partnerskap is running at http://127.0.0.1:", "handlaggare@demo.partnerskap.se", "password for all: demo-partnerskap",
		"demo staff accounts sign in without a second factor (demo mode only)", "any other officer or administrator must set up two-step verification"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("start-up output lacks %q:\n%s", want, out)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	// A second start with --demo adds nothing.
	_, _, stop = serve(t, cfg)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(context.Background(), cfg, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ps, _ := s.PartnershipList(context.Background(), partnership.Filter{})
	progs, _ := s.ProgrammeList(context.Background())
	all, _ := s.GrantList(context.Background(), grant.Filter{})
	// The pilot programme is the first one created; its six grants are the
	// 2021 pilot's 1.8 MSEK. The second programme is the rolling call.
	pilot, _ := s.GrantList(context.Background(), grant.Filter{ProgrammeID: 1})
	var sum int64
	for _, g := range pilot {
		sum += g.Amount
	}
	if len(ps) != 8 || len(pilot) != 6 || sum != 180_000_000 || len(progs) != 2 || len(all) != 8 {
		t.Errorf("after two starts: %d partnerships, pilot %d grants summing %d, %d programmes, %d grants in all",
			len(ps), len(pilot), sum, len(progs), len(all))
	}
}

func TestServeWithoutDemoShowsNoNote(t *testing.T) {
	cfg := testConfig(t)
	cfg.Demo = false
	addr, _, stop := serve(t, cfg)
	defer stop()
	res, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Contains(string(body), "demo-note") {
		t.Error("an empty database shows the demo notice")
	}
}

func TestDemoRefusesDatabaseInUse(t *testing.T) {
	cfg := testConfig(t)
	s, err := OpenStore(context.Background(), cfg, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.CreateProgramme(context.Background(), audit.System("test"), &programme.Programme{NameSV: "Eget program", Funder: "Sida", Operator: "ICLD", TotalBudget: 100})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	err = Serve(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "use an empty data directory") {
		t.Errorf("Serve --demo on a database in use: %v", err)
	}
}

func TestUnreachableDatabase(t *testing.T) {
	cfg := testConfig(t)
	cfg.Database = "postgres://postgres:secret@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"
	err := Serve(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "cannot open database postgres://postgres:xxxxx@127.0.0.1:1/test") {
		t.Errorf("got %v", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Error("the password is in the message")
	}
}

func TestSQLitePath(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		want string
	}{
		{Config{DataDir: "data"}, filepath.Join("data", "partnerskap.db")},
		{Config{DataDir: "data", Database: "sqlite:/var/lib/p.db"}, "/var/lib/p.db"},
		{Config{DataDir: "data", Database: "/tmp/x.db"}, "/tmp/x.db"},
	} {
		if got := tt.cfg.SQLitePath(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.cfg, got, tt.want)
		}
	}
}

func TestRegistryPrefix(t *testing.T) {
	cfg := testConfig(t)
	cfg.Demo = false
	cfg.RegistryPrefix = "KOM"
	_, _, stop := serve(t, cfg)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(context.Background(), cfg, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.Setting(context.Background(), "registry_prefix"); err != nil || v != "KOM" {
		t.Errorf("registry prefix: %q, %v", v, err)
	}
}
