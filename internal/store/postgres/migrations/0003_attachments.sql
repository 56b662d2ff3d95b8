-- The same schema as store/sqlite's 0003_attachments.sql, in PostgreSQL's
-- own types.

-- Files attached to applications. The table holds what is known about each
-- file; the bytes are in a file store under storage_key: on PostgreSQL the
-- blobs table below, so that every instance sees every file.
CREATE TABLE attachments (
    id             BIGSERIAL   PRIMARY KEY,
    application_id BIGINT      NOT NULL REFERENCES applications (id),
    field_key      TEXT        NOT NULL, -- the file field of the form it answers
    filename       TEXT        NOT NULL, -- as uploaded
    content_type   TEXT        NOT NULL, -- as detected from the content
    size           BIGINT      NOT NULL CHECK (size > 0),
    sha256         TEXT        NOT NULL,
    storage_key    TEXT        NOT NULL UNIQUE,
    uploaded_by    BIGINT      REFERENCES users (id), -- NULL for the system
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX attachments_application ON attachments (application_id);

-- File contents. The files accepted (PDF, images, Office documents) are
-- compressed already, so STORAGE EXTERNAL keeps them out of line without
-- spending time trying to compress them again.
CREATE TABLE blobs (
    key        TEXT        PRIMARY KEY,
    data       BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL;
