-- The baseline and follow-up survey of a grant, and its anonymous answers.
-- A phase takes answers from *_opens (NULL: not opened) until *_closes
-- (NULL: no end set). Questions are JSON (survey.Question), only added to.
CREATE TABLE surveys (
    id               INTEGER PRIMARY KEY,
    grant_id         INTEGER NOT NULL UNIQUE REFERENCES grants (id),
    token            TEXT    NOT NULL UNIQUE,
    questions        TEXT    NOT NULL,
    baseline_opens   TEXT,
    baseline_closes  TEXT,
    follow_up_opens  TEXT,
    follow_up_closes TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

-- Responses carry no user and no address: the self-chosen code is the only
-- link between a person's two answers.
CREATE TABLE survey_responses (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id),
    phase        TEXT    NOT NULL CHECK (phase IN ('baseline', 'follow_up')),
    target_group TEXT    NOT NULL,
    code         TEXT    NOT NULL DEFAULT '',
    answers      TEXT    NOT NULL,
    at           TEXT    NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, id);
