package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
)

const attachmentColumns = `id, application_id, field_key, filename, content_type, size, sha256, storage_key, COALESCE(uploaded_by, 0), created_at`

func scanAttachment(row scanner) (*attachment.Attachment, error) {
	var a attachment.Attachment
	if err := row.Scan(&a.ID, &a.ApplicationID, &a.FieldKey, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.StorageKey, &a.UploadedBy, &a.CreatedAt); err != nil {
		return nil, err
	}
	a.CreatedAt = utc(a.CreatedAt)
	return &a, nil
}

// filesChangeable locks application id's row and checks that its files
// may change: the application exists and its answers are editable. The
// lock keeps a submission from freezing the answers while files are added
// or removed. It returns when the application was last submitted (zero if
// never).
func filesChangeable(ctx context.Context, tx *sql.Tx, id int64) (lastSubmitted time.Time, err error) {
	var state application.State
	var submitted sql.NullTime
	err = tx.QueryRowContext(ctx, `SELECT state, submitted_at FROM applications WHERE id = $1 FOR UPDATE`, id).Scan(&state, &submitted)
	if err != nil {
		return time.Time{}, notFound(err)
	}
	if !state.Editable() {
		return time.Time{}, application.ErrTransition
	}
	if submitted.Valid {
		lastSubmitted = utc(submitted.Time)
	}
	return lastSubmitted, nil
}

// AddAttachment records a file already in the file store, if the
// application's answers are editable (else application.ErrTransition).
func (s *Store) AddAttachment(ctx context.Context, by audit.Actor, a *attachment.Attachment) error {
	if err := a.Validate(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := filesChangeable(ctx, tx, a.ApplicationID); err != nil {
			return err
		}
		a.UploadedBy, a.CreatedAt = by.UserID, s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO attachments (application_id, field_key, filename, content_type, size, sha256, storage_key, uploaded_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			a.ApplicationID, a.FieldKey, a.Filename, a.ContentType, a.Size, a.SHA256, a.StorageKey, nullInt(by.UserID), a.CreatedAt).Scan(&a.ID)
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "attachment", a.ID, nil, a)
	})
	if err != nil {
		return fmt.Errorf("postgres: add attachment to application %d: %w", a.ApplicationID, err)
	}
	return nil
}

// Attachment returns the attachment with id.
func (s *Store) Attachment(ctx context.Context, id int64) (*attachment.Attachment, error) {
	a, err := scanAttachment(s.db.QueryRowContext(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: attachment %d: %w", id, notFound(err))
	}
	return a, nil
}

// AttachmentList returns the attachments of an application in the order
// they were uploaded.
func (s *Store) AttachmentList(ctx context.Context, applicationID int64) ([]*attachment.Attachment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE application_id = $1 ORDER BY id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("postgres: attachments of application %d: %w", applicationID, err)
	}
	defer rows.Close()
	var out []*attachment.Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: attachments of application %d: %w", applicationID, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: attachments of application %d: %w", applicationID, err)
	}
	return out, nil
}

// DeleteAttachment removes the record of an attachment uploaded since the
// application was last submitted, while its answers are editable; a file
// that was part of a submitted version stays (application.ErrTransition).
// The caller deletes the bytes from the file store after this returns.
func (s *Store) DeleteAttachment(ctx context.Context, by audit.Actor, id int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		a, err := scanAttachment(tx.QueryRowContext(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE id = $1`, id))
		if err != nil {
			return notFound(err)
		}
		submitted, err := filesChangeable(ctx, tx, a.ApplicationID)
		if err != nil {
			return err
		}
		if !submitted.IsZero() && !a.CreatedAt.After(submitted) {
			return application.ErrTransition
		}
		// Deleted only if still there now that the application is locked:
		// two deletes at once leave one audit entry, not two.
		res, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if err := updatedOne(res); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "delete", "attachment", id, a, nil)
	})
	if err != nil {
		return fmt.Errorf("postgres: delete attachment %d: %w", id, err)
	}
	return nil
}
