package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/icld/partnerskap/internal/mail"
)

// queueMail writes msgs to the outbox in tx, the transaction of the change
// that causes them, so they are sent if and only if it commits. Each is due
// at once (next_try = now). It sets each message's ID, CreatedAt and
// NextTry in msgs.
func (s *Store) queueMail(ctx context.Context, tx *sql.Tx, msgs []mail.Message) error {
	now := s.now()
	for i := range msgs {
		m := &msgs[i]
		err := tx.QueryRowContext(ctx, `INSERT INTO outbox (recipient, subject, body, created_at, next_try) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
			m.To, m.Subject, m.Body, now).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("queue mail to %s: %w", m.To, err)
		}
		m.CreatedAt, m.NextTry = now, now
	}
	return nil
}
