-- Files attached to applications. The table holds what is known about each
-- file; the bytes are in a file store under storage_key: a folder in the
-- data directory, or the blobs table below.
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    field_key      TEXT    NOT NULL, -- the file field of the form it answers
    filename       TEXT    NOT NULL, -- as uploaded
    content_type   TEXT    NOT NULL, -- as detected from the content
    size           INTEGER NOT NULL CHECK (size > 0),
    sha256         TEXT    NOT NULL,
    storage_key    TEXT    NOT NULL UNIQUE,
    uploaded_by    INTEGER REFERENCES users (id), -- NULL for the system
    created_at     TEXT    NOT NULL
);
CREATE INDEX attachments_application ON attachments (application_id);

-- File contents, for the file store kept in the database. The SQLite
-- engine keeps files in a folder instead; the table is here so both
-- engines have the same schema and the database file store can be tested
-- on both.
CREATE TABLE blobs (
    key        TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    created_at TEXT NOT NULL
);
