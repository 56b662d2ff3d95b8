-- Retention of personal data (package privacy): when the personal data of
-- a rejected or withdrawn application was removed (NULL: not yet), so the
-- retention job cleans each application once, whichever instance runs it.
ALTER TABLE applications ADD COLUMN personal_removed_at TEXT;
