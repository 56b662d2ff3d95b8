package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/story"
)

const storyColumns = `id, partnership_id, title_sv, body_sv, title_en, body_en, image_key, image_type, image_size, image_alt_sv, image_alt_en,
	state, published_at, COALESCE(hidden_by, 0), hidden_by_name, hidden_at, hidden_reason, hidden_from,
	COALESCE(author_id, 0), author_name, version, created_at, updated_at`

func scanStory(row scanner) (*story.Story, error) {
	var s story.Story
	var im story.Image
	var h story.Hiding
	var published, hiddenAt sql.NullString
	var created, updated string
	if err := row.Scan(&s.ID, &s.PartnershipID, &s.TitleSV, &s.BodySV, &s.TitleEN, &s.BodyEN, &im.Key, &im.ContentType, &im.Size, &im.AltSV, &im.AltEN,
		&s.State, &published, &h.By, &h.ByName, &hiddenAt, &h.Reason, &h.From,
		&s.AuthorID, &s.AuthorName, &s.Version, &created, &updated); err != nil {
		return nil, err
	}
	s.CreatedAt, s.UpdatedAt = parseTS(created), parseTS(updated)
	if published.Valid {
		s.PublishedAt = parseTS(published.String)
	}
	if im.Key != "" {
		s.Image = &im
	}
	if s.State == story.Hidden {
		if hiddenAt.Valid {
			h.At = parseTS(hiddenAt.String)
		}
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
		published = ts(s.PublishedAt)
	}
	if s.Hiding != nil {
		hidden = *s.Hiding
		hiddenAt = ts(hidden.At)
	}
	return
}

// sortAt is when a story counts as new: when first published, else when
// created.
func sortAt(s *story.Story) string {
	if !s.PublishedAt.IsZero() {
		return ts(s.PublishedAt)
	}
	return ts(s.CreatedAt)
}

func readStories(ctx context.Context, db querier, f story.Filter) ([]*story.Story, error) {
	var where []string
	var args []any
	if f.PartnershipID != 0 {
		where, args = append(where, "partnership_id = ?"), append(args, f.PartnershipID)
	}
	if f.Goal != 0 {
		where, args = append(where, "id IN (SELECT story_id FROM story_goals WHERE goal = ?)"), append(args, f.Goal)
	}
	if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	q := `SELECT ` + storyColumns + ` FROM stories`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY sort_at DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*story.Story
	byID := map[int64]*story.Story{}
	for rows.Next() {
		s, err := scanStory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		byID[s.ID] = s
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return nil, nil
	}
	ids := make([]any, 0, len(out))
	for _, s := range out {
		ids = append(ids, s.ID)
	}
	goals, err := db.QueryContext(ctx, `SELECT story_id, goal FROM story_goals WHERE story_id IN (`+placeholders(len(ids))+`) ORDER BY goal`, ids...)
	if err != nil {
		return nil, err
	}
	defer goals.Close()
	for goals.Next() {
		var id int64
		var g int
		if err := goals.Scan(&id, &g); err != nil {
			return nil, err
		}
		if s := byID[id]; s != nil {
			s.Goals = append(s.Goals, g)
		}
	}
	return out, goals.Err()
}

// rowQuerier is a querier that also reads single rows: a *sql.DB or *sql.Tx.
type rowQuerier interface {
	querier
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func readStory(ctx context.Context, db rowQuerier, id int64) (*story.Story, error) {
	s, err := scanStory(db.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM stories WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT goal FROM story_goals WHERE story_id = ? ORDER BY goal`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g int
		if err := rows.Scan(&g); err != nil {
			return nil, err
		}
		s.Goals = append(s.Goals, g)
	}
	return s, rows.Err()
}

// writeStory writes every column of s but its id, author and creation,
// and replaces its goals.
func writeStory(ctx context.Context, tx *sql.Tx, s *story.Story) error {
	key, ctype, size, altSV, altEN, published, hiddenAt, h := storyRow(s)
	_, err := tx.ExecContext(ctx, `UPDATE stories SET title_sv = ?, body_sv = ?, title_en = ?, body_en = ?,
		image_key = ?, image_type = ?, image_size = ?, image_alt_sv = ?, image_alt_en = ?,
		state = ?, published_at = ?, hidden_by = ?, hidden_by_name = ?, hidden_at = ?, hidden_reason = ?, hidden_from = ?,
		version = ?, updated_at = ?, sort_at = ? WHERE id = ?`,
		s.TitleSV, s.BodySV, s.TitleEN, s.BodyEN, key, ctype, size, altSV, altEN,
		string(s.State), published, nullInt(h.By), h.ByName, hiddenAt, h.Reason, string(h.From),
		s.Version, ts(s.UpdatedAt), sortAt(s), s.ID)
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

// CreateStory inserts s as a draft of its partnership.
func (s *Store) CreateStory(ctx context.Context, by audit.Actor, st *story.Story) error {
	// A new story is a draft, never published, whatever the caller set.
	st.State, st.PublishedAt, st.Hiding = story.Draft, time.Time{}, nil
	st.Normalize()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM partnerships WHERE id = ?`, st.PartnershipID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		if err := st.Validate().Err(); err != nil {
			return err
		}
		now := s.clock.Now().UTC()
		st.CreatedAt, st.UpdatedAt, st.Version = now, now, 1
		st.AuthorID, st.AuthorName = by.UserID, by.Name
		res, err := tx.ExecContext(ctx, `INSERT INTO stories (partnership_id, author_id, author_name, created_at, updated_at, sort_at) VALUES (?, ?, ?, ?, ?, ?)`,
			st.PartnershipID, nullInt(by.UserID), by.Name, ts(now), ts(now), ts(now))
		if err != nil {
			return err
		}
		st.ID, _ = res.LastInsertId()
		if err := writeStory(ctx, tx, st); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "story", st.ID, nil, st)
	})
	if err != nil {
		return fmt.Errorf("sqlite: create story for partnership %d: %w", st.PartnershipID, err)
	}
	return nil
}

// UpdateStory saves what the authors wrote if st.Version is the stored
// version; state, partnership and author stay as stored.
func (s *Store) UpdateStory(ctx context.Context, by audit.Actor, st *story.Story) error {
	st.Normalize()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := readStory(ctx, tx, st.ID)
		if err != nil {
			return err
		}
		if before.Version != st.Version {
			return store.ErrConflict
		}
		st.PartnershipID, st.State, st.PublishedAt, st.Hiding = before.PartnershipID, before.State, before.PublishedAt, before.Hiding
		st.AuthorID, st.AuthorName, st.CreatedAt = before.AuthorID, before.AuthorName, before.CreatedAt
		if err := st.Validate().Err(); err != nil {
			return err
		}
		st.Version, st.UpdatedAt = before.Version+1, s.clock.Now().UTC()
		if err := writeStory(ctx, tx, st); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "update", "story", st.ID, before, st)
	})
	if err != nil {
		return fmt.Errorf("sqlite: update story %d: %w", st.ID, err)
	}
	return nil
}

// ChangeStoryState applies e to the story id at version (0: any).
func (s *Store) ChangeStoryState(ctx context.Context, by audit.Actor, id int64, version int, e story.Event, reason string) (*story.Story, error) {
	var st *story.Story
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := readStory(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return store.ErrConflict
		}
		after := *before // Apply replaces Hiding and the state, never changes what they point to
		now := s.clock.Now().UTC()
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
		return nil, fmt.Errorf("sqlite: %s story %d: %w", e, id, err)
	}
	return st, nil
}

// Story returns one story.
func (s *Store) Story(ctx context.Context, id int64) (*story.Story, error) {
	st, err := readStory(ctx, s.r, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: story %d: %w", id, err)
	}
	return st, nil
}

// StoryList returns the stories f selects, newest first.
func (s *Store) StoryList(ctx context.Context, f story.Filter) ([]*story.Story, error) {
	list, err := readStories(ctx, s.r, f)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	return list, nil
}
