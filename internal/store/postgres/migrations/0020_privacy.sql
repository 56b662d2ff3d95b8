-- Retention of personal data (package privacy): when the personal data of
-- a rejected or withdrawn application was removed (NULL: not yet), so the
-- retention job cleans each application once, whichever instance runs it.
ALTER TABLE applications ADD COLUMN personal_removed_at TIMESTAMPTZ;

-- An erasure blanks the personal part of audit entries to '' (audit.Blank),
-- which is not JSON: the snapshots are kept as the JSON text written, byte
-- for byte, in TEXT (as on SQLite). Nothing queries them as JSON. The
-- audit chain's migration 0019 does the same; after it this is a no-op.
ALTER TABLE audit_log ALTER COLUMN before TYPE TEXT, ALTER COLUMN after TYPE TEXT;
