-- Applications, their submitted versions and timeline, reviews, decisions,
-- the diarium (registry) and the outbox mails are queued in. JSON is kept
-- as TEXT; times as fixed-width UTC text, like every other table here.

-- A call's form, lists, assessment and steps, as JSON (call.Config). '{}'
-- for calls saved before calls had one: they read as call.DefaultConfig.
ALTER TABLE calls ADD COLUMN config TEXT NOT NULL DEFAULT '{}';

CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    call_id         INTEGER NOT NULL REFERENCES calls (id),
    partnership_id  INTEGER NOT NULL REFERENCES partnerships (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    state           TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'formal_check', 'completion_requested', 'in_review',
                                                      'ready', 'granted', 'partly_granted', 'rejected', 'withdrawn')),
    answers         TEXT    NOT NULL, -- form.Answers, the working copy
    requested       INTEGER NOT NULL DEFAULT 0 CHECK (requested >= 0), -- öre
    version         INTEGER NOT NULL DEFAULT 1,
    submissions     INTEGER NOT NULL DEFAULT 0,
    created_by      INTEGER, -- the user who started it; NULL for the system
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    submitted_at    TEXT,
    reg_number      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX applications_call ON applications (call_id, state);
CREATE INDEX applications_partnership ON applications (partnership_id);
CREATE INDEX applications_organisation ON applications (organisation_id);

-- A grant decided on an application points to it; one grant per application.
ALTER TABLE grants ADD COLUMN application_id INTEGER REFERENCES applications (id);
CREATE UNIQUE INDEX grants_application ON grants (application_id);

-- The versions an application was submitted as, frozen.
CREATE TABLE application_snapshots (
    application_id INTEGER NOT NULL REFERENCES applications (id),
    number         INTEGER NOT NULL CHECK (number > 0),
    answers        TEXT    NOT NULL,
    requested      INTEGER NOT NULL,
    submitted_at   TEXT    NOT NULL,
    submitted_by   INTEGER,
    reg_number     TEXT    NOT NULL,
    PRIMARY KEY (application_id, number)
);

-- The timeline: every state change, with who, when and a note.
CREATE TABLE application_changes (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    at             TEXT    NOT NULL,
    actor_id       INTEGER,
    actor_name     TEXT    NOT NULL,
    from_state     TEXT    NOT NULL, -- '' when the application was created
    to_state       TEXT    NOT NULL,
    event          TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX application_changes_application ON application_changes (application_id, id);

CREATE TABLE review_assignments (
    application_id INTEGER NOT NULL REFERENCES applications (id),
    reviewer_id    INTEGER NOT NULL REFERENCES users (id),
    assigned_at    TEXT    NOT NULL,
    assigned_by    INTEGER,
    declared       INTEGER NOT NULL DEFAULT 0,
    conflict       INTEGER NOT NULL DEFAULT 0,
    conflict_note  TEXT    NOT NULL DEFAULT '',
    declared_at    TEXT,
    PRIMARY KEY (application_id, reviewer_id)
);
CREATE INDEX review_assignments_reviewer ON review_assignments (reviewer_id);

-- A review belongs to an assignment.
CREATE TABLE reviews (
    application_id INTEGER NOT NULL,
    reviewer_id    INTEGER NOT NULL,
    scores         TEXT    NOT NULL, -- criterion key → score
    comments       TEXT    NOT NULL, -- criterion key → comment
    recommendation TEXT    NOT NULL DEFAULT '',
    comment        TEXT    NOT NULL DEFAULT '',
    submitted_at   TEXT, -- NULL while it is a draft
    updated_at     TEXT    NOT NULL,
    PRIMARY KEY (application_id, reviewer_id),
    FOREIGN KEY (application_id, reviewer_id) REFERENCES review_assignments (application_id, reviewer_id)
);

CREATE TABLE decisions (
    application_id INTEGER PRIMARY KEY REFERENCES applications (id),
    outcome        TEXT    NOT NULL CHECK (outcome IN ('granted', 'partly_granted', 'rejected')),
    amount         INTEGER NOT NULL CHECK (amount >= 0), -- öre
    reason         TEXT    NOT NULL DEFAULT '',
    conditions     TEXT    NOT NULL DEFAULT '',
    decided_by     INTEGER,
    decider_name   TEXT    NOT NULL,
    decided_at     TEXT    NOT NULL,
    reg_number     TEXT    NOT NULL,
    grant_id       INTEGER REFERENCES grants (id)
);

-- The diarium: numbered per year from 1 without gaps, which the unique
-- index guards and the write lock (taken at BEGIN) guarantees.
CREATE TABLE registry (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq > 0),
    number         TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('application', 'resubmission', 'decision', 'report')),
    title          TEXT    NOT NULL,
    application_id INTEGER REFERENCES applications (id),
    at             TEXT    NOT NULL,
    confidential   INTEGER NOT NULL DEFAULT 0,
    reason         TEXT    NOT NULL DEFAULT '',
    by_user        INTEGER,
    UNIQUE (year, seq)
);
CREATE INDEX registry_application ON registry (application_id);

-- Mail waiting to be sent, written in the transaction that causes it.
CREATE TABLE outbox (id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_try TEXT NOT NULL, claimed_until TEXT, sent_at TEXT, last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX outbox_due ON outbox (sent_at, next_try);
