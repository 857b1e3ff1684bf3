-- The parts catalogue. One schema for PostgreSQL and SQLite: part numbers
-- and codes are TEXT, times BIGINT microseconds since the epoch, booleans
-- BIGINT 0/1, money BIGINT minor units with a TEXT currency code. Every part
-- has a version, the source of its etag.

CREATE TABLE parts (
    part_number       TEXT   PRIMARY KEY,
    display_name      TEXT   NOT NULL,
    category          TEXT   NOT NULL,
    warranty_eligible BIGINT NOT NULL CHECK (warranty_eligible IN (0, 1)),
    superseded_by     TEXT   REFERENCES parts (part_number),
    version           BIGINT NOT NULL,
    create_time       BIGINT NOT NULL,
    update_time       BIGINT NOT NULL,
    CHECK (superseded_by IS NULL OR superseded_by <> part_number)
);
CREATE INDEX parts_category ON parts (category, part_number);

-- The prices of each part, each in force from its effective time until the
-- next one. One currency per change.
CREATE TABLE price_changes (
    part_number      TEXT   NOT NULL REFERENCES parts (part_number),
    effective_time   BIGINT NOT NULL,
    currency_code    TEXT   NOT NULL,
    list_price_minor BIGINT NOT NULL CHECK (list_price_minor >= 0),
    cost_minor       BIGINT NOT NULL CHECK (cost_minor >= 0),
    create_time      BIGINT NOT NULL,
    CONSTRAINT price_changes_pkey PRIMARY KEY (part_number, effective_time)
);

-- One row per lock. Changes of supersession take the 'supersession' row
-- first, so that two of them cannot each pass the cycle check and together
-- make a cycle.
CREATE TABLE catalogue_locks (
    name    TEXT   PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO catalogue_locks (name, version) VALUES ('supersession', 0);
