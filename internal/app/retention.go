package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/filestore"
	"github.com/icld/partnerskap/internal/privacy"
	"github.com/icld/partnerskap/internal/store"
)

// retentionEvery is how often the retention job looks for rejected and
// withdrawn applications kept long enough.
const retentionEvery = time.Hour

// ApplyRetention removes the personal data of rejected and withdrawn
// applications kept past the retention the administrators set (the
// privacy.RetentionSetting, privacy.DefaultRetentionDays when unset):
// the store cleans them in one transaction and logs the run in the audit
// log (store.ApplyRetention), so runs on several instances at once clean
// each application once; then the files go from the file store. A file
// that cannot be deleted is logged and left: its record is gone, so no
// page serves it. It returns the applications cleaned.
func ApplyRetention(ctx context.Context, s store.Store, files filestore.Store, now time.Time, log *slog.Logger) ([]int64, error) {
	setting, err := s.Setting(ctx, privacy.RetentionSetting)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	r, err := privacy.ParseRetention(setting)
	if err != nil {
		log.Warn("retention setting out of range; using the default", "value", setting, "days", privacy.DefaultRetentionDays)
		r = privacy.Retention{Days: privacy.DefaultRetentionDays}
	}
	ids, keys, err := s.ApplyRetention(ctx, now, r)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if err := files.Delete(ctx, k); err != nil {
			log.Error("retention: delete file", "key", k, "err", err)
		}
	}
	return ids, nil
}

// runRetention applies the retention at start-up and then every
// retentionEvery, until ctx ends.
func runRetention(ctx context.Context, s store.Store, files filestore.Store, clk clock.Clock, log *slog.Logger) {
	t := time.NewTicker(retentionEvery)
	defer t.Stop()
	for {
		if ids, err := ApplyRetention(ctx, s, files, clk.Now(), log); err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Error("retention", "err", err)
		} else if len(ids) > 0 {
			log.Info("retention: personal data removed", "applications", len(ids))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
