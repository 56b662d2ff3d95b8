package store

import (
	"context"
	"fmt"
)

// PutBlob stores data under key; a key already used is ErrConflict.
// It is the database file store's (filestore.DB) storage, not part of
// store.Store. On PostgreSQL the application keeps files here, so every
// instance serves every file.
func (s *DB) PutBlob(ctx context.Context, key string, data []byte) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO blobs (key, data, created_at) VALUES (?, ?, ?)`, key, data, s.now())
	if s.d.IsUnique(err, "blobs_pkey") {
		err = ErrConflict
	}
	if err != nil {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	return nil
}

// GetBlob returns the data stored under key, or ErrNotFound.
func (s *DB) GetBlob(ctx context.Context, key string) ([]byte, error) {
	var data []byte
	if err := s.r.QueryRowContext(ctx, `SELECT data FROM blobs WHERE key = ?`, key).Scan(&data); err != nil {
		return nil, fmt.Errorf("blob %s: %w", key, notFound(err))
	}
	return data, nil
}

// DeleteBlob removes the data stored under key, if any.
func (s *DB) DeleteBlob(ctx context.Context, key string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM blobs WHERE key = ?`, key); err != nil {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	return nil
}
