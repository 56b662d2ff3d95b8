-- Invitations of colleagues to an organisation: single use, expiring.
CREATE TABLE invites (
    id              INTEGER PRIMARY KEY,
    token_hash      BLOB    NOT NULL UNIQUE,
    email           TEXT    NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    role            TEXT    NOT NULL CHECK (role IN ('applicant', 'partner')),
    invited_by      INTEGER REFERENCES users (id),
    created_at      TEXT    NOT NULL,
    expires_at      TEXT    NOT NULL,
    accepted_at     TEXT
);
