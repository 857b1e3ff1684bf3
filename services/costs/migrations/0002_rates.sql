-- A station's labour cost per hour, from an effective time until the next
-- one; station_id '' is the network default.
CREATE TABLE labour_cost_rates (
    station_id     TEXT   NOT NULL,
    effective_time BIGINT NOT NULL,
    hourly_cost    BIGINT NOT NULL CHECK (hourly_cost >= 0),
    create_time    BIGINT NOT NULL,
    CONSTRAINT labour_cost_rates_pkey PRIMARY KEY (station_id, effective_time)
);

-- What the OEM pays per standard hour of warranty work.
CREATE TABLE warranty_labour_rates (
    effective_time BIGINT NOT NULL PRIMARY KEY,
    hourly_rate    BIGINT NOT NULL CHECK (hourly_rate >= 0),
    create_time    BIGINT NOT NULL
);

-- A model's warranty: months from the warranty start or kilometres,
-- whichever first, for vehicles whose warranty starts on or after
-- effective_date ('YYYY-MM-DD').
CREATE TABLE warranty_terms (
    model          TEXT   NOT NULL,
    effective_date TEXT   NOT NULL,
    months         INTEGER NOT NULL CHECK (months BETWEEN 1 AND 240),
    kilometres     BIGINT NOT NULL CHECK (kilometres BETWEEN 1 AND 10000000),
    create_time    BIGINT NOT NULL,
    CONSTRAINT warranty_terms_pkey PRIMARY KEY (model, effective_date)
);
