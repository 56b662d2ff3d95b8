// Package attachment describes files applicants attach: which kinds are
// accepted (checked by content, not by name) and how large they may be.
package attachment

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/validate"
)

// Attachment is a stored file belonging to an application.
type Attachment struct {
	ID            int64
	ApplicationID int64
	FieldKey      string // the file field it answers
	Filename      string // as uploaded, for display and download
	ContentType   string // as detected from the content
	Size          int64
	SHA256        string // hex
	StorageKey    string // where the file store keeps it
	UploadedBy    int64
	CreatedAt     time.Time
}

// MaxSize is the largest file accepted: 10 MiB.
const MaxSize = 10 << 20

// Validate checks the record the upload handler filled in from Check and
// the file store: a field, a name, a detected type and a size within
// bounds (field errors), and a SHA-256 and a storage key (plain errors:
// code fills them in).
func (a *Attachment) Validate() error {
	errs := validate.Errors{}
	errs.Required("field_key", a.FieldKey)
	errs.Required("filename", a.Filename)
	errs.MaxLen("filename", a.Filename, 255)
	if _, ok := types[a.ContentType]; !ok {
		errs.Add("file", ErrType.Error())
	}
	switch {
	case a.Size <= 0:
		errs.Add("file", ErrEmpty.Error())
	case a.Size > MaxSize:
		errs.Add("file", ErrTooLarge.Error())
	}
	if err := errs.Err(); err != nil {
		return err
	}
	// The rest is filled in by code, not typed by anyone.
	if len(a.SHA256) != 64 || strings.Trim(a.SHA256, "0123456789abcdef") != "" {
		return fmt.Errorf("attachment: SHA-256 %q is not 64 lower-case hex digits", a.SHA256)
	}
	if a.StorageKey == "" {
		return errors.New("attachment: no storage key")
	}
	return nil
}
