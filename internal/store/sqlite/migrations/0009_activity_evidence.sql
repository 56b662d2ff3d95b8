-- Evidence as an uploaded file (activity.EvidenceFile): its bytes are in
-- the file store under evidence_key; '' (and 0) for an activity without a
-- file.
ALTER TABLE activities ADD COLUMN evidence_filename TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN evidence_content_type TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN evidence_size INTEGER NOT NULL DEFAULT 0 CHECK (evidence_size >= 0);
ALTER TABLE activities ADD COLUMN evidence_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN evidence_key TEXT NOT NULL DEFAULT '';
