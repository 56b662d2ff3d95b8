-- The same schema as store/sqlite's 0011_stories.sql, in PostgreSQL's
-- own types.

-- Stories grantees and partners write about their partnership
-- (internal/story): a title and a Markdown body in Swedish, English or
-- both ('' for a language it lacks), goal tags, and perhaps one image whose
-- bytes are in the file store under image_key ('' for none).
CREATE TABLE stories (
    id             BIGSERIAL   PRIMARY KEY,
    partnership_id BIGINT      NOT NULL REFERENCES partnerships (id),
    title_sv       TEXT        NOT NULL DEFAULT '',
    body_sv        TEXT        NOT NULL DEFAULT '',
    title_en       TEXT        NOT NULL DEFAULT '',
    body_en        TEXT        NOT NULL DEFAULT '',
    image_key      TEXT        NOT NULL DEFAULT '',
    image_type     TEXT        NOT NULL DEFAULT '',
    image_size     BIGINT      NOT NULL DEFAULT 0 CHECK (image_size >= 0),
    image_alt_sv   TEXT        NOT NULL DEFAULT '',
    image_alt_en   TEXT        NOT NULL DEFAULT '',
    state          TEXT        NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'hidden')),
    published_at   TIMESTAMPTZ,          -- when first published; NULL for never
    -- While hidden: the officer, when, why, and the state to give back.
    hidden_by      BIGINT      REFERENCES users (id),
    hidden_by_name TEXT        NOT NULL DEFAULT '',
    hidden_at      TIMESTAMPTZ,
    hidden_reason  TEXT        NOT NULL DEFAULT '',
    hidden_from    TEXT        NOT NULL DEFAULT '',
    author_id      BIGINT      REFERENCES users (id), -- NULL for the system
    author_name    TEXT        NOT NULL DEFAULT '',
    version        INTEGER     NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    -- Newest first: when published (or, never published, created).
    sort_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX stories_public ON stories (state, sort_at);
CREATE INDEX stories_partnership ON stories (partnership_id, sort_at);

CREATE TABLE story_goals (
    story_id BIGINT  NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    goal     INTEGER NOT NULL CHECK (goal BETWEEN 1 AND 17),
    PRIMARY KEY (story_id, goal)
);
CREATE INDEX story_goals_goal ON story_goals (goal, story_id);
