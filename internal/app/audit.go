package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/store"
)

// sealEvery is how often the server seals new audit entries into the
// chain (PostgreSQL; on SQLite they are chained as they are written, and
// sealing finds nothing). An entry is sealed within about this long of
// its commit (docs/SECURITY.md).
const sealEvery = time.Second

// runSealer seals audit entries until ctx ends. Several instances may run
// it: they take turns (store.DB.SealAudit).
func runSealer(ctx context.Context, s store.Store, log *slog.Logger) {
	t := time.NewTicker(sealEvery)
	defer t.Stop()
	for {
		for {
			n, err := s.SealAudit(ctx)
			if err != nil {
				if ctx.Err() == nil {
					log.Error("seal audit entries", "err", err)
				}
				break
			}
			if n == 0 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// VerifyAudit checks the audit log's chain, and that it passes through
// head (a head noted earlier) if head is not "", after sealing what is
// not yet sealed if seal is set (verifying alone writes nothing).
func VerifyAudit(ctx context.Context, cfg Config, seal bool, head string) (r audit.Result, err error) {
	err = withStore(ctx, cfg, func(s store.Store) error {
		for seal {
			n, err := s.SealAudit(ctx)
			if err != nil {
				return err
			}
			seal = n > 0
		}
		r, err = s.VerifyAudit(ctx, head)
		return err
	})
	return r, err
}
