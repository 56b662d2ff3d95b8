package sqlite

import (
	"context"
	"fmt"

	"github.com/icld/partnerskap/internal/store"
)

// PutBlob stores data under key; a key already used is store.ErrConflict.
// It is the database file store's (filestore.DB) storage, not part of
// store.Store: on SQLite the application keeps files in a folder.
func (s *Store) PutBlob(ctx context.Context, key string, data []byte) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO blobs (key, data, created_at) VALUES (?, ?, ?)`, key, data, ts(s.clock.Now()))
	if isUnique(err) {
		err = store.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("sqlite: put blob %s: %w", key, err)
	}
	return nil
}

// GetBlob returns the data stored under key, or store.ErrNotFound.
func (s *Store) GetBlob(ctx context.Context, key string) ([]byte, error) {
	var data []byte
	if err := s.r.QueryRowContext(ctx, `SELECT data FROM blobs WHERE key = ?`, key).Scan(&data); err != nil {
		return nil, fmt.Errorf("sqlite: blob %s: %w", key, notFound(err))
	}
	return data, nil
}

// DeleteBlob removes the data stored under key, if any.
func (s *Store) DeleteBlob(ctx context.Context, key string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM blobs WHERE key = ?`, key); err != nil {
		return fmt.Errorf("sqlite: delete blob %s: %w", key, err)
	}
	return nil
}
