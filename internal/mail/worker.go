package mail

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/icld/partnerskap/internal/clock"
)

// Outbox is what the worker needs of the store (store.Outbox has it).
type Outbox interface {
	// ClaimMail claims up to limit messages due at now for lease, counting
	// an attempt for each.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Message, error)
	MarkMailSent(ctx context.Context, id int64, at time.Time) error
	// MarkMailFailed records reason and ends the claim; the message is due
	// again at next, or never when next is the zero time.
	MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error
}

// Worker delivers the outbox. Several workers, in one process or on
// several instances sharing a database, can run side by side: each
// message is claimed by one of them for a lease, long enough to send it.
type Worker struct {
	Outbox Outbox
	Sender Sender
	Clock  clock.Clock
	Log    *slog.Logger

	Interval    time.Duration // between passes; 2 seconds when 0
	Lease       time.Duration // how long a claim lasts; 10 minutes when 0, at least 3
	Batch       int           // messages claimed at once; 10 when 0
	MaxAttempts int           // attempts before giving up; 30 (about a day) when 0
}

// Backoff is how long to wait after the attempt-th failed attempt: 30
// seconds, doubling each time (1, 2, 4 … minutes), at most an hour.
func Backoff(attempt int) time.Duration {
	const first, most = 30 * time.Second, time.Hour
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 8 { // 30 s << 7 is already past an hour
		return most
	}
	return min(first<<(attempt-1), most)
}

// Result counts what a pass did.
type Result struct {
	Claimed, Sent, Failed, GaveUp int
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.Default()
	}
	return w.Log
}

func (w *Worker) interval() time.Duration { return orDefault(w.Interval, 2*time.Second) }
func (w *Worker) lease() time.Duration {
	return max(orDefault(w.Lease, 10*time.Minute), sendTimeout+time.Minute)
}
func (w *Worker) batch() int       { return orDefault(w.Batch, 10) }
func (w *Worker) maxAttempts() int { return orDefault(w.MaxAttempts, 30) }

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// sendTimeout bounds one message, connection included; it is well under
// the default lease, so a claim does not run out while its message is
// being sent. markTimeout bounds recording the outcome.
const (
	sendTimeout = 2 * time.Minute
	markTimeout = 30 * time.Second
)

// Run makes a pass every Interval until ctx ends. A pass that finds a full
// batch is followed at once by another. When ctx ends, the message being
// sent is finished and its outcome recorded; the rest of the batch is
// handed back.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.interval())
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			res, err := w.Pass(ctx)
			if err != nil {
				w.log().Error("mail: pass", "err", err)
				break
			}
			if res.Claimed < w.batch() {
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

// Pass claims the messages due now and tries to send each once. Tests call
// it directly, moving a clock.Fixed between passes. Its error is about
// the outbox (claiming, recording outcomes), not about sending.
func (w *Worker) Pass(ctx context.Context) (Result, error) {
	var res Result
	claimed := w.Clock.Now()
	msgs, err := w.Outbox.ClaimMail(ctx, claimed, w.lease(), w.batch())
	if err != nil {
		return res, err
	}
	res.Claimed = len(msgs)
	// A message is started only while its claim has room for it to finish,
	// so no other worker can claim it meanwhile.
	latest := claimed.Add(w.lease() - sendTimeout)
	var errs []error
	for i, m := range msgs {
		if ctx.Err() != nil || w.Clock.Now().After(latest) {
			// Shutting down, or a slow server used up the lease: hand the
			// rest back, due now, so that no one need wait for the lease
			// to run out. (Their attempt count stays one higher.)
			for _, m := range msgs[i:] {
				errs = append(errs, w.mark(ctx, func(ctx context.Context) error {
					return w.Outbox.MarkMailFailed(ctx, m.ID, m.LastError, w.Clock.Now())
				}))
			}
			break
		}
		// Once started, a message is finished even if ctx ends meanwhile.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		err := w.Sender.Send(sctx, m)
		cancel()
		if err == nil {
			// Recorded at once, message by message. The one window left:
			// should the process die (or the database fail) between the
			// server's 250 and this commit, the claim runs out and the
			// message is sent a second time, with the same Message-ID.
			// No SMTP exchange can close that window; it is milliseconds
			// wide, and this keeps it that small.
			if err := w.mark(ctx, func(ctx context.Context) error {
				return w.Outbox.MarkMailSent(ctx, m.ID, w.Clock.Now())
			}); err != nil {
				w.log().Error("mail: sent but not recorded as sent; it will be sent again when the claim runs out",
					"id", m.ID, "err", err)
				errs = append(errs, err)
				continue
			}
			res.Sent++
			w.log().Info("mail sent", "id", m.ID, "attempts", m.Attempts)
			continue
		}
		failed := msgs[i : i+1]
		unavailable := errors.Is(err, ErrUnavailable)
		if unavailable {
			// No session with the server: the rest of the batch would fail
			// the same way, so count this attempt for all of them rather
			// than wait out a timeout for each.
			failed = msgs[i:]
		}
		for _, m := range failed {
			gaveUp, markErr := w.fail(ctx, m, err)
			res.Failed++
			if gaveUp {
				res.GaveUp++
			}
			errs = append(errs, markErr)
		}
		if unavailable {
			break
		}
	}
	return res, errors.Join(errs...)
}

// fail records a failed attempt: due again after the backoff, or given up
// when the server refused the message for good or it has had its attempts.
func (w *Worker) fail(ctx context.Context, m Message, sendErr error) (gaveUp bool, err error) {
	reason := sendErr.Error()
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	var next time.Time
	if errors.Is(sendErr, ErrRejected) || m.Attempts >= w.maxAttempts() {
		gaveUp = true
		w.log().Error("mail: given up", "id", m.ID, "attempts", m.Attempts, "err", sendErr)
	} else {
		next = w.Clock.Now().Add(Backoff(m.Attempts))
		w.log().Warn("mail: not sent, will retry", "id", m.ID, "attempts", m.Attempts, "next", next, "err", sendErr)
	}
	return gaveUp, w.mark(ctx, func(ctx context.Context) error {
		return w.Outbox.MarkMailFailed(ctx, m.ID, reason, next)
	})
}

// mark records an outcome even when ctx has ended: what happened at the
// SMTP server must not be forgotten because the server is shutting down.
func (w *Worker) mark(ctx context.Context, fn func(context.Context) error) error {
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	return fn(mctx)
}
