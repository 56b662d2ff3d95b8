-- The same change as store/sqlite's 0015_account_tokens.sql.

-- Single-use, expiring links for one's own account (user.AccountToken): a
-- forgotten password's reset ('reset') and the confirmation of a new
-- e-mail address ('email', which names the address in email). Only the
-- token's SHA-256 hash is kept. used_at is set when the link is used, and
-- also when another change voids it (a new password voids every
-- outstanding link of the account).
CREATE TABLE account_tokens (
    id         BIGSERIAL   PRIMARY KEY,
    token_hash BYTEA       NOT NULL UNIQUE,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT        NOT NULL CHECK (purpose IN ('reset', 'email')),
    email      TEXT        NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX account_tokens_user ON account_tokens (user_id);
