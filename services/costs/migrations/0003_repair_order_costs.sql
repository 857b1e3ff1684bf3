-- What each delivered RO cost and earned, written once per RO from the
-- dealers service's delivered event. Its lines are kept as written (JSON:
-- they are shown, never queried); the sums per station, dealer, region and
-- period live in tallies.
CREATE TABLE repair_order_costs (
    repair_order_id     TEXT    PRIMARY KEY,
    station_id          TEXT    NOT NULL,
    dealer_id           TEXT    NOT NULL,
    region_id           TEXT    NOT NULL,
    order_type          TEXT    NOT NULL,
    comeback            BIGINT  NOT NULL CHECK (comeback IN (0, 1)),
    arrival_time        BIGINT  NOT NULL,
    delivery_time       BIGINT  NOT NULL,
    labour_lines        TEXT    NOT NULL,
    parts_lines         TEXT    NOT NULL,
    labour_cost         BIGINT  NOT NULL,
    parts_cost          BIGINT  NOT NULL,
    bill                BIGINT  NOT NULL,
    labour_rate_missing BIGINT  NOT NULL CHECK (labour_rate_missing IN (0, 1)),
    event_id            TEXT    NOT NULL,
    create_time         BIGINT  NOT NULL
);
-- Lists: newest delivery first, within a station, dealer or region.
CREATE INDEX repair_order_costs_station ON repair_order_costs (station_id, delivery_time);
CREATE INDEX repair_order_costs_dealer ON repair_order_costs (dealer_id, delivery_time);
CREATE INDEX repair_order_costs_region ON repair_order_costs (region_id, delivery_time);
CREATE INDEX repair_order_costs_delivery ON repair_order_costs (delivery_time, repair_order_id);

-- Complaints' approved compensation and goodwill, one row per event (a
-- complaint may be compensated more than once).
CREATE TABLE compensations (
    event_id        TEXT   PRIMARY KEY,
    complaint_id    TEXT   NOT NULL,
    kind            TEXT   NOT NULL CHECK (kind IN ('compensation', 'goodwill')),
    dealer_id       TEXT   NOT NULL,
    region_id       TEXT   NOT NULL,
    station_id      TEXT   NOT NULL,
    repair_order_id TEXT   NOT NULL,
    amount          BIGINT NOT NULL CHECK (amount > 0),
    approve_time    BIGINT NOT NULL,
    approved_by     TEXT   NOT NULL,
    create_time     BIGINT NOT NULL
);
CREATE INDEX compensations_dealer ON compensations (dealer_id);
