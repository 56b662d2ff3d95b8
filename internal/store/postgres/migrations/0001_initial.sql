-- The same schema as store/sqlite's 0001_initial.sql, in PostgreSQL's own
-- types: instants are TIMESTAMPTZ, dates DATE, flags BOOLEAN, token hashes
-- BYTEA. Money stays BIGINT öre, as in every other table of the system.

-- Organisations: Swedish municipalities and regions (keyed by SCB code) and
-- partner organisations abroad (no code).
CREATE TABLE organisations (
    id          BIGSERIAL   PRIMARY KEY,
    kind        TEXT        NOT NULL CHECK (kind IN ('municipality', 'region', 'partner')),
    code        TEXT        CONSTRAINT organisations_code_key UNIQUE,
    org_number  TEXT        NOT NULL DEFAULT '',
    name        TEXT        NOT NULL,
    country     TEXT        NOT NULL,
    county      TEXT        NOT NULL DEFAULT '',
    reference   BOOLEAN     NOT NULL DEFAULT FALSE, -- true when loaded from reference data
    version     INTEGER     NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'partner') = (code IS NULL))
);

CREATE TABLE partnerships (
    id              BIGSERIAL   PRIMARY KEY,
    name            TEXT        NOT NULL,
    theme_sv        TEXT        NOT NULL,
    theme_en        TEXT        NOT NULL DEFAULT '',
    description_sv  TEXT        NOT NULL DEFAULT '',
    description_en  TEXT        NOT NULL DEFAULT '',
    start_date      DATE        NOT NULL,
    end_date        DATE,
    status          TEXT        NOT NULL CHECK (status IN ('planned', 'active', 'completed', 'cancelled')),
    version         INTEGER     NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE partnership_members (
    partnership_id  BIGINT  NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    organisation_id BIGINT  NOT NULL REFERENCES organisations (id),
    position        INTEGER NOT NULL,
    PRIMARY KEY (partnership_id, organisation_id)
);
CREATE INDEX partnership_members_org ON partnership_members (organisation_id);

CREATE TABLE partnership_goals (
    partnership_id BIGINT  NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    goal           INTEGER NOT NULL CHECK (goal BETWEEN 1 AND 17),
    PRIMARY KEY (partnership_id, goal)
);

CREATE TABLE partnership_targets (
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    target         TEXT   NOT NULL,
    PRIMARY KEY (partnership_id, target)
);

CREATE TABLE programmes (
    id              BIGSERIAL   PRIMARY KEY,
    name_sv         TEXT        NOT NULL,
    name_en         TEXT        NOT NULL DEFAULT '',
    funder          TEXT        NOT NULL,
    operator        TEXT        NOT NULL,
    currency        TEXT        NOT NULL DEFAULT 'SEK',
    total_budget    BIGINT      NOT NULL CHECK (total_budget > 0),
    description_sv  TEXT        NOT NULL DEFAULT '',
    description_en  TEXT        NOT NULL DEFAULT '',
    version         INTEGER     NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE calls (
    id            BIGSERIAL   PRIMARY KEY,
    programme_id  BIGINT      NOT NULL REFERENCES programmes (id),
    title_sv      TEXT        NOT NULL,
    title_en      TEXT        NOT NULL DEFAULT '',
    opens_at      TIMESTAMPTZ NOT NULL,
    closes_at     TIMESTAMPTZ NOT NULL,
    ceiling       BIGINT      NOT NULL CHECK (ceiling > 0),
    max_per_grant BIGINT      NOT NULL CHECK (max_per_grant > 0 AND max_per_grant <= ceiling),
    cancelled     BOOLEAN     NOT NULL DEFAULT FALSE,
    version       INTEGER     NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX calls_programme ON calls (programme_id);

CREATE TABLE grants (
    id              BIGSERIAL   PRIMARY KEY,
    call_id         BIGINT      NOT NULL REFERENCES calls (id),
    partnership_id  BIGINT      NOT NULL REFERENCES partnerships (id),
    organisation_id BIGINT      NOT NULL REFERENCES organisations (id),
    amount          BIGINT      NOT NULL CHECK (amount > 0),
    awarded_on      DATE        NOT NULL,
    version         INTEGER     NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX grants_call ON grants (call_id);
CREATE INDEX grants_partnership ON grants (partnership_id);

CREATE TABLE users (
    id            BIGSERIAL   PRIMARY KEY,
    email         TEXT        NOT NULL CONSTRAINT users_email_key UNIQUE,
    name          TEXT        NOT NULL,
    password_hash TEXT        NOT NULL DEFAULT '',
    lang          TEXT        NOT NULL DEFAULT 'sv',
    disabled      BOOLEAN     NOT NULL DEFAULT FALSE,
    version       INTEGER     NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_roles (
    user_id         BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('admin', 'officer', 'reviewer', 'applicant', 'partner')),
    organisation_id BIGINT  REFERENCES organisations (id),
    programme_id    BIGINT  REFERENCES programmes (id),
    position        INTEGER NOT NULL
);
CREATE INDEX user_roles_user ON user_roles (user_id);

CREATE TABLE sessions (
    token_hash BYTEA       PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- before and after are JSON, not JSONB: JSONB re-orders keys and drops
-- whitespace, and the log must give back the snapshot exactly as written.
CREATE TABLE audit_log (
    id         BIGSERIAL   PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor_id   BIGINT,
    actor_name TEXT        NOT NULL,
    action     TEXT        NOT NULL,
    entity     TEXT        NOT NULL,
    entity_id  BIGINT      NOT NULL,
    before     JSON        NOT NULL,
    after      JSON        NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
