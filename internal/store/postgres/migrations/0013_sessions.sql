-- Sessions time out when idle (user.SessionIdle) and show their owner
-- where they were opened (user.Session). last_seen_at is written at most
-- once a minute, outside the announced write path (store/session.go).
-- Sessions opened before this migration count as seen when they opened.
ALTER TABLE sessions ADD COLUMN last_seen_at   TIMESTAMPTZ;
ALTER TABLE sessions ADD COLUMN user_agent     TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN client_address TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_seen_at SET NOT NULL;
CREATE INDEX sessions_user ON sessions (user_id);

-- The last sign-in, for administrators; NULL: never.
ALTER TABLE users ADD COLUMN last_login_at TIMESTAMPTZ;
