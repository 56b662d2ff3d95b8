-- Invitations of colleagues to an organisation: single use, expiring.
CREATE TABLE invites (
    id              BIGSERIAL   PRIMARY KEY,
    token_hash      BYTEA       NOT NULL UNIQUE,
    email           TEXT        NOT NULL,
    organisation_id BIGINT      NOT NULL REFERENCES organisations (id),
    role            TEXT        NOT NULL CHECK (role IN ('applicant', 'partner')),
    invited_by      BIGINT      REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    accepted_at     TIMESTAMPTZ
);
