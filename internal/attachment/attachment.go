// Package attachment describes files applicants attach: which kinds are
// accepted (checked by content, not by name) and how large they may be.
package attachment

import (
	"time"
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
