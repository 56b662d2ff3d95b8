package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
)

// never is the next_try of a message the worker gave up on (next_try is
// NOT NULL): later than any now, so it is never due. It reads back as the
// zero time. (Not 'infinity', which pgx cannot read into a time.Time.)
var never = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

const outboxColumns = `id, recipient, subject, body, created_at, attempts, next_try, sent_at, last_error`

func scanMail(row scanner) (mail.Message, error) {
	var m mail.Message
	var sent sql.NullTime
	if err := row.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.CreatedAt, &m.Attempts, &m.NextTry, &sent, &m.LastError); err != nil {
		return m, err
	}
	m.CreatedAt, m.NextTry = utc(m.CreatedAt), utc(m.NextTry)
	if m.NextTry.Equal(never) {
		m.NextTry = time.Time{}
	}
	if sent.Valid {
		m.SentAt = utc(sent.Time)
	}
	return m, nil
}

// QueueMail writes msgs to the outbox in one transaction, due at once.
func (s *Store) QueueMail(ctx context.Context, msgs []mail.Message) error {
	if err := s.tx(ctx, func(tx *sql.Tx) error { return s.queueMail(ctx, tx, msgs) }); err != nil {
		return fmt.Errorf("postgres: queue mail: %w", err)
	}
	return nil
}

// ClaimMail claims up to limit messages due at now, oldest due first, for
// lease, and counts an attempt for each. FOR UPDATE SKIP LOCKED lets
// workers on several instances claim at once: each passes over the rows
// another is claiming, so no two share a message, and none waits.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mail.Message, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var out []mail.Message
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox
				WHERE sent_at IS NULL AND next_try <= $2 AND (claimed_until IS NULL OR claimed_until <= $2)
				ORDER BY next_try, id FOR UPDATE SKIP LOCKED LIMIT $3)
			RETURNING `+outboxColumns,
			now.Add(lease), now, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMail(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claim mail: %w", err)
	}
	// RETURNING gives rows in no promised order.
	slices.SortFunc(out, func(a, b mail.Message) int { return int(a.ID - b.ID) })
	return out, nil
}

// MarkMailSent records that the SMTP server accepted message id at at.
func (s *Store) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	// A message sent twice (see mail.Worker) keeps its first time.
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET sent_at = COALESCE(sent_at, $1), claimed_until = NULL WHERE id = $2`,
		at.UTC().Truncate(time.Microsecond), id)
	if err == nil {
		err = updatedOne(res)
	}
	if err != nil {
		return fmt.Errorf("postgres: mark mail %d sent: %w", id, err)
	}
	return nil
}

// MarkMailFailed records why message id was not sent and ends its claim.
// It is due again at next, or never when next is the zero time. A message
// already sent is left as it is.
func (s *Store) MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	nextTry := never
	if !next.IsZero() {
		nextTry = next.UTC().Truncate(time.Microsecond)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET last_error = $1, next_try = $2, claimed_until = NULL
		WHERE id = $3 AND sent_at IS NULL`, reason, nextTry, id)
	if err == nil {
		if err = updatedOne(res); errors.Is(err, store.ErrNotFound) {
			// Already sent (by another worker, after this one's claim ran
			// out): nothing to record. Or no such message.
			var one int
			err = notFound(s.db.QueryRowContext(ctx, `SELECT 1 FROM outbox WHERE id = $1`, id).Scan(&one))
		}
	}
	if err != nil {
		return fmt.Errorf("postgres: mark mail %d failed: %w", id, err)
	}
	return nil
}

// MailList returns up to limit messages, newest first.
func (s *Store) MailList(ctx context.Context, limit int) ([]mail.Message, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: mail list: %w", err)
	}
	defer rows.Close()
	var out []mail.Message
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: mail list: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: mail list: %w", err)
	}
	return out, nil
}

// updatedOne turns a change that touched no row into store.ErrNotFound.
func updatedOne(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}
