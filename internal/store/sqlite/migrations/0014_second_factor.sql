-- The second factor (user.SecondFactor): a TOTP secret per person, the
-- last time step used (a code of that step or before is refused, so none
-- is used twice), and single-use recovery codes, kept as SHA-256 hashes.
-- The secret itself must stay readable: the server computes the code from
-- it (docs/SECURITY.md says how it is protected).
CREATE TABLE second_factors (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret      TEXT    NOT NULL,
    last_step   INTEGER NOT NULL DEFAULT 0,
    enrolled_at TEXT    NOT NULL
);

CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BLOB    NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- A pending session has passed the password but not the second factor:
-- it reaches no page but the code and enrolment forms, and expires soon
-- (user.PendingSignIn).
ALTER TABLE sessions ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;

-- The demo's own accounts, set by the demo loader: while the database is
-- the demo's, they sign in without a second factor (user.SecondFactorStatus).
ALTER TABLE users ADD COLUMN demo_account INTEGER NOT NULL DEFAULT 0;

-- Officers and administrators signed in before the second factor existed
-- sign in again, and so enrol one.
DELETE FROM sessions WHERE user_id IN (SELECT user_id FROM user_roles WHERE kind IN ('officer', 'admin'));
