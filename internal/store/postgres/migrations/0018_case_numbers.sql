-- Case numbers (issue 10): a case (ärende) has its number, year and
-- sequence, gap-free per year, and every document of the case is numbered
-- within it: 2026/0019-1, 2026/0019-2, … An application is one case from
-- its first submission on, so its resubmissions, decision and reports are
-- documents of the case its first submission opened; a document without
-- an application is a case of its own (document 1). Numbering holds the
-- advisory lock on the case's year (see registry.go); the unique index on
-- (year, seq, doc) is the backstop.
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
ALTER TABLE registry
    ADD COLUMN doc           INTEGER NOT NULL DEFAULT 1 CHECK (doc > 0),
    ADD COLUMN former_number TEXT    NOT NULL DEFAULT '',
    ADD COLUMN former_year   INTEGER,
    ADD COLUMN former_seq    INTEGER;
ALTER TABLE registry DROP CONSTRAINT registry_year_seq_key;
-- An officer's completion request is registered too, as an outgoing
-- document of the case.
ALTER TABLE registry DROP CONSTRAINT registry_kind_check;
ALTER TABLE registry ADD CONSTRAINT registry_kind_check
    CHECK (kind IN ('application', 'completion_request', 'resubmission', 'decision', 'report', 'document'));
UPDATE registry r
   SET year = COALESCE(f.year, r.year), seq = COALESCE(f.seq, r.seq), doc = k.doc,
       number = COALESCE(f.number, r.number) || '-' || k.doc,
       former_number = r.number, former_year = r.year, former_seq = r.seq
  FROM (SELECT id, application_id, ROW_NUMBER() OVER (PARTITION BY COALESCE(application_id, -id) ORDER BY id) AS doc FROM registry) k
  LEFT JOIN (SELECT DISTINCT ON (application_id) application_id, year, seq, number FROM registry
             WHERE application_id IS NOT NULL ORDER BY application_id, id) f
         ON f.application_id = k.application_id
 WHERE k.id = r.id;
ALTER TABLE registry ALTER COLUMN doc DROP DEFAULT;
ALTER TABLE registry ADD CONSTRAINT registry_case_doc UNIQUE (year, seq, doc);
CREATE INDEX registry_former ON registry (former_year, former_seq);
-- An application's case is its document 1.
DROP INDEX registry_application;
CREATE INDEX registry_application ON registry (application_id, doc);

UPDATE applications a SET reg_number = r.former_number
  FROM registry r WHERE r.application_id = a.id AND r.doc = 1;
UPDATE application_snapshots s SET reg_number = r.number
  FROM registry r WHERE r.application_id = s.application_id AND r.former_number = s.reg_number;
UPDATE decisions d SET reg_number = r.number
  FROM registry r WHERE r.application_id = d.application_id AND r.former_number = d.reg_number;
UPDATE reports p SET reg_number = r.number
  FROM registry r WHERE r.kind = 'report' AND p.reg_number <> '' AND r.former_number = p.reg_number;
