-- Required stock lists per station class, and the class of the station a
-- dealer warehouse serves. Same conventions as 0001.

-- Set exactly when station_id is (checked with the warehouse's owners).
ALTER TABLE warehouses ADD COLUMN station_class TEXT
    CHECK (station_class IN ('full', 'service', 'quick'));

-- What every station of a class must hold: a quantity per part.
CREATE TABLE required_stock (
    station_class TEXT   NOT NULL CHECK (station_class IN ('full', 'service', 'quick')),
    part_number   TEXT   NOT NULL REFERENCES parts (part_number),
    quantity      BIGINT NOT NULL CHECK (quantity >= 1),
    update_time   BIGINT NOT NULL,
    PRIMARY KEY (station_class, part_number)
);
