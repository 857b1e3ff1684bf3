-- The service network. One schema for PostgreSQL and SQLite: ids and codes
-- are TEXT, times BIGINT microseconds since the epoch, dates 'YYYY-MM-DD'
-- TEXT, enums BIGINT. Every table has a version, the source of its etag.

CREATE TABLE regions (
    id           TEXT   PRIMARY KEY,
    display_name TEXT   NOT NULL,
    version      BIGINT NOT NULL,
    create_time  BIGINT NOT NULL,
    update_time  BIGINT NOT NULL
);

CREATE TABLE dealers (
    id           TEXT   PRIMARY KEY,
    region_id    TEXT   NOT NULL REFERENCES regions (id),
    display_name TEXT   NOT NULL,
    code         TEXT   NOT NULL CONSTRAINT dealers_code_key UNIQUE,
    city         TEXT   NOT NULL,
    version      BIGINT NOT NULL,
    create_time  BIGINT NOT NULL,
    update_time  BIGINT NOT NULL
);
CREATE INDEX dealers_region_id ON dealers (region_id, id);

CREATE TABLE stations (
    id             TEXT   PRIMARY KEY,
    dealer_id      TEXT   NOT NULL REFERENCES dealers (id),
    display_name   TEXT   NOT NULL,
    code           TEXT   NOT NULL CONSTRAINT stations_code_key UNIQUE,
    city           TEXT   NOT NULL,
    build_standard BIGINT NOT NULL,
    star_level     BIGINT NOT NULL CHECK (star_level BETWEEN 0 AND 5),
    version        BIGINT NOT NULL,
    create_time    BIGINT NOT NULL,
    update_time    BIGINT NOT NULL
);
CREATE INDEX stations_dealer_id ON stations (dealer_id, id);

CREATE TABLE staff_members (
    id           TEXT   PRIMARY KEY,
    station_id   TEXT   NOT NULL REFERENCES stations (id),
    display_name TEXT   NOT NULL,
    position     BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    create_time  BIGINT NOT NULL,
    update_time  BIGINT NOT NULL
);
CREATE INDEX staff_members_station_id ON staff_members (station_id, id);

CREATE TABLE certifications (
    staff_member_id TEXT NOT NULL REFERENCES staff_members (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    expire_date     TEXT NOT NULL,
    PRIMARY KEY (staff_member_id, kind)
);

CREATE TABLE customers (
    id           TEXT   PRIMARY KEY,
    dealer_id    TEXT   NOT NULL REFERENCES dealers (id),
    display_name TEXT   NOT NULL,
    phone        TEXT,
    email        TEXT,
    advisor_id   TEXT   REFERENCES staff_members (id),
    version      BIGINT NOT NULL,
    create_time  BIGINT NOT NULL,
    update_time  BIGINT NOT NULL
);
CREATE INDEX customers_dealer_id ON customers (dealer_id, id);
CREATE INDEX customers_advisor_id ON customers (advisor_id);

CREATE TABLE vehicles (
    id                  TEXT   PRIMARY KEY,
    vin                 TEXT   NOT NULL CONSTRAINT vehicles_vin_key UNIQUE,
    customer_id         TEXT   NOT NULL REFERENCES customers (id),
    model               TEXT   NOT NULL,
    sale_date           TEXT,
    mileage_km          BIGINT NOT NULL CHECK (mileage_km >= 0),
    warranty_start_date TEXT,
    version             BIGINT NOT NULL,
    create_time         BIGINT NOT NULL,
    update_time         BIGINT NOT NULL
);
CREATE INDEX vehicles_customer_id ON vehicles (customer_id, id);
