-- Responses of closed periods (docs/retention.md). The retention sweep
-- moves responses submitted before its horizon, with their items, from the
-- live tables into the archive, a short transaction per batch. The day
-- aggregates (and so the league tables, which read only them) are not
-- touched: they still equal their responses, live and archived together,
-- which is what the readers of responses read.

CREATE TABLE survey_responses_archive (
    id             TEXT   PRIMARY KEY,
    invitation_id  TEXT   NOT NULL UNIQUE,
    channel        TEXT   NOT NULL,
    agent          TEXT,
    answers        TEXT   NOT NULL,
    submit_time    BIGINT NOT NULL,
    service_index  BIGINT,
    unweighted_gap BIGINT,
    weighted_gap   BIGINT,
    top_two_box    BIGINT,
    nps_class      TEXT,
    low_score      BIGINT NOT NULL
);

CREATE TABLE survey_response_items_archive (
    response_id TEXT   NOT NULL,
    position    BIGINT NOT NULL,
    item        TEXT   NOT NULL,
    dimension   TEXT   NOT NULL,
    expectation BIGINT NOT NULL,
    perception  BIGINT NOT NULL,
    PRIMARY KEY (response_id, position)
);

-- The sweep takes the oldest responses first.
CREATE INDEX survey_responses_submit_time ON survey_responses (submit_time);

-- Every response and every item, live or archived, as the readers see
-- them: archiving changes where a response is kept, not what is read.
CREATE VIEW all_survey_responses AS
    SELECT id, invitation_id, channel, agent, answers, submit_time, service_index,
           unweighted_gap, weighted_gap, top_two_box, nps_class, low_score
    FROM survey_responses
    UNION ALL
    SELECT id, invitation_id, channel, agent, answers, submit_time, service_index,
           unweighted_gap, weighted_gap, top_two_box, nps_class, low_score
    FROM survey_responses_archive;

CREATE VIEW all_survey_response_items AS
    SELECT response_id, position, item, dimension, expectation, perception
    FROM survey_response_items
    UNION ALL
    SELECT response_id, position, item, dimension, expectation, perception
    FROM survey_response_items_archive;
