-- Who adds whom (issue 9). One invitation mechanism for everyone:
-- an organisation's colleagues (applicant, partner) as before, and now
-- staff invited by an administrator (officer with an optional programme,
-- reviewer, administrator) and reviewers invited by an officer to one
-- call. A staff invitation names no organisation; the name typed by the
-- sender is offered to the invitee; an invitation can be withdrawn.
-- SQLite cannot change a CHECK constraint, so the table is rebuilt.
CREATE TABLE invites_new (
    id              INTEGER PRIMARY KEY,
    token_hash      BLOB    NOT NULL UNIQUE,
    email           TEXT    NOT NULL,
    organisation_id INTEGER REFERENCES organisations (id),
    role            TEXT    NOT NULL CHECK (role IN ('applicant', 'partner', 'admin', 'officer', 'reviewer')),
    programme_id    INTEGER REFERENCES programmes (id),
    call_id         INTEGER REFERENCES calls (id),
    name            TEXT    NOT NULL DEFAULT '',
    invited_by      INTEGER REFERENCES users (id),
    created_at      TEXT    NOT NULL,
    expires_at      TEXT    NOT NULL,
    accepted_at     TEXT,
    withdrawn_at    TEXT,
    CHECK ((role IN ('applicant', 'partner')) = (organisation_id IS NOT NULL))
);
INSERT INTO invites_new (id, token_hash, email, organisation_id, role, invited_by, created_at, expires_at, accepted_at)
    SELECT id, token_hash, email, organisation_id, role, invited_by, created_at, expires_at, accepted_at FROM invites;
DROP TABLE invites;
ALTER TABLE invites_new RENAME TO invites;
CREATE INDEX invites_sender ON invites (invited_by, created_at);

-- Whether an organisation's own people may invite and remove colleagues
-- (administrators set it; on by default).
ALTER TABLE organisations ADD COLUMN members_manage INTEGER NOT NULL DEFAULT 1;

-- The reviewers of a call: officers choose among them when they assign
-- an application. Reviewers already assigned in a call become its
-- reviewers.
CREATE TABLE call_reviewers (
    call_id  INTEGER NOT NULL REFERENCES calls (id),
    user_id  INTEGER NOT NULL REFERENCES users (id),
    added_at TEXT    NOT NULL,
    PRIMARY KEY (call_id, user_id)
);
CREATE INDEX call_reviewers_user ON call_reviewers (user_id);
INSERT INTO call_reviewers (call_id, user_id, added_at)
    SELECT a.call_id, ra.reviewer_id, MIN(ra.assigned_at)
    FROM review_assignments ra JOIN applications a ON a.id = ra.application_id
    GROUP BY a.call_id, ra.reviewer_id;
