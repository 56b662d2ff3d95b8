package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/notify"
	"github.com/icld/partnerskap/internal/store"
)

// reminderEvery is how often the reminder loop looks for reminders due.
const reminderEvery = 10 * time.Minute

// SendReminders sends the report reminders due at now: each is composed
// by m, then claimed and queued in one transaction (store SendReminder),
// so runs on several instances at once, or again after a restart, send
// each reminder once. It returns how many it queued.
func SendReminders(ctx context.Context, s store.Store, m *notify.Mailer, now time.Time) (int, error) {
	due, err := s.DueReminders(ctx, now)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, rem := range due {
		mails, err := m.ReportReminder(ctx, rem)
		if err != nil {
			return sent, err
		}
		ok, err := s.SendReminder(ctx, rem, mails)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// runReminders sends due reminders once at start-up and then every
// reminderEvery, until ctx ends.
func runReminders(ctx context.Context, s store.Store, m *notify.Mailer, clk clock.Clock, log *slog.Logger) {
	t := time.NewTicker(reminderEvery)
	defer t.Stop()
	for {
		if n, err := SendReminders(ctx, s, m, clk.Now()); err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Error("report reminders", "err", err)
		} else if n > 0 {
			log.Info("report reminders queued", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
