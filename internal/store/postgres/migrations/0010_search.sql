-- Full-text search over partnerships (package search). The terms are
-- stemmed in Go, identically for both engines, so this table only holds
-- them, as a tsvector built from the ready terms with array_to_tsvector
-- (no text search configuration parses or changes them; it is what the
-- 'simple' configuration would give, without its parser's ideas of what
-- a word is). Queries are tsquery literals ('term':* is a prefix).
--
-- analyser is the search.Version the row was written with; version the
-- partnership's version it was computed from, so a slower transaction
-- never overwrites a newer row with older text.
--
-- SQL cannot stem, so this migration does not fill the table: the store
-- indexes every partnership missing here, or written by another analyser
-- version, when it opens (postgres.Store.reindexSearch).
CREATE TABLE partnership_search (
    partnership_id  BIGINT      PRIMARY KEY REFERENCES partnerships (id) ON DELETE CASCADE,
    analyser        INTEGER     NOT NULL,
    version         INTEGER     NOT NULL,
    terms           TSVECTOR    NOT NULL
);

CREATE INDEX partnership_search_terms ON partnership_search USING GIN (terms);
