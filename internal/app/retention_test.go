package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/privacy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// TestRetentionJob runs the retention job over the demo on both engines:
// nothing while the setting's time has not passed, the rejected and
// withdrawn applications once it has, and nothing on a second run.
func TestRetentionJob(t *testing.T) {
	engines := map[string]func(t *testing.T, clk clock.Clock) store.Store{
		"sqlite": func(t *testing.T, clk clock.Clock) store.Store {
			s, err := OpenStore(context.Background(), testConfig(t), clk)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
		"postgres": func(t *testing.T, clk clock.Clock) store.Store { return storetest.OpenPostgres(t, clk) },
	}
	for name, open := range engines {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			clk := clock.NewFixed(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
			s := open(t, clk)
			if _, err := demo.Load(ctx, s, clk); err != nil {
				t.Fatal(err)
			}
			fs, err := FileStore(Config{Database: "x", DataDir: t.TempDir()}, s)
			if err != nil {
				t.Fatal(err)
			}
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			if err := s.SetSetting(ctx, audit.System("test"), privacy.RetentionSetting, "365"); err != nil {
				t.Fatal(err)
			}
			if ids, err := ApplyRetention(ctx, s, fs, clk.Now(), log); err != nil || len(ids) != 0 {
				t.Fatalf("on the demo's day: %v, %v", ids, err)
			}
			later := clk.Now().AddDate(1, 1, 0)
			ids, err := ApplyRetention(ctx, s, fs, later, log)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) == 0 {
				t.Fatal("a year later the demo's rejected and withdrawn applications were not cleaned")
			}
			for _, id := range ids {
				a, err := s.Application(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Contains([]application.State{application.Rejected, application.Withdrawn}, a.State) || len(a.Answers.Files) != 0 {
					t.Errorf("cleaned application %d: %s, files %v", id, a.State, a.Answers.Files)
				}
			}
			if again, err := ApplyRetention(ctx, s, fs, later, log); err != nil || len(again) != 0 {
				t.Errorf("second run: %v, %v", again, err)
			}
		})
	}
}

// TestRetentionTwoInstances: two instances on one PostgreSQL database run
// the retention job at the same moment; each application is cleaned by
// exactly one of them, and the audit log's run entries list each once.
func TestRetentionTwoInstances(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewSchema(t)
	clk := clock.NewFixed(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	open := func() store.Store {
		s, err := postgres.Open(ctx, url, clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	one, two := open(), open()
	if _, err := demo.Load(ctx, one, clk); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	later := clk.Now().AddDate(3, 0, 0)
	var wg sync.WaitGroup
	got := make([][]int64, 2)
	for i, s := range []store.Store{one, two} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fs, err := FileStore(Config{Database: url, DataDir: t.TempDir()}, s)
			if err == nil {
				got[i], err = ApplyRetention(ctx, s, fs, later, log)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	all := append(append([]int64(nil), got[0]...), got[1]...)
	slices.Sort(all)
	if len(all) == 0 || len(slices.Compact(slices.Clone(all))) != len(all) {
		t.Fatalf("cleaned %v and %v: want each application once", got[0], got[1])
	}
	entries, err := one.AuditLog(ctx, audit.Filter{Entity: "application", Limit: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	var logged []int64
	for _, e := range entries {
		if e.Action == "retention" {
			var run struct{ Applications []int64 }
			if err := json.Unmarshal(e.After, &run); err != nil {
				t.Fatal(err)
			}
			logged = append(logged, run.Applications...)
		}
	}
	slices.Sort(logged)
	if !slices.Equal(logged, all) {
		t.Errorf("audit log lists %v, cleaned %v", logged, all)
	}
}
