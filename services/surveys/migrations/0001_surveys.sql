-- Survey templates, their published versions, invitations (one per
-- delivered RO) and responses with their scores. Written in the SQL that
-- PostgreSQL and SQLite share: BIGINT and TEXT, times in microseconds since
-- the epoch, flags as 0/1.

CREATE TABLE survey_templates (
    code TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    create_time BIGINT NOT NULL
);

-- A published version never changes: its checked draft is kept as JSON.
CREATE TABLE survey_versions (
    template_code TEXT NOT NULL REFERENCES survey_templates (code),
    number BIGINT NOT NULL CHECK (number >= 1),
    content TEXT NOT NULL,
    publish_time BIGINT NOT NULL,
    PRIMARY KEY (template_code, number)
);

-- The link token is kept only as its SHA-256 (hex); it is minted by
-- IssueSurveyLink and consumed (link_used_time) in the transaction that
-- stores the response. A response, by link or by phone, sets response_id.
CREATE TABLE survey_invitations (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    repair_order_id TEXT NOT NULL UNIQUE,
    station_id TEXT NOT NULL,
    dealer_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    advisor_id TEXT NOT NULL,
    -- JSON array of staff ids, from the RO's labour lines.
    technician_ids TEXT NOT NULL,
    delivery_time BIGINT NOT NULL,
    template_code TEXT,
    version_number BIGINT,
    link_hash TEXT UNIQUE,
    link_expire_time BIGINT,
    link_used_time BIGINT,
    response_id TEXT UNIQUE,
    create_time BIGINT NOT NULL,
    FOREIGN KEY (template_code, version_number) REFERENCES survey_versions (template_code, number)
);

CREATE INDEX survey_invitations_dealer ON survey_invitations (dealer_id, id);
CREATE INDEX survey_invitations_region ON survey_invitations (region_id, id);
CREATE INDEX survey_invitations_station_delivery ON survey_invitations (station_id, delivery_time);

-- One response per invitation (the UNIQUE is the last guard of "stored
-- once"; the claim on the invitation row is the first). The score columns
-- are the response's scores (scoring::score), none when not computable.
CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY,
    invitation_id TEXT NOT NULL UNIQUE REFERENCES survey_invitations (id),
    channel TEXT NOT NULL CHECK (channel IN ('link', 'phone')),
    -- The callback agent's subject for a phone response.
    agent TEXT,
    -- JSON object: question id -> value.
    answers TEXT NOT NULL,
    submit_time BIGINT NOT NULL,
    service_index BIGINT,
    unweighted_gap BIGINT,
    weighted_gap BIGINT,
    top_two_box BIGINT CHECK (top_two_box IN (0, 1)),
    nps_class TEXT CHECK (nps_class IN ('promoter', 'passive', 'detractor')),
    low_score BIGINT NOT NULL CHECK (low_score IN (0, 1))
);

-- Per SERVQUAL item of a response, on the common grid (docs/scoring.md).
CREATE TABLE survey_response_items (
    response_id TEXT NOT NULL REFERENCES survey_responses (id),
    position BIGINT NOT NULL,
    item TEXT NOT NULL,
    dimension TEXT NOT NULL,
    expectation BIGINT NOT NULL,
    perception BIGINT NOT NULL,
    PRIMARY KEY (response_id, position)
);
