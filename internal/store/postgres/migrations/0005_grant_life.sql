-- A grant's life after the decision: its ledger in whole öre, the
-- grantee's acceptance of the terms, and change requests.

-- Each movement of a grant's money. A grant's balance is the sum of its
-- entries, replayed through ledger.Sum; the Granted entry is written with
-- the grant's first movement (a grant without one reads as having it).
CREATE TABLE ledger_entries (
    id       BIGSERIAL   PRIMARY KEY,
    grant_id BIGINT      NOT NULL REFERENCES grants (id),
    kind     TEXT        NOT NULL CHECK (kind IN ('granted', 'paid', 'spent', 'to_repay', 'repaid')),
    amount   BIGINT      NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    by_user  BIGINT      REFERENCES users (id),
    note     TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX ledger_entries_grant ON ledger_entries (grant_id, id);
CREATE UNIQUE INDEX ledger_entries_granted_once ON ledger_entries (grant_id) WHERE kind = 'granted';

-- The grantee's acceptance of the terms: once per grant.
CREATE TABLE grant_acceptances (
    grant_id      BIGINT      PRIMARY KEY REFERENCES grants (id),
    accepted_by   BIGINT      REFERENCES users (id),
    accepter_name TEXT        NOT NULL,
    accepted_at   TIMESTAMPTZ NOT NULL
);

-- Requests to change a running grant, and the officer's decision.
CREATE TABLE change_requests (
    id             BIGSERIAL   PRIMARY KEY,
    grant_id       BIGINT      NOT NULL REFERENCES grants (id),
    new_end_date   DATE,
    from_line      TEXT        NOT NULL DEFAULT '',
    to_line        TEXT        NOT NULL DEFAULT '',
    amount         BIGINT      NOT NULL DEFAULT 0 CHECK (amount >= 0),
    reason         TEXT        NOT NULL,
    state          TEXT        NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    requested_by   BIGINT      REFERENCES users (id),
    requester_name TEXT        NOT NULL,
    requested_at   TIMESTAMPTZ NOT NULL,
    decided_by     BIGINT      REFERENCES users (id),
    decider_name   TEXT        NOT NULL DEFAULT '',
    decided_at     TIMESTAMPTZ,
    note           TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX change_requests_grant ON change_requests (grant_id, id);
