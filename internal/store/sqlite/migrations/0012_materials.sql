-- The material bank (internal/material): what grantees publish for others
-- to reuse, each item from one partnership. An item is a file (its bytes
-- in the file store under file_key) or an https link; '' (and 0) for the
-- one it is not. Kinds, licences, languages and target groups are checked
-- in Go against their lists.
CREATE TABLE materials (
    id                INTEGER PRIMARY KEY,
    partnership_id    INTEGER NOT NULL REFERENCES partnerships (id),
    kind              TEXT    NOT NULL,
    title_sv          TEXT    NOT NULL DEFAULT '',
    title_en          TEXT    NOT NULL DEFAULT '',
    description_sv    TEXT    NOT NULL DEFAULT '',
    description_en    TEXT    NOT NULL DEFAULT '',
    search            TEXT    NOT NULL DEFAULT '', -- the titles in lower case (material.Item.SearchText)
    licence           TEXT    NOT NULL,
    author            TEXT    NOT NULL DEFAULT '',
    link              TEXT    NOT NULL DEFAULT '',
    file_name         TEXT    NOT NULL DEFAULT '',
    file_content_type TEXT    NOT NULL DEFAULT '',
    file_size         INTEGER NOT NULL DEFAULT 0 CHECK (file_size >= 0),
    file_sha256       TEXT    NOT NULL DEFAULT '',
    file_key          TEXT    NOT NULL DEFAULT '',
    state             TEXT    NOT NULL CHECK (state IN ('draft', 'published', 'removed')),
    removed_reason    TEXT    NOT NULL DEFAULT '',
    downloads         INTEGER NOT NULL DEFAULT 0 CHECK (downloads >= 0),
    published_at      TEXT, -- NULL until first published
    version           INTEGER NOT NULL DEFAULT 1,
    created_by        INTEGER REFERENCES users (id), -- NULL for the system
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX materials_public ON materials (state, published_at);
CREATE INDEX materials_partnership ON materials (partnership_id);

CREATE TABLE material_languages (
    material_id INTEGER NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
    language    TEXT    NOT NULL,
    PRIMARY KEY (material_id, language)
);
CREATE INDEX material_languages_language ON material_languages (language);

CREATE TABLE material_target_groups (
    material_id  INTEGER NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
    target_group TEXT    NOT NULL,
    PRIMARY KEY (material_id, target_group)
);
CREATE INDEX material_target_groups_group ON material_target_groups (target_group);

CREATE TABLE material_goals (
    material_id INTEGER NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
    goal        INTEGER NOT NULL CHECK (goal BETWEEN 1 AND 17),
    PRIMARY KEY (material_id, goal)
);
CREATE INDEX material_goals_goal ON material_goals (goal);
