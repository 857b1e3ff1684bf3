-- Facility audits. The conventions of 0001_network.sql (TEXT ids and codes,
-- BIGINT microsecond times, booleans BIGINT 0 or 1), with one difference:
-- checklists and audits cannot change once created, so they carry no etag
-- version. A checklist's `version` is its number among the checklists of its
-- code.

CREATE TABLE audit_checklists (
    id           TEXT   PRIMARY KEY,
    code         TEXT   NOT NULL,
    version      BIGINT NOT NULL CHECK (version >= 1),
    display_name TEXT   NOT NULL,
    create_time  BIGINT NOT NULL,
    CONSTRAINT audit_checklists_code_version_key UNIQUE (code, version)
);

CREATE TABLE audit_checklist_items (
    checklist_id TEXT   NOT NULL REFERENCES audit_checklists (id),
    position     BIGINT NOT NULL,
    code         TEXT   NOT NULL,
    description  TEXT   NOT NULL,
    points       BIGINT NOT NULL CHECK (points BETWEEN 1 AND 100),
    mandatory    BIGINT NOT NULL CHECK (mandatory IN (0, 1)),
    PRIMARY KEY (checklist_id, position),
    CONSTRAINT audit_checklist_items_code_key UNIQUE (checklist_id, code)
);

-- The outcome is stored as scored when the audit was recorded. An audit
-- keeps its station: a station with audits cannot be deleted.
CREATE TABLE facility_audits (
    id                 TEXT   PRIMARY KEY,
    station_id         TEXT   NOT NULL REFERENCES stations (id),
    checklist_id       TEXT   NOT NULL REFERENCES audit_checklists (id),
    audit_time         BIGINT NOT NULL,
    auditor            TEXT   NOT NULL,
    score_basis_points BIGINT NOT NULL CHECK (score_basis_points BETWEEN 0 AND 10000),
    mandatory_failed   BIGINT NOT NULL CHECK (mandatory_failed >= 0),
    star_level         BIGINT NOT NULL CHECK (star_level BETWEEN 0 AND 5),
    create_time        BIGINT NOT NULL
);
-- A station's latest audit, and the newest-first lists.
CREATE INDEX facility_audits_station_time ON facility_audits (station_id, audit_time, id);
CREATE INDEX facility_audits_time ON facility_audits (audit_time, id);

-- One verdict per item of the audit's checklist; `position` is the item's.
CREATE TABLE facility_audit_verdicts (
    audit_id     TEXT   NOT NULL REFERENCES facility_audits (id),
    checklist_id TEXT   NOT NULL,
    item_code    TEXT   NOT NULL,
    position     BIGINT NOT NULL,
    passed       BIGINT NOT NULL CHECK (passed IN (0, 1)),
    note         TEXT,
    PRIMARY KEY (audit_id, item_code),
    FOREIGN KEY (checklist_id, item_code) REFERENCES audit_checklist_items (checklist_id, code)
);
