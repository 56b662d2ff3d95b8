package store

import (
	"context"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
)

// Attachments stores the metadata of uploaded files; the bytes are in a
// file store (filestore.Store), written before AddAttachment and deleted
// after DeleteAttachment by the caller. Files change only while the
// application's answers are editable (else application.ErrTransition), and
// audit entries are written with each change.
type Attachments interface {
	// AddAttachment validates a (attachment.Validate) and records it,
	// setting its ID, UploadedBy and CreatedAt.
	AddAttachment(ctx context.Context, by audit.Actor, a *attachment.Attachment) error
	Attachment(ctx context.Context, id int64) (*attachment.Attachment, error)
	// AttachmentList returns an application's attachments in upload order.
	AttachmentList(ctx context.Context, applicationID int64) ([]*attachment.Attachment, error)
	// DeleteAttachment removes an attachment uploaded since the
	// application was last submitted: one that belongs to a submitted
	// version stays (application.ErrTransition).
	DeleteAttachment(ctx context.Context, by audit.Actor, id int64) error
}

const attachmentColumns = `id, application_id, field_key, filename, content_type, size, sha256, storage_key, COALESCE(uploaded_by, 0), created_at`

func scanAttachment(row scanner) (*attachment.Attachment, error) {
	var a attachment.Attachment
	if err := row.Scan(&a.ID, &a.ApplicationID, &a.FieldKey, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.StorageKey, &a.UploadedBy, instant(&a.CreatedAt)); err != nil {
		return nil, err
	}
	return &a, nil
}

// filesChangeable locks application id's row and checks that its files
// may change: the application exists and its answers are editable. The
// lock keeps a submission from freezing the answers while files are added
// or removed. It returns when the application was last submitted (zero if
// never).
func (s *DB) filesChangeable(ctx context.Context, tx *conn, id int64) (lastSubmitted time.Time, err error) {
	var state application.State
	err = tx.QueryRowContext(ctx, `SELECT state, submitted_at FROM applications WHERE id = ?`+s.d.ForUpdate, id).Scan(&state, instant(&lastSubmitted))
	if err != nil {
		return time.Time{}, notFound(err)
	}
	if !state.Editable() {
		return time.Time{}, application.ErrTransition
	}
	return lastSubmitted, nil
}

// AddAttachment records a file already in the file store, if the
// application's answers are editable (else application.ErrTransition).
func (s *DB) AddAttachment(ctx context.Context, by audit.Actor, a *attachment.Attachment) error {
	if err := a.Validate(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		if _, err := s.filesChangeable(ctx, tx, a.ApplicationID); err != nil {
			return err
		}
		a.UploadedBy, a.CreatedAt = by.UserID, s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO attachments (application_id, field_key, filename, content_type, size, sha256, storage_key, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.ApplicationID, a.FieldKey, a.Filename, a.ContentType, a.Size, a.SHA256, a.StorageKey, nullInt(by.UserID), a.CreatedAt).Scan(&a.ID)
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "attachment", a.ID, nil, a)
	})
	if err != nil {
		return fmt.Errorf("add attachment to application %d: %w", a.ApplicationID, err)
	}
	return nil
}

// Attachment returns the attachment with id.
func (s *DB) Attachment(ctx context.Context, id int64) (*attachment.Attachment, error) {
	a, err := scanAttachment(s.r.QueryRowContext(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("attachment %d: %w", id, notFound(err))
	}
	return a, nil
}

// AttachmentList returns the attachments of an application in the order
// they were uploaded.
func (s *DB) AttachmentList(ctx context.Context, applicationID int64) ([]*attachment.Attachment, error) {
	out, err := queryAll(ctx, s.r, scanAttachment, `SELECT `+attachmentColumns+` FROM attachments WHERE application_id = ? ORDER BY id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("attachments of application %d: %w", applicationID, err)
	}
	return out, nil
}

// DeleteAttachment removes the record of an attachment uploaded since the
// application was last submitted, while its answers are editable; a file
// that was part of a submitted version stays (application.ErrTransition).
// The caller deletes the bytes from the file store after this returns.
func (s *DB) DeleteAttachment(ctx context.Context, by audit.Actor, id int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		a, err := scanAttachment(tx.QueryRowContext(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE id = ?`, id))
		if err != nil {
			return notFound(err)
		}
		submitted, err := s.filesChangeable(ctx, tx, a.ApplicationID)
		if err != nil {
			return err
		}
		if !submitted.IsZero() && !a.CreatedAt.After(submitted) {
			return application.ErrTransition
		}
		// Deleted only if still there now that the application is locked:
		// two deletes at once leave one audit entry, not two.
		res, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if err := updatedOne(res); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "delete", "attachment", id, a, nil)
	})
	if err != nil {
		return fmt.Errorf("delete attachment %d: %w", id, err)
	}
	return nil
}
