package storetest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

func testAttachments(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	app := &application.Application{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID}
	must(t, s.CreateApplication(ctx(), officer, app))

	pdf := &attachment.Attachment{ApplicationID: app.ID, FieldKey: "budget", Filename: "Budget – Kalix & Masaka, åäö.pdf",
		ContentType: "application/pdf", Size: 12345, SHA256: strings.Repeat("ab", 32), StorageKey: "K1"}
	must(t, s.AddAttachment(ctx(), officer, pdf))
	if pdf.ID == 0 || !pdf.CreatedAt.Equal(Start) {
		t.Fatalf("added: %+v", pdf)
	}
	png := &attachment.Attachment{ApplicationID: app.ID, FieldKey: "photos", Filename: "bild.png",
		ContentType: "image/png", Size: 10, SHA256: strings.Repeat("01", 32), StorageKey: "K2"}
	must(t, s.AddAttachment(ctx(), officer, png))

	got, err := s.Attachment(ctx(), pdf.ID)
	must(t, err)
	if *got != *pdf {
		t.Errorf("round-trip:\n got %+v\nwant %+v", got, pdf)
	}
	list, err := s.AttachmentList(ctx(), app.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != pdf.ID || list[1].ID != png.ID {
		t.Errorf("AttachmentList: %+v", list)
	}
	if list, err := s.AttachmentList(ctx(), 999); err != nil || len(list) != 0 {
		t.Errorf("AttachmentList of no application: %v, %v", list, err)
	}

	// Refused: a field error, a storage key used twice, an unknown
	// application.
	var verr validate.Errors
	if err := s.AddAttachment(ctx(), officer, &attachment.Attachment{ApplicationID: app.ID, FieldKey: "budget", Filename: "x.html",
		ContentType: "text/html", Size: 1, SHA256: strings.Repeat("00", 32), StorageKey: "K3"}); !errors.As(err, &verr) || verr["file"] != "error.file.type" {
		t.Errorf("HTML: %v", err)
	}
	dup := *png
	if err := s.AddAttachment(ctx(), officer, &dup); err == nil {
		t.Error("storage key used twice accepted")
	}
	other := *png
	other.ApplicationID, other.StorageKey = 999, "K4"
	if err := s.AddAttachment(ctx(), officer, &other); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown application: %v, want ErrNotFound", err)
	}

	// Deleted, with its audit entry.
	must(t, s.DeleteAttachment(ctx(), officer, png.ID))
	if _, err := s.Attachment(ctx(), png.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := s.DeleteAttachment(ctx(), officer, png.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "attachment", EntityID: png.ID})
	must(t, err)
	if len(entries) != 2 || entries[0].Action != "delete" || entries[1].Action != "create" {
		t.Fatalf("audit of the attachment: %+v", entries)
	}
	var before attachment.Attachment
	must(t, json.Unmarshal(entries[0].Before, &before))
	if before.Filename != "bild.png" || string(entries[0].After) != "null" {
		t.Errorf("delete entry: %s → %s", entries[0].Before, entries[0].After)
	}

	// Once the application is no longer editable its files stay as they are.
	must(t, s.Transition(ctx(), officer, app.ID, application.Withdraw, "", nil))
	late := *png
	late.ID, late.StorageKey = 0, "K5"
	if err := s.AddAttachment(ctx(), officer, &late); !errors.Is(err, application.ErrTransition) {
		t.Errorf("add to a withdrawn application: %v, want ErrTransition", err)
	}
	if err := s.DeleteAttachment(ctx(), officer, pdf.ID); !errors.Is(err, application.ErrTransition) {
		t.Errorf("delete from a withdrawn application: %v, want ErrTransition", err)
	}
}
