-- The baseline and follow-up survey of a grant, and its anonymous answers.
-- A phase takes answers from *_opens (NULL: not opened) until *_closes
-- (NULL: no end set). Questions are JSON (survey.Question), only added to;
-- JSON, not JSONB, keeps the questions' order of keys as written.
CREATE TABLE surveys (
    id               BIGSERIAL   PRIMARY KEY,
    grant_id         BIGINT      NOT NULL UNIQUE REFERENCES grants (id),
    token            TEXT        NOT NULL UNIQUE,
    questions        JSON        NOT NULL,
    baseline_opens   TIMESTAMPTZ,
    baseline_closes  TIMESTAMPTZ,
    follow_up_opens  TIMESTAMPTZ,
    follow_up_closes TIMESTAMPTZ,
    version          INTEGER     NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

-- Responses carry no user and no address: the self-chosen code is the only
-- link between a person's two answers.
CREATE TABLE survey_responses (
    id           BIGSERIAL   PRIMARY KEY,
    survey_id    BIGINT      NOT NULL REFERENCES surveys (id),
    phase        TEXT        NOT NULL CHECK (phase IN ('baseline', 'follow_up')),
    target_group TEXT        NOT NULL,
    code         TEXT        NOT NULL DEFAULT '',
    answers      JSON        NOT NULL,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, id);
