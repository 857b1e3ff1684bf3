-- What is kept of each RO's standing against the service standards, so that
-- a compliance report sums a few rows per station and day instead of
-- judging every RO of the period again. Written in the transaction that
-- records an RO's moments; derived from `repair_orders` (0002) and the
-- standards (0004) alone, and rebuilt from them by the store.

-- The ROs of a station opened on a day (UTC, days since the Unix epoch)
-- that met or missed a version of a standard, decided for good. A busy
-- station's day is spread over a few rows (`shard`, chosen by RO) so that
-- ROs moving at once do not all wait on one row's lock; a report sums them.
CREATE TABLE compliance_tallies (
    station_id    TEXT   NOT NULL,
    dealer_id     TEXT   NOT NULL,
    open_day      BIGINT NOT NULL,
    standard_code TEXT   NOT NULL,
    version       BIGINT NOT NULL,
    shard         BIGINT NOT NULL,
    met           BIGINT NOT NULL CHECK (met >= 0),
    missed        BIGINT NOT NULL CHECK (missed >= 0),
    PRIMARY KEY (station_id, open_day, standard_code, version, shard)
);
CREATE INDEX compliance_tallies_dealer ON compliance_tallies (dealer_id, open_day);

-- The ROs whose second moment is still awaited: met if it comes by the
-- deadline, missed once the deadline has passed without it.
CREATE TABLE compliance_open (
    repair_order_id TEXT   NOT NULL,
    standard_code   TEXT   NOT NULL,
    version         BIGINT NOT NULL,
    station_id      TEXT   NOT NULL,
    dealer_id       TEXT   NOT NULL,
    open_time       BIGINT NOT NULL,
    deadline        BIGINT NOT NULL,
    PRIMARY KEY (repair_order_id, standard_code)
);
CREATE INDEX compliance_open_station ON compliance_open (station_id, open_time);
CREATE INDEX compliance_open_dealer ON compliance_open (dealer_id, open_time);

-- When the tallies were last rebuilt from the ROs; none yet means the
-- store rebuilds them before serving (a database that had ROs before this
-- migration).
CREATE TABLE compliance_rebuilds (
    rebuild_time BIGINT NOT NULL,
    repair_orders BIGINT NOT NULL
);
