-- A station's cost of a month, as entered. Reports never re-sum these: each
-- entry adds to the tallies as it is written.
CREATE TABLE cost_entries (
    id              TEXT   PRIMARY KEY,
    station_id      TEXT   NOT NULL,
    dealer_id       TEXT   NOT NULL,
    region_id       TEXT   NOT NULL,
    month           TEXT   NOT NULL,
    category        TEXT   NOT NULL,
    behaviour       TEXT   NOT NULL CHECK (behaviour IN ('FIXED', 'VARIABLE', 'SEMI_VARIABLE')),
    amount          BIGINT NOT NULL,
    fixed_amount    BIGINT NOT NULL,
    driver_name     TEXT   NOT NULL,
    driver_quantity BIGINT NOT NULL,
    description     TEXT   NOT NULL,
    created_by      TEXT   NOT NULL,
    create_time     BIGINT NOT NULL
);
-- Lists go newest first within a dealer, a region or a station.
CREATE INDEX cost_entries_dealer ON cost_entries (dealer_id, create_time, id);
CREATE INDEX cost_entries_region ON cost_entries (region_id, create_time, id);
CREATE INDEX cost_entries_station ON cost_entries (station_id, create_time, id);
CREATE INDEX cost_entries_time ON cost_entries (create_time, id);

-- The region a budget sits in (a dealer's region, a region's own id, '' for
-- the network): who may read it.
ALTER TABLE budgets ADD COLUMN region_id TEXT NOT NULL DEFAULT '';

-- Whether a category's overrun alert is raised for a scope and period: it
-- is raised once per crossing, and re-armed when the actual is back under.
-- Every change of an actual or budget locks its row first, so that two
-- changes at once cannot both raise.
CREATE TABLE cost_alert_states (
    scope_level TEXT    NOT NULL,
    scope_id    TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    period      TEXT    NOT NULL,
    raised      INTEGER NOT NULL,
    CONSTRAINT cost_alert_states_pkey PRIMARY KEY (scope_level, scope_id, category, period)
);

-- The alerts raised, oldest first: the feed a notifier follows.
CREATE TABLE cost_alerts (
    sequence     BIGINT PRIMARY KEY,
    scope_level  TEXT   NOT NULL,
    scope_id     TEXT   NOT NULL,
    region_id    TEXT   NOT NULL,
    category     TEXT   NOT NULL,
    period       TEXT   NOT NULL,
    budget       BIGINT NOT NULL,
    actual       BIGINT NOT NULL,
    variance_bp  BIGINT NOT NULL,
    threshold_bp BIGINT NOT NULL,
    raise_time   BIGINT NOT NULL
);
CREATE INDEX cost_alerts_region ON cost_alerts (region_id, sequence);
CREATE INDEX cost_alerts_scope ON cost_alerts (scope_level, scope_id, sequence);

-- The last alert's sequence: its one row, locked by each raise, keeps
-- sequences in commit order, so that a follower never skips one.
CREATE TABLE cost_alert_sequence (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last BIGINT  NOT NULL
);
INSERT INTO cost_alert_sequence (id, last) VALUES (1, 0);
