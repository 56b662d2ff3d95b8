-- The same schema as store/sqlite's 0006_activities.sql, in PostgreSQL's
-- own types.

-- Activities a grantee carried out for a grant, with the people reached
-- per target group and the SDG targets they concerned. Target groups and
-- channels are values of the call's lists (calls.config), checked in Go.
CREATE TABLE activities (
    id           BIGSERIAL   PRIMARY KEY,
    grant_id     BIGINT      NOT NULL REFERENCES grants (id),
    held_on      DATE        NOT NULL,
    title        TEXT        NOT NULL,
    target_group TEXT        NOT NULL,
    channel      TEXT        NOT NULL,
    cost         TEXT        NOT NULL DEFAULT '', -- kronor as typed
    cost_ore     BIGINT      NOT NULL DEFAULT 0 CHECK (cost_ore >= 0), -- the same, read, for sums
    evidence_url TEXT        NOT NULL DEFAULT '',
    version      INTEGER     NOT NULL DEFAULT 1,
    created_by   BIGINT      REFERENCES users (id), -- NULL for the system
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX activities_grant ON activities (grant_id, held_on);

-- People reached per target group: only groups reached by someone. The
-- bound is the population of Sweden (activity.MaxReach).
CREATE TABLE activity_reach (
    activity_id  BIGINT  NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    target_group TEXT    NOT NULL,
    people       INTEGER NOT NULL CHECK (people > 0 AND people <= 10600000),
    PRIMARY KEY (activity_id, target_group)
);

CREATE TABLE activity_targets (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    target      TEXT   NOT NULL,
    PRIMARY KEY (activity_id, target)
);
