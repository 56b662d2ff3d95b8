package postgres

import (
	"context"
	"fmt"

	"github.com/icld/partnerskap/internal/store"
)

// PutBlob stores data under key; a key already used is store.ErrConflict.
// It is the database file store's (filestore.DB) storage, not part of
// store.Store. On PostgreSQL the application keeps files here, so every
// instance serves every file.
func (s *Store) PutBlob(ctx context.Context, key string, data []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO blobs (key, data, created_at) VALUES ($1, $2, $3)`, key, data, s.now())
	if isUnique(err, "blobs_pkey") {
		err = store.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("postgres: put blob %s: %w", key, err)
	}
	return nil
}

// GetBlob returns the data stored under key, or store.ErrNotFound.
func (s *Store) GetBlob(ctx context.Context, key string) ([]byte, error) {
	var data []byte
	if err := s.db.QueryRowContext(ctx, `SELECT data FROM blobs WHERE key = $1`, key).Scan(&data); err != nil {
		return nil, fmt.Errorf("postgres: blob %s: %w", key, notFound(err))
	}
	return data, nil
}

// DeleteBlob removes the data stored under key, if any.
func (s *Store) DeleteBlob(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM blobs WHERE key = $1`, key); err != nil {
		return fmt.Errorf("postgres: delete blob %s: %w", key, err)
	}
	return nil
}
