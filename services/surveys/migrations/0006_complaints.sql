-- Complaints, their steps, the monthly counters that number them, and the
-- notification feed. Times in microseconds since the epoch.

-- One row per month of openings (`YYYYMM` in the OEM's zone) and one named
-- `notifications`: incremented in the transaction that uses the number, so
-- a rolled-back opening leaves no gap, and two openings never share one
-- (the row lock on PostgreSQL, the single writer on SQLite).
CREATE TABLE complaint_counters (
    name TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE complaints (
    id TEXT PRIMARY KEY,
    dealer_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    station_id TEXT NOT NULL,
    repair_order_id TEXT,
    advisor_id TEXT,
    -- JSON arrays of staff ids and part numbers.
    technician_ids TEXT NOT NULL,
    part_numbers TEXT NOT NULL,
    description TEXT NOT NULL,
    class TEXT NOT NULL,
    cause TEXT NOT NULL,
    severity TEXT NOT NULL,
    source TEXT NOT NULL,
    state TEXT NOT NULL,
    owner_level TEXT NOT NULL,
    -- The survey response that opened it: one complaint per response.
    survey_response_id TEXT UNIQUE,
    response_due_time BIGINT,
    resolution_due_time BIGINT,
    -- The pending deadline (the response's while OPEN, the resolution's while
    -- RESPONDED); NULL once resolved.
    due_time BIGINT,
    -- due_time while an owner above could still take it; what the sweep
    -- scans.
    escalate_time BIGINT,
    first_response TEXT,
    root_cause TEXT,
    corrective_action TEXT,
    confirmation TEXT,
    open_time BIGINT NOT NULL,
    first_response_time BIGINT,
    resolve_time BIGINT,
    close_time BIGINT,
    update_time BIGINT NOT NULL,
    -- Bumped by every change: the etag, and the sweep's compare-and-set.
    revision BIGINT NOT NULL
);

CREATE INDEX complaints_escalate ON complaints (escalate_time);
CREATE INDEX complaints_dealer ON complaints (dealer_id, open_time);
CREATE INDEX complaints_region ON complaints (region_id, open_time);
CREATE INDEX complaints_open_time ON complaints (open_time, id);

CREATE TABLE complaint_steps (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    number BIGINT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    time BIGINT NOT NULL,
    note TEXT NOT NULL,
    owner_level TEXT NOT NULL,
    PRIMARY KEY (complaint_id, number)
);

CREATE TABLE complaint_notifications (
    sequence BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    complaint_id TEXT NOT NULL,
    dealer_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    station_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    owner_level TEXT NOT NULL,
    time BIGINT NOT NULL
);

CREATE INDEX complaint_notifications_dealer ON complaint_notifications (dealer_id, sequence);
CREATE INDEX complaint_notifications_region ON complaint_notifications (region_id, sequence);
