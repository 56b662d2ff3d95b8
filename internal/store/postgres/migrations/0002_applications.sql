-- The same schema as store/sqlite's 0002_applications.sql, in PostgreSQL's
-- own types. JSON columns are JSONB: nothing needs them back byte for
-- byte (unlike the audit log), and JSONB is checked once when written.

-- A call's form, lists, assessment and steps (call.Config). '{}' for calls
-- saved before calls had one: they read as call.DefaultConfig.
ALTER TABLE calls ADD COLUMN config JSONB NOT NULL DEFAULT '{}';

CREATE TABLE applications (
    id              BIGSERIAL   PRIMARY KEY,
    call_id         BIGINT      NOT NULL REFERENCES calls (id),
    partnership_id  BIGINT      NOT NULL REFERENCES partnerships (id),
    organisation_id BIGINT      NOT NULL REFERENCES organisations (id),
    state           TEXT        NOT NULL CHECK (state IN ('draft', 'submitted', 'formal_check', 'completion_requested', 'in_review',
                                                          'ready', 'granted', 'partly_granted', 'rejected', 'withdrawn')),
    answers         JSONB       NOT NULL, -- form.Answers, the working copy
    requested       BIGINT      NOT NULL DEFAULT 0 CHECK (requested >= 0), -- öre
    version         INTEGER     NOT NULL DEFAULT 1,
    submissions     INTEGER     NOT NULL DEFAULT 0,
    created_by      BIGINT, -- the user who started it; NULL for the system
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    submitted_at    TIMESTAMPTZ,
    reg_number      TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX applications_call ON applications (call_id, state);
CREATE INDEX applications_partnership ON applications (partnership_id);
CREATE INDEX applications_organisation ON applications (organisation_id);

-- A grant decided on an application points to it; one grant per application.
ALTER TABLE grants ADD COLUMN application_id BIGINT REFERENCES applications (id);
CREATE UNIQUE INDEX grants_application ON grants (application_id);

-- The versions an application was submitted as, frozen.
CREATE TABLE application_snapshots (
    application_id BIGINT      NOT NULL REFERENCES applications (id),
    number         INTEGER     NOT NULL CHECK (number > 0),
    answers        JSONB       NOT NULL,
    requested      BIGINT      NOT NULL,
    submitted_at   TIMESTAMPTZ NOT NULL,
    submitted_by   BIGINT,
    reg_number     TEXT        NOT NULL,
    PRIMARY KEY (application_id, number)
);

-- The timeline: every state change, with who, when and a note.
CREATE TABLE application_changes (
    id             BIGSERIAL   PRIMARY KEY,
    application_id BIGINT      NOT NULL REFERENCES applications (id),
    at             TIMESTAMPTZ NOT NULL,
    actor_id       BIGINT,
    actor_name     TEXT        NOT NULL,
    from_state     TEXT        NOT NULL, -- '' when the application was created
    to_state       TEXT        NOT NULL,
    event          TEXT        NOT NULL,
    note           TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX application_changes_application ON application_changes (application_id, id);

CREATE TABLE review_assignments (
    application_id BIGINT      NOT NULL REFERENCES applications (id),
    reviewer_id    BIGINT      NOT NULL REFERENCES users (id),
    assigned_at    TIMESTAMPTZ NOT NULL,
    assigned_by    BIGINT,
    declared       BOOLEAN     NOT NULL DEFAULT FALSE,
    conflict       BOOLEAN     NOT NULL DEFAULT FALSE,
    conflict_note  TEXT        NOT NULL DEFAULT '',
    declared_at    TIMESTAMPTZ,
    PRIMARY KEY (application_id, reviewer_id)
);
CREATE INDEX review_assignments_reviewer ON review_assignments (reviewer_id);

-- A review belongs to an assignment.
CREATE TABLE reviews (
    application_id BIGINT      NOT NULL,
    reviewer_id    BIGINT      NOT NULL,
    scores         JSONB       NOT NULL, -- criterion key → score
    comments       JSONB       NOT NULL, -- criterion key → comment
    recommendation TEXT        NOT NULL DEFAULT '',
    comment        TEXT        NOT NULL DEFAULT '',
    submitted_at   TIMESTAMPTZ, -- NULL while it is a draft
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (application_id, reviewer_id),
    FOREIGN KEY (application_id, reviewer_id) REFERENCES review_assignments (application_id, reviewer_id)
);

CREATE TABLE decisions (
    application_id BIGINT      PRIMARY KEY REFERENCES applications (id),
    outcome        TEXT        NOT NULL CHECK (outcome IN ('granted', 'partly_granted', 'rejected')),
    amount         BIGINT      NOT NULL CHECK (amount >= 0), -- öre
    reason         TEXT        NOT NULL DEFAULT '',
    conditions     TEXT        NOT NULL DEFAULT '',
    decided_by     BIGINT,
    decider_name   TEXT        NOT NULL,
    decided_at     TIMESTAMPTZ NOT NULL,
    reg_number     TEXT        NOT NULL,
    grant_id       BIGINT      REFERENCES grants (id)
);

-- The diarium: numbered per year from 1 without gaps. Numbering holds an
-- advisory lock on the year (see registry.go); the unique index is the
-- backstop.
CREATE TABLE registry (
    id             BIGSERIAL   PRIMARY KEY,
    year           INTEGER     NOT NULL,
    seq            INTEGER     NOT NULL CHECK (seq > 0),
    number         TEXT        NOT NULL,
    kind           TEXT        NOT NULL CHECK (kind IN ('application', 'resubmission', 'decision', 'report')),
    title          TEXT        NOT NULL,
    application_id BIGINT      REFERENCES applications (id),
    at             TIMESTAMPTZ NOT NULL,
    confidential   BOOLEAN     NOT NULL DEFAULT FALSE,
    reason         TEXT        NOT NULL DEFAULT '',
    by_user        BIGINT,
    UNIQUE (year, seq)
);
CREATE INDEX registry_application ON registry (application_id);

-- Mail waiting to be sent, written in the transaction that causes it.
CREATE TABLE outbox (
    id            BIGSERIAL   PRIMARY KEY,
    recipient     TEXT        NOT NULL,
    subject       TEXT        NOT NULL,
    body          TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    attempts      INTEGER     NOT NULL DEFAULT 0,
    next_try      TIMESTAMPTZ NOT NULL,
    claimed_until TIMESTAMPTZ,
    sent_at       TIMESTAMPTZ,
    last_error    TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (sent_at, next_try);
