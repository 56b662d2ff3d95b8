-- The audit log becomes a hash chain (internal/audit/chain.go,
-- docs/SECURITY.md): digest is the hex SHA-256 of the entry's personal
-- part (actor name, before, after), written with the entry; chain_seq is
-- its position in the chain and chain_hash its chain hash, both NULL
-- until the sealer chains it shortly after commit (store.DB.SealAudit):
-- ids are handed out before commit and commit out of order, and chaining
-- at insert would make every write wait for the one before it. The
-- entries already here get their digests from the store right after this
-- migration (store.DB.chainOld) and are sealed like new ones.
--
-- before and after become TEXT: an erased entry holds '' in them, which
-- is not JSON; TEXT keeps the snapshots byte for byte as JSON did.
ALTER TABLE audit_log
    ALTER COLUMN before TYPE TEXT,
    ALTER COLUMN after TYPE TEXT,
    ADD COLUMN digest TEXT,
    ADD COLUMN chain_seq BIGINT,
    ADD COLUMN chain_hash TEXT;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain_seq);
-- The sealer's next batch: entries not yet sealed, in id order.
CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE chain_hash IS NULL;

-- Append-only: no entry is deleted, and an update may only fill in what
-- is still empty (digest, chain position and hash: sealing) or blank the
-- personal part (erasure: actor name, before and after all ''), nothing else.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.at IS DISTINCT FROM OLD.at OR NEW.actor_id IS DISTINCT FROM OLD.actor_id
       OR NEW.action IS DISTINCT FROM OLD.action OR NEW.entity IS DISTINCT FROM OLD.entity OR NEW.entity_id IS DISTINCT FROM OLD.entity_id
       OR (OLD.digest IS NOT NULL AND NEW.digest IS DISTINCT FROM OLD.digest)
       OR (OLD.chain_seq IS NOT NULL AND NEW.chain_seq IS DISTINCT FROM OLD.chain_seq)
       OR (OLD.chain_hash IS NOT NULL AND NEW.chain_hash IS DISTINCT FROM OLD.chain_hash)
       OR ((NEW.actor_name, NEW.before, NEW.after) IS DISTINCT FROM (OLD.actor_name, OLD.before, OLD.after)
           AND (NEW.actor_name <> '' OR NEW.before <> '' OR NEW.after <> ''))
    THEN
        RAISE EXCEPTION 'audit_log is append-only: only sealing and erasure may change an entry';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
