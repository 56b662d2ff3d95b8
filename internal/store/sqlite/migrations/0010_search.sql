-- Full-text search over partnerships (package search). The terms are
-- stemmed in Go, identically for both engines, so this table only holds
-- them: one row per partnership, its rowid the partnership's id.
--
-- The "ascii" tokenizer splits on ASCII characters that are not letters or
-- digits and keeps every other character, so a term (letters and digits
-- only) is always exactly one token: å, ä and ö are kept as they are
-- (unicode61 would fold them to a and o by default) and no Unicode version
-- decides what a letter is. analyser is the search.Version the row was
-- written with.
--
-- SQL cannot stem, so this migration does not fill the table: the store
-- indexes every partnership missing here, or written by another analyser
-- version, when it opens (sqlite.Store.reindexSearch).
CREATE VIRTUAL TABLE partnership_search USING fts5(terms, analyser UNINDEXED, tokenize = 'ascii');

CREATE TRIGGER partnership_search_delete AFTER DELETE ON partnerships BEGIN
    DELETE FROM partnership_search WHERE rowid = old.id;
END;
