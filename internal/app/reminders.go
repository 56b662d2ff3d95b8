package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/store"
)

// reminderEvery is how often the reminder loop looks for reminders due.
const reminderEvery = 10 * time.Minute

// RenderReminder renders a reminder's mails in each recipient's language
// (web.Server.ReminderMails).
type RenderReminder func(ctx context.Context, rem report.Reminder) ([]mail.Message, error)

// SendReminders sends the report reminders due at now: each is rendered
// and then claimed and queued in one transaction (store SendReminder), so
// runs on several instances at once, or again after a restart, send each
// reminder once. It returns how many it queued.
func SendReminders(ctx context.Context, s store.Store, render RenderReminder, now time.Time) (int, error) {
	due, err := s.DueReminders(ctx, now)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, rem := range due {
		mails, err := render(ctx, rem)
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
func runReminders(ctx context.Context, s store.Store, render RenderReminder, clk clock.Clock, log *slog.Logger) {
	t := time.NewTicker(reminderEvery)
	defer t.Stop()
	for {
		if n, err := SendReminders(ctx, s, render, clk.Now()); err != nil {
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
