-- Organisations: Swedish municipalities and regions (keyed by SCB code) and
-- partner organisations abroad (no code).
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('municipality', 'region', 'partner')),
    code        TEXT    UNIQUE,
    org_number  TEXT    NOT NULL DEFAULT '',
    name        TEXT    NOT NULL,
    country     TEXT    NOT NULL,
    county      TEXT    NOT NULL DEFAULT '',
    reference   INTEGER NOT NULL DEFAULT 0, -- 1 when loaded from reference data
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    CHECK ((kind = 'partner') = (code IS NULL))
);

CREATE TABLE partnerships (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    theme_sv        TEXT    NOT NULL,
    theme_en        TEXT    NOT NULL DEFAULT '',
    description_sv  TEXT    NOT NULL DEFAULT '',
    description_en  TEXT    NOT NULL DEFAULT '',
    start_date      TEXT    NOT NULL,
    end_date        TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('planned', 'active', 'completed', 'cancelled')),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

CREATE TABLE partnership_members (
    partnership_id  INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    position        INTEGER NOT NULL,
    PRIMARY KEY (partnership_id, organisation_id)
);
CREATE INDEX partnership_members_org ON partnership_members (organisation_id);

CREATE TABLE partnership_goals (
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    goal           INTEGER NOT NULL CHECK (goal BETWEEN 1 AND 17),
    PRIMARY KEY (partnership_id, goal)
);

CREATE TABLE partnership_targets (
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    target         TEXT    NOT NULL,
    PRIMARY KEY (partnership_id, target)
);

CREATE TABLE programmes (
    id              INTEGER PRIMARY KEY,
    name_sv         TEXT    NOT NULL,
    name_en         TEXT    NOT NULL DEFAULT '',
    funder          TEXT    NOT NULL,
    operator        TEXT    NOT NULL,
    currency        TEXT    NOT NULL DEFAULT 'SEK',
    total_budget    INTEGER NOT NULL CHECK (total_budget > 0),
    description_sv  TEXT    NOT NULL DEFAULT '',
    description_en  TEXT    NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

CREATE TABLE calls (
    id            INTEGER PRIMARY KEY,
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    title_sv      TEXT    NOT NULL,
    title_en      TEXT    NOT NULL DEFAULT '',
    opens_at      TEXT    NOT NULL,
    closes_at     TEXT    NOT NULL,
    ceiling       INTEGER NOT NULL CHECK (ceiling > 0),
    max_per_grant INTEGER NOT NULL CHECK (max_per_grant > 0 AND max_per_grant <= ceiling),
    cancelled     INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX calls_programme ON calls (programme_id);

CREATE TABLE grants (
    id              INTEGER PRIMARY KEY,
    call_id         INTEGER NOT NULL REFERENCES calls (id),
    partnership_id  INTEGER NOT NULL REFERENCES partnerships (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    awarded_on      TEXT    NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX grants_call ON grants (call_id);
CREATE INDEX grants_partnership ON grants (partnership_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL DEFAULT '',
    lang          TEXT    NOT NULL DEFAULT 'sv',
    disabled      INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE user_roles (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('admin', 'officer', 'reviewer', 'applicant', 'partner')),
    organisation_id INTEGER REFERENCES organisations (id),
    programme_id    INTEGER REFERENCES programmes (id),
    position        INTEGER NOT NULL
);
CREATE INDEX user_roles_user ON user_roles (user_id);

CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    actor_id   INTEGER,
    actor_name TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    entity     TEXT    NOT NULL,
    entity_id  INTEGER NOT NULL,
    before     TEXT    NOT NULL,
    after      TEXT    NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
