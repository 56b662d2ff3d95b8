package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/icld/partnerskap/internal/mail"
)

// Outbox stores e-mail waiting to be sent. Workers on several instances
// claim messages so each is sent by one of them.
type Outbox interface {
	// QueueMail queues msgs, due at once, in one transaction, setting
	// their IDs. (A change that causes mail queues it in its own
	// transaction instead.)
	QueueMail(ctx context.Context, msgs []mail.Message) error
	// ClaimMail claims up to limit messages due at now for lease, counting
	// an attempt for each; a claim that is not marked sent or failed
	// before the lease ends is retried. Concurrent claimers get disjoint
	// messages.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mail.Message, error)
	// MarkMailSent records that the SMTP server accepted the message; it
	// is never claimed again.
	MarkMailSent(ctx context.Context, id int64, at time.Time) error
	// MarkMailFailed records reason as LastError and ends the claim: the
	// message is due again at next or, when next is the zero time, never
	// (it reads back with a zero NextTry: mail.Message.GaveUp). A message
	// already sent is left as it is.
	MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error
	// MailList returns messages, newest first (for officers and tests).
	MailList(ctx context.Context, limit int) ([]mail.Message, error)
}

// never is the next_try of a message the worker gave up on (next_try is
// NOT NULL): later than any now, so it is never due. It reads back as the
// zero time. (Not 'infinity', which pgx cannot read into a time.Time.)
var never = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

const outboxColumns = `id, recipient, subject, body, created_at, attempts, next_try, sent_at, last_error`

func scanMail(row scanner) (mail.Message, error) {
	var m mail.Message
	if err := row.Scan(&m.ID, &m.To, &m.Subject, &m.Body, instant(&m.CreatedAt), &m.Attempts, instant(&m.NextTry), instant(&m.SentAt), &m.LastError); err != nil {
		return m, err
	}
	if m.NextTry.Equal(never) {
		m.NextTry = time.Time{}
	}
	return m, nil
}

// QueueMail writes msgs to the outbox in one transaction, due at once.
func (s *DB) QueueMail(ctx context.Context, msgs []mail.Message) error {
	if err := s.tx(ctx, func(tx *conn) error { return s.queueMail(ctx, tx, msgs) }); err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

// ClaimMail claims up to limit messages due at now, oldest due first, for
// lease, and counts an attempt for each. On PostgreSQL FOR UPDATE SKIP
// LOCKED lets workers on several instances claim at once: each passes over
// the rows another is claiming, so no two share a message, and none
// waits. On SQLite the transaction takes the write lock at BEGIN, so two
// claimers, even in two processes on one file, see each other's claims.
func (s *DB) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mail.Message, error) {
	now = s.cut(now)
	var out []mail.Message
	err := s.tx(ctx, func(tx *conn) error {
		var err error
		out, err = queryAll(ctx, tx, scanMail, `UPDATE outbox SET claimed_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox
				WHERE sent_at IS NULL AND next_try <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
				ORDER BY next_try, id`+s.d.ForUpdate+s.d.SkipLocked+` LIMIT ?)
			RETURNING `+outboxColumns,
			now.Add(lease), now, now, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	// RETURNING gives rows in no promised order.
	slices.SortFunc(out, func(a, b mail.Message) int { return int(a.ID - b.ID) })
	return out, nil
}

// MarkMailSent records that the SMTP server accepted message id at at.
func (s *DB) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	// A message sent twice (see mail.Worker) keeps its first time.
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET sent_at = COALESCE(sent_at, ?), claimed_until = NULL WHERE id = ?`,
		s.cut(at), id)
	if err == nil {
		err = updatedOne(res)
	}
	if err != nil {
		return fmt.Errorf("mark mail %d sent: %w", id, err)
	}
	return nil
}

// MarkMailFailed records why message id was not sent and ends its claim.
// It is due again at next, or never when next is the zero time. A message
// already sent is left as it is.
func (s *DB) MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	nextTry := never
	if !next.IsZero() {
		nextTry = s.cut(next)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET last_error = ?, next_try = ?, claimed_until = NULL
		WHERE id = ? AND sent_at IS NULL`, reason, nextTry, id)
	if err == nil {
		if err = updatedOne(res); errors.Is(err, ErrNotFound) {
			// Already sent (by another worker, after this one's claim ran
			// out): nothing to record. Or no such message.
			var one int
			err = notFound(s.r.QueryRowContext(ctx, `SELECT 1 FROM outbox WHERE id = ?`, id).Scan(&one))
		}
	}
	if err != nil {
		return fmt.Errorf("mark mail %d failed: %w", id, err)
	}
	return nil
}

// MailList returns up to limit messages, newest first.
func (s *DB) MailList(ctx context.Context, limit int) ([]mail.Message, error) {
	out, err := queryAll(ctx, s.r, scanMail, `SELECT `+outboxColumns+` FROM outbox ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("mail list: %w", err)
	}
	return out, nil
}

// queueMail writes msgs to the outbox in tx, the transaction of the change
// that causes them, so they are sent if and only if it commits. Each is due
// at once (next_try = now). It sets each message's ID, CreatedAt and
// NextTry in msgs.
func (s *DB) queueMail(ctx context.Context, tx *conn, msgs []mail.Message) error {
	now := s.now()
	for i := range msgs {
		m := &msgs[i]
		err := tx.QueryRowContext(ctx, `INSERT INTO outbox (recipient, subject, body, created_at, next_try) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			m.To, m.Subject, m.Body, now, now).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("queue mail to %s: %w", m.To, err)
		}
		m.CreatedAt, m.NextTry = now, now
	}
	return nil
}
