package store

import (
	"context"
	"fmt"
	"strings"
	"time"

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

const storyColumns = `id, partnership_id, title_sv, body_sv, title_en, body_en, image_key, image_type, image_size, image_alt_sv, image_alt_en,
	state, published_at, COALESCE(hidden_by, 0), hidden_by_name, hidden_at, hidden_reason, hidden_from,
	COALESCE(author_id, 0), author_name, version, created_at, updated_at`

func scanStory(row scanner) (*story.Story, error) {
	var s story.Story
	var im story.Image
	var h story.Hiding
	if err := row.Scan(&s.ID, &s.PartnershipID, &s.TitleSV, &s.BodySV, &s.TitleEN, &s.BodyEN, &im.Key, &im.ContentType, &im.Size, &im.AltSV, &im.AltEN,
		&s.State, instant(&s.PublishedAt), &h.By, &h.ByName, instant(&h.At), &h.Reason, &h.From,
		&s.AuthorID, &s.AuthorName, &s.Version, instant(&s.CreatedAt), instant(&s.UpdatedAt)); err != nil {
		return nil, err
	}
	if im.Key != "" {
		s.Image = &im
	}
	if s.State == story.Hidden {
		s.Hiding = &h
	}
	return &s, nil
}

// storyRow is the stored form of what a change may write.
func storyRow(s *story.Story) (key, ctype string, size int64, altSV, altEN string, published, hiddenAt any, hidden story.Hiding) {
	if im := s.Image; im != nil {
		key, ctype, size, altSV, altEN = im.Key, im.ContentType, im.Size, im.AltSV, im.AltEN
	}
	if !s.PublishedAt.IsZero() {
		published = s.PublishedAt
	}
	if s.Hiding != nil {
		hidden = *s.Hiding
		hiddenAt = hidden.At
	}
	return
}

// sortAt is when a story counts as new: when first published, else when
// created.
func sortAt(s *story.Story) time.Time {
	if !s.PublishedAt.IsZero() {
		return s.PublishedAt
	}
	return s.CreatedAt
}

func (s *DB) readStories(ctx context.Context, db querier, f story.Filter) ([]*story.Story, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "?"
	}
	if f.PartnershipID != 0 {
		where = append(where, "partnership_id = "+arg(f.PartnershipID))
	}
	if f.Goal != 0 {
		where = append(where, "id IN (SELECT story_id FROM story_goals WHERE goal = "+arg(f.Goal)+")")
	}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		in, list := s.d.InText("state", states)
		where = append(where, in)
		args = append(args, list)
	}
	q := `SELECT ` + storyColumns + ` FROM stories`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY sort_at DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	out, err := queryAll(ctx, db, scanStory, q, args...)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	byID := make(map[int64]*story.Story, len(out))
	ids := make([]int64, 0, len(out))
	for _, st := range out {
		byID[st.ID] = st
		ids = append(ids, st.ID)
	}
	in, list := s.d.In("story_id", ids)
	err = eachRow(ctx, db, func(row scanner) error {
		var id int64
		var g int
		if err := row.Scan(&id, &g); err != nil {
			return err
		}
		if st := byID[id]; st != nil {
			st.Goals = append(st.Goals, g)
		}
		return nil
	}, `SELECT story_id, goal FROM story_goals WHERE `+in+` ORDER BY goal`, list)
	return out, err
}

func (s *DB) readStory(ctx context.Context, db querier, id int64) (*story.Story, error) {
	st, err := scanStory(db.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM stories WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err)
	}
	goals, err := queryIDs(ctx, db, `SELECT goal FROM story_goals WHERE story_id = ? ORDER BY goal`, id)
	for _, g := range goals {
		st.Goals = append(st.Goals, int(g))
	}
	return st, err
}

// writeStory writes every column of s but its id, author and creation,
// and replaces its goals.
func writeStory(ctx context.Context, tx *conn, s *story.Story) error {
	key, ctype, size, altSV, altEN, published, hiddenAt, h := storyRow(s)
	_, err := tx.ExecContext(ctx, `UPDATE stories SET title_sv = ?, body_sv = ?, title_en = ?, body_en = ?,
		image_key = ?, image_type = ?, image_size = ?, image_alt_sv = ?, image_alt_en = ?,
		state = ?, published_at = ?, hidden_by = ?, hidden_by_name = ?, hidden_at = ?, hidden_reason = ?, hidden_from = ?,
		version = ?, updated_at = ?, sort_at = ? WHERE id = ?`,
		s.TitleSV, s.BodySV, s.TitleEN, s.BodyEN, key, ctype, size, altSV, altEN,
		string(s.State), published, nullInt(h.By), h.ByName, hiddenAt, h.Reason, string(h.From),
		s.Version, s.UpdatedAt, sortAt(s), s.ID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM story_goals WHERE story_id = ?`, s.ID); err != nil {
		return err
	}
	for _, g := range s.Goals {
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_goals (story_id, goal) VALUES (?, ?)`, s.ID, g); err != nil {
			return err
		}
	}
	return nil
}

// lockStory takes the story's row lock, so two changes of one story (two
// authors saving, an author publishing while an officer hides) run one
// after the other and the second sees the first's version.
func (s *DB) lockStory(ctx context.Context, tx *conn, id int64) error {
	var one int
	return notFound(tx.QueryRowContext(ctx, `SELECT 1 FROM stories WHERE id = ?`+s.d.ForUpdate, id).Scan(&one))
}

// CreateStory inserts s as a draft of its partnership.
func (s *DB) CreateStory(ctx context.Context, by audit.Actor, st *story.Story) error {
	// A new story is a draft, never published, whatever the caller set.
	st.State, st.PublishedAt, st.Hiding = story.Draft, time.Time{}, nil
	st.Normalize()
	err := s.tx(ctx, func(tx *conn) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM partnerships WHERE id = ?`, st.PartnershipID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := st.Validate().Err(); err != nil {
			return err
		}
		now := s.now()
		st.CreatedAt, st.UpdatedAt, st.Version = now, now, 1
		st.AuthorID, st.AuthorName = by.UserID, by.Name
		err := tx.QueryRowContext(ctx, `INSERT INTO stories (partnership_id, author_id, author_name, created_at, updated_at, sort_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			st.PartnershipID, nullInt(by.UserID), by.Name, now, now, now).Scan(&st.ID)
		if err != nil {
			return err
		}
		if err := writeStory(ctx, tx, st); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "story", st.ID, nil, st)
	})
	if err != nil {
		return fmt.Errorf("create story for partnership %d: %w", st.PartnershipID, err)
	}
	return nil
}

// UpdateStory saves what the authors wrote if st.Version is the stored
// version; state, partnership and author stay as stored.
func (s *DB) UpdateStory(ctx context.Context, by audit.Actor, st *story.Story) error {
	st.Normalize()
	err := s.tx(ctx, func(tx *conn) error {
		if err := s.lockStory(ctx, tx, st.ID); err != nil {
			return err
		}
		before, err := s.readStory(ctx, tx, st.ID)
		if err != nil {
			return err
		}
		if before.Version != st.Version {
			return ErrConflict
		}
		st.PartnershipID, st.State, st.PublishedAt, st.Hiding = before.PartnershipID, before.State, before.PublishedAt, before.Hiding
		st.AuthorID, st.AuthorName, st.CreatedAt = before.AuthorID, before.AuthorName, before.CreatedAt
		if err := st.Validate().Err(); err != nil {
			return err
		}
		st.Version, st.UpdatedAt = before.Version+1, s.now()
		if err := writeStory(ctx, tx, st); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "update", "story", st.ID, before, st)
	})
	if err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	return nil
}

// ChangeStoryState applies e to the story id at version (0: any).
func (s *DB) ChangeStoryState(ctx context.Context, by audit.Actor, id int64, version int, e story.Event, reason string) (*story.Story, error) {
	var st *story.Story
	err := s.tx(ctx, func(tx *conn) error {
		if err := s.lockStory(ctx, tx, id); err != nil {
			return err
		}
		before, err := s.readStory(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return ErrConflict
		}
		after := *before // Apply replaces Hiding and the state, never changes what they point to
		now := s.now()
		if err := after.Apply(e, by.UserID, by.Name, reason, now); err != nil {
			return err
		}
		after.Version, after.UpdatedAt = before.Version+1, now
		if err := writeStory(ctx, tx, &after); err != nil {
			return err
		}
		st = &after
		return s.writeAudit(ctx, tx, by, string(e), "story", id, before, &after)
	})
	if err != nil {
		return nil, fmt.Errorf("%s story %d: %w", e, id, err)
	}
	return st, nil
}

// Story returns one story.
func (s *DB) Story(ctx context.Context, id int64) (*story.Story, error) {
	st, err := s.readStory(ctx, s.r, id)
	if err != nil {
		return nil, fmt.Errorf("story %d: %w", id, err)
	}
	return st, nil
}

// StoryList returns the stories f selects, newest first.
func (s *DB) StoryList(ctx context.Context, f story.Filter) ([]*story.Story, error) {
	list, err := s.readStories(ctx, s.r, f)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	return list, nil
}
