-- Case numbers (issue 10): a case (ärende) has its number, year and
-- sequence, gap-free per year, and every document of the case is numbered
-- within it: 2026/0019-1, 2026/0019-2, … An application is one case from
-- its first submission on, so its resubmissions, decision and reports are
-- documents of the case its first submission opened; a document without
-- an application is a case of its own (document 1).
--
-- Existing rows: every document of an application moves into the case of
-- the application's first registered document, numbered 1, 2, … in the
-- order they were registered; a document without an application becomes
-- document 1 of its own number. Each row keeps the number it had as
-- former_number (former_year, former_seq), which the registry shows and
-- searches. The old numbers of moved documents (a resubmission's
-- 2026/0020) stay taken: a new case is numbered after the highest of the
-- year's case numbers and former numbers, so no number once given out
-- names another case. The application's registration number becomes its
-- case number; snapshots, decisions and reports cite their document's
-- new number. Ledger notes and the audit log keep the text they had.
-- An officer's completion request is registered too, as an outgoing
-- document of the case (kind completion_request).
-- SQLite cannot drop the unique (year, seq), so the table is rebuilt.
CREATE TABLE registry_new (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq > 0),
    doc            INTEGER NOT NULL CHECK (doc > 0),
    number         TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('application', 'completion_request', 'resubmission', 'decision', 'report', 'document')),
    title          TEXT    NOT NULL,
    application_id INTEGER REFERENCES applications (id),
    at             TEXT    NOT NULL,
    confidential   INTEGER NOT NULL DEFAULT 0,
    reason         TEXT    NOT NULL DEFAULT '',
    by_user        INTEGER,
    former_number  TEXT    NOT NULL DEFAULT '',
    former_year    INTEGER,
    former_seq     INTEGER,
    UNIQUE (year, seq, doc)
);
INSERT INTO registry_new (id, year, seq, doc, number, kind, title, application_id, at, confidential, reason, by_user, former_number, former_year, former_seq)
SELECT k.id, COALESCE(f.year, k.year), COALESCE(f.seq, k.seq), k.doc, COALESCE(f.number, k.number) || '-' || k.doc,
       k.kind, k.title, k.application_id, k.at, k.confidential, k.reason, k.by_user, k.number, k.year, k.seq
FROM (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY COALESCE(r.application_id, -r.id) ORDER BY r.id) AS doc FROM registry r) k
LEFT JOIN (SELECT r.application_id, r.year, r.seq, r.number FROM registry r
           WHERE r.application_id IS NOT NULL AND r.id = (SELECT MIN(r2.id) FROM registry r2 WHERE r2.application_id = r.application_id)) f
       ON f.application_id = k.application_id;
DROP TABLE registry;
ALTER TABLE registry_new RENAME TO registry;
CREATE INDEX registry_application ON registry (application_id, doc);
CREATE INDEX registry_former ON registry (former_year, former_seq);

UPDATE applications SET reg_number = (SELECT r.former_number FROM registry r WHERE r.application_id = applications.id AND r.doc = 1)
    WHERE EXISTS (SELECT 1 FROM registry r WHERE r.application_id = applications.id AND r.doc = 1);
UPDATE application_snapshots SET reg_number = (SELECT r.number FROM registry r
        WHERE r.application_id = application_snapshots.application_id AND r.former_number = application_snapshots.reg_number)
    WHERE EXISTS (SELECT 1 FROM registry r WHERE r.application_id = application_snapshots.application_id AND r.former_number = application_snapshots.reg_number);
UPDATE decisions SET reg_number = (SELECT r.number FROM registry r
        WHERE r.application_id = decisions.application_id AND r.former_number = decisions.reg_number)
    WHERE EXISTS (SELECT 1 FROM registry r WHERE r.application_id = decisions.application_id AND r.former_number = decisions.reg_number);
UPDATE reports SET reg_number = (SELECT r.number FROM registry r WHERE r.kind = 'report' AND r.former_number = reports.reg_number)
    WHERE reg_number <> '' AND EXISTS (SELECT 1 FROM registry r WHERE r.kind = 'report' AND r.former_number = reports.reg_number);
