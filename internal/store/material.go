package store

import (
	"context"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/material"
)

// Materials stores the material bank. An item's file bytes are in the
// file store, written before CreateMaterial or UpdateMaterial and deleted
// by the caller when no item refers to them any more. Each change
// validates the item (material.Item.Validate) in its transaction, checks
// that its partnership exists (else ErrNotFound) and writes an audit
// entry there.
type Materials interface {
	// Material returns one item, in whatever state.
	Material(ctx context.Context, id int64) (*material.Item, error)
	// MaterialList returns a page of the items f selects, newest
	// published first, and how many f selects in all.
	MaterialList(ctx context.Context, f material.Filter) ([]*material.Item, int, error)
	// CreateMaterial inserts it as a draft, setting its ID, state,
	// version and times.
	CreateMaterial(ctx context.Context, by audit.Actor, it *material.Item) error
	// UpdateMaterial saves what the publisher edits (not the state, not
	// the downloads) if it.Version is the stored version, else
	// ErrConflict. An item stays with its partnership.
	UpdateMaterial(ctx context.Context, by audit.Actor, it *material.Item) error
	// ChangeMaterialState applies e (material.Item.Apply) to the item at
	// version (else ErrConflict) and returns it as saved;
	// material.ErrTransition when its state does not allow e.
	ChangeMaterialState(ctx context.Context, by audit.Actor, id int64, version int, e material.Event, reason string) (*material.Item, error)
	// CountMaterialDownload adds one to a published item's downloads in
	// one atomic statement, so concurrent downloads are all counted, and
	// returns the new count; ErrNotFound for an item that is not
	// published. It writes no audit entry: a download changes nothing
	// anyone decided, and the log would fill with them.
	CountMaterialDownload(ctx context.Context, id int64) (int64, error)
}
