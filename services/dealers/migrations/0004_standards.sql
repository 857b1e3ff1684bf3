-- Service standards and their versions. Times are microseconds since the
-- Unix epoch, thresholds microseconds, flags 0/1. A version is never
-- changed once written: compliance is computed from the repair orders'
-- recorded times (0002) against the version each RO was held to, so these
-- rows and those times are all a past figure depends on.

CREATE TABLE service_standards (
    code           TEXT   PRIMARY KEY,
    display_name   TEXT   NOT NULL,
    description    TEXT   NOT NULL,
    from_moment    TEXT   NOT NULL CHECK (from_moment IN
                       ('arrival', 'opened', 'started', 'completed', 'delivered', 'promised', 'called_back')),
    to_moment      TEXT   NOT NULL CHECK (to_moment IN
                       ('arrival', 'opened', 'started', 'completed', 'delivered', 'promised', 'called_back')),
    fast_lane_only BIGINT NOT NULL CHECK (fast_lane_only IN (0, 1)),
    create_time    BIGINT NOT NULL,
    update_time    BIGINT NOT NULL,
    CHECK (from_moment <> to_moment)
);

-- The RO types a standard applies to; none for every type.
CREATE TABLE service_standard_order_types (
    standard_code TEXT NOT NULL REFERENCES service_standards (code),
    order_type    TEXT NOT NULL CHECK (order_type IN ('maintenance', 'repair', 'warranty', 'recall')),
    PRIMARY KEY (standard_code, order_type)
);

CREATE TABLE service_standard_versions (
    standard_code       TEXT   NOT NULL REFERENCES service_standards (code),
    version             BIGINT NOT NULL CHECK (version >= 1),
    effective_time      BIGINT NOT NULL,
    threshold_micros    BIGINT NOT NULL CHECK (threshold_micros >= 0),
    target_basis_points BIGINT NOT NULL CHECK (target_basis_points BETWEEN 1 AND 10000),
    is_key              BIGINT NOT NULL CHECK (is_key IN (0, 1)),
    create_time         BIGINT NOT NULL,
    PRIMARY KEY (standard_code, version)
);

-- The stations piloting a version; a version with none applies to the whole
-- network. A station that pilots a version cannot be deleted (its
-- compliance history depends on it).
CREATE TABLE service_standard_pilots (
    standard_code TEXT   NOT NULL,
    version       BIGINT NOT NULL,
    station_id    TEXT   NOT NULL REFERENCES stations (id),
    PRIMARY KEY (standard_code, version, station_id),
    FOREIGN KEY (standard_code, version) REFERENCES service_standard_versions (standard_code, version)
);
CREATE INDEX service_standard_pilots_station ON service_standard_pilots (station_id);
