package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// BenchmarkParallelWrites measures committed write transactions per
// second from many goroutines at once on PostgreSQL: each creates an
// organisation (insert, audit entry, and the NOTIFY every write sends so
// other instances' page caches follow). PostgreSQL serialises the commits
// of notifying transactions, so this is the write ceiling it sets.
func BenchmarkParallelWrites(b *testing.B) { parallelWrites(b, false) }

// BenchmarkParallelWritesSealing is BenchmarkParallelWrites with the
// audit sealer running as a server runs it (app.runSealer: every second,
// until nothing is left), so its cost to writers shows.
func BenchmarkParallelWritesSealing(b *testing.B) { parallelWrites(b, true) }

func parallelWrites(b *testing.B, sealing bool) {
	s := storetest.OpenPostgres(b, clock.System{})
	ctx := context.Background()
	by := audit.System("bench")
	var n atomic.Int64
	b.SetParallelism(4) // 4 × GOMAXPROCS writers
	if sealing {
		sctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		defer func() { stop(); <-done }()
		go func() {
			defer close(done)
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				for {
					if n, err := s.SealAudit(sctx); err != nil || n == 0 {
						break
					}
				}
				select {
				case <-sctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			o := &organisation.Organisation{Kind: organisation.Partner, Country: "UG", Name: fmt.Sprintf("Partner %d", n.Add(1))}
			if err := s.CreateOrganisation(ctx, by, o); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
