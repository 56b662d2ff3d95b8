package store

import (
	"context"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/story"
)

// Stories stores the stories written about partnerships. Each change
// validates the story (story.Story.Validate) or applies its event
// (story.Story.Apply) in its transaction and writes an audit entry there.
// The image's bytes are in the file store, written before and deleted
// after by the caller, as for attachments.
type Stories interface {
	// CreateStory inserts s as a draft for s.PartnershipID (ErrNotFound
	// when there is no such partnership), setting its ID, author, version
	// and times.
	CreateStory(ctx context.Context, by audit.Actor, s *story.Story) error
	// UpdateStory saves what the authors wrote (titles, bodies, goals,
	// image) if s.Version is the stored version, else ErrConflict; its
	// state, partnership and author stay as stored (a story never moves).
	UpdateStory(ctx context.Context, by audit.Actor, s *story.Story) error
	// ChangeStoryState applies e (story.Story.Apply) to the story id at
	// version (0: any), with reason for hiding: ErrConflict for a stale
	// version, story.ErrHidden or story.ErrTransition for an event its
	// state refuses, field errors when a story that is not complete is
	// published. It returns the story as saved.
	ChangeStoryState(ctx context.Context, by audit.Actor, id int64, version int, e story.Event, reason string) (*story.Story, error)
	// Story returns one story in any state.
	Story(ctx context.Context, id int64) (*story.Story, error)
	// StoryList returns the stories f selects, newest first: by when they
	// were first published (drafts never published by when they were
	// created), then newest id.
	StoryList(ctx context.Context, f story.Filter) ([]*story.Story, error)
}
