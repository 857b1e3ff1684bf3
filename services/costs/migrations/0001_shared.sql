-- Sums kept as the rows they sum are written, so that a report reads a few
-- rows however many entries, ROs or claims lie behind it. One row per
-- scope (station, dealer, region, network), period (month '2026-12',
-- quarter '2026-Q4', year '2026', in the OEM's time zone) and measure
-- (e.g. 'ro.count', 'cost.PREMISES.fixed', 'warranty.approved'), in the
-- network's currency's minor units (or a count).
CREATE TABLE tallies (
    scope_level TEXT   NOT NULL CHECK (scope_level IN ('station', 'dealer', 'region', 'network')),
    scope_id    TEXT   NOT NULL,
    period      TEXT   NOT NULL,
    measure     TEXT   NOT NULL,
    amount      BIGINT NOT NULL,
    CONSTRAINT tallies_pkey PRIMARY KEY (scope_level, scope_id, period, measure)
);

-- The spending limit of a dealer, a region or the network for a category
-- and period.
CREATE TABLE budgets (
    scope_level  TEXT   NOT NULL CHECK (scope_level IN ('dealer', 'region', 'network')),
    scope_id     TEXT   NOT NULL,
    category     TEXT   NOT NULL,
    period       TEXT   NOT NULL,
    amount       BIGINT NOT NULL CHECK (amount >= 0),
    revision     BIGINT NOT NULL,
    create_time  BIGINT NOT NULL,
    update_time  BIGINT NOT NULL,
    CONSTRAINT budgets_pkey PRIMARY KEY (scope_level, scope_id, category, period)
);
CREATE INDEX budgets_period ON budgets (period, scope_level, scope_id);

-- Where each station sits, as the dealers service last told (with an RO
-- event, or when asked): what a station's figures are checked against.
CREATE TABLE places (
    station_id TEXT PRIMARY KEY,
    dealer_id  TEXT NOT NULL,
    region_id  TEXT NOT NULL
);
CREATE INDEX places_dealer ON places (dealer_id);
