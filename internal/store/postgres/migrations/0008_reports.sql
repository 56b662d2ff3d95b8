-- A grant's interim and final reports, its closing, and the jobs that
-- remind grantees of report deadlines. Deadlines are not stored: they
-- follow from the call's rules (calls.config "reports",
-- call.ReportRules.Deadlines).

-- One report of each kind per grant. Lines are JSON (report.Line): the
-- spending per budget line as typed, with explanations.
CREATE TABLE reports (
    id            BIGSERIAL   PRIMARY KEY,
    grant_id      BIGINT      NOT NULL REFERENCES grants (id),
    kind          TEXT        NOT NULL CHECK (kind IN ('interim', 'final')),
    state         TEXT        NOT NULL CHECK (state IN ('draft', 'submitted', 'completion_requested', 'approved')),
    done          TEXT        NOT NULL DEFAULT '',
    results       TEXT        NOT NULL DEFAULT '',
    lessons       TEXT        NOT NULL DEFAULT '',
    lines         TEXT        NOT NULL DEFAULT '[]',
    version       INTEGER     NOT NULL DEFAULT 1,
    submitted_at  TIMESTAMPTZ,
    reg_number    TEXT        NOT NULL DEFAULT '',
    note          TEXT        NOT NULL DEFAULT '', -- the officer's, with a completion request or the approval
    approved_by   BIGINT      REFERENCES users (id),
    approver_name TEXT        NOT NULL DEFAULT '',
    approved_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT reports_grant_kind UNIQUE (grant_id, kind)
);

-- A grant is closed once: its final report approved and its money settled.
CREATE TABLE grant_closures (
    grant_id    BIGINT      PRIMARY KEY REFERENCES grants (id),
    closed_by   BIGINT      REFERENCES users (id),
    closer_name TEXT        NOT NULL,
    closed_at   TIMESTAMPTZ NOT NULL
);

-- Jobs done once: a reminder about a report deadline is claimed by
-- inserting its row (INSERT … ON CONFLICT DO NOTHING), in the transaction
-- that queues its mail, so it is sent once even across restarts and
-- several instances.
CREATE TABLE jobs (
    id          BIGSERIAL   PRIMARY KEY,
    kind        TEXT        NOT NULL, -- 'report_reminder'
    grant_id    BIGINT      NOT NULL REFERENCES grants (id),
    report_kind TEXT        NOT NULL,
    reminder    TEXT        NOT NULL CHECK (reminder IN ('before', 'overdue')),
    done_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT jobs_once UNIQUE (kind, grant_id, report_kind, reminder)
);
