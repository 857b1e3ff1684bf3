-- Labour operations and maintenance packages, with their published prices.
-- The same conventions as 0001: codes TEXT, times BIGINT microseconds since
-- the epoch, money BIGINT minor units with a TEXT currency code, a version
-- per row as the source of its etag.

CREATE TABLE labour_operations (
    operation_code         TEXT   PRIMARY KEY,
    display_name           TEXT   NOT NULL,
    standard_centihours    BIGINT NOT NULL CHECK (standard_centihours > 0),
    -- NULL when no certification is needed.
    required_certification TEXT,
    version                BIGINT NOT NULL,
    create_time            BIGINT NOT NULL,
    update_time            BIGINT NOT NULL
);

-- The prices of each labour operation, each in force from its effective time
-- until the next one.
CREATE TABLE labour_price_changes (
    operation_code TEXT   NOT NULL REFERENCES labour_operations (operation_code),
    effective_time BIGINT NOT NULL,
    currency_code  TEXT   NOT NULL,
    price_minor    BIGINT NOT NULL CHECK (price_minor >= 0),
    create_time    BIGINT NOT NULL,
    CONSTRAINT labour_price_changes_pkey PRIMARY KEY (operation_code, effective_time)
);

-- One package per model and service interval (months, kilometres; 0 is no
-- limit of that kind, and one of them is above 0).
CREATE TABLE maintenance_packages (
    package_id      TEXT   PRIMARY KEY,
    model_code      TEXT   NOT NULL,
    interval_months BIGINT NOT NULL CHECK (interval_months >= 0),
    interval_km     BIGINT NOT NULL CHECK (interval_km >= 0),
    display_name    TEXT   NOT NULL,
    version         BIGINT NOT NULL,
    create_time     BIGINT NOT NULL,
    update_time     BIGINT NOT NULL,
    CHECK (interval_months > 0 OR interval_km > 0),
    CONSTRAINT maintenance_packages_model_interval UNIQUE (model_code, interval_months, interval_km)
);
CREATE INDEX maintenance_packages_model ON maintenance_packages (model_code, package_id);

-- What each package includes, in the order given; each operation and part
-- at most once per package.
CREATE TABLE package_operations (
    package_id     TEXT   NOT NULL REFERENCES maintenance_packages (package_id),
    position       BIGINT NOT NULL,
    operation_code TEXT   NOT NULL REFERENCES labour_operations (operation_code),
    PRIMARY KEY (package_id, position),
    UNIQUE (package_id, operation_code)
);

CREATE TABLE package_parts (
    package_id  TEXT   NOT NULL REFERENCES maintenance_packages (package_id),
    position    BIGINT NOT NULL,
    part_number TEXT   NOT NULL REFERENCES parts (part_number),
    quantity    BIGINT NOT NULL CHECK (quantity >= 1),
    PRIMARY KEY (package_id, position),
    UNIQUE (package_id, part_number)
);

CREATE TABLE package_price_changes (
    package_id     TEXT   NOT NULL REFERENCES maintenance_packages (package_id),
    effective_time BIGINT NOT NULL,
    currency_code  TEXT   NOT NULL,
    price_minor    BIGINT NOT NULL CHECK (price_minor >= 0),
    create_time    BIGINT NOT NULL,
    CONSTRAINT package_price_changes_pkey PRIMARY KEY (package_id, effective_time)
);
