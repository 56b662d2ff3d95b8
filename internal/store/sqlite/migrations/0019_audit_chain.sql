-- The audit log becomes a hash chain (internal/audit/chain.go,
-- docs/SECURITY.md): digest is the hex SHA-256 of the entry's personal
-- part (actor name, before, after), chain_seq its position in the chain
-- and chain_hash its chain hash. On SQLite, whose writers take turns, the
-- store chains each entry as it inserts it (chain_seq = id); the entries
-- already here get their digests and hashes from the store right after
-- this migration (store.DB.chainOld), since SQLite cannot hash in SQL.
ALTER TABLE audit_log ADD COLUMN digest TEXT;
ALTER TABLE audit_log ADD COLUMN chain_seq INTEGER;
ALTER TABLE audit_log ADD COLUMN chain_hash TEXT;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain_seq);

-- Append-only: no entry is deleted, and an update may only fill in what
-- is still empty (digest, chain position and hash: chaining) or blank the
-- personal part (erasure: actor name, before and after all ''), nothing else.
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.action IS NOT OLD.action OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id
  OR (OLD.digest IS NOT NULL AND NEW.digest IS NOT OLD.digest)
  OR (OLD.chain_seq IS NOT NULL AND NEW.chain_seq IS NOT OLD.chain_seq)
  OR (OLD.chain_hash IS NOT NULL AND NEW.chain_hash IS NOT OLD.chain_hash)
  OR ((NEW.actor_name IS NOT OLD.actor_name OR NEW.before IS NOT OLD.before OR NEW.after IS NOT OLD.after)
      AND (NEW.actor_name <> '' OR NEW.before <> '' OR NEW.after <> ''))
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: only chaining and erasure may change an entry');
END;
