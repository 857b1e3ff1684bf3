-- A warranty claim per delivered warranty RO (id 'WC-' and the RO's id).
-- The columns are what lists filter and the duplicate check searches; the
-- lines, checks and state history are read and written with the claim as
-- one whole, as JSON.
CREATE TABLE warranty_claims (
    id                 TEXT   PRIMARY KEY,
    repair_order_id    TEXT   NOT NULL UNIQUE,
    station_id         TEXT   NOT NULL,
    dealer_id          TEXT   NOT NULL,
    region_id          TEXT   NOT NULL,
    vin                TEXT   NOT NULL,
    causal_part_number TEXT   NOT NULL,
    arrival_time       BIGINT NOT NULL,
    state              TEXT   NOT NULL CHECK (state IN ('draft', 'submitted', 'approved',
                                 'partly_approved', 'rejected', 'paid')),
    approval_level     TEXT   NOT NULL CHECK (approval_level IN ('station', 'region', 'head_office')),
    claimed            BIGINT NOT NULL CHECK (claimed >= 0),
    approved           BIGINT CHECK (approved >= 0),
    -- The claim as a whole (lines, checks, history and the rest).
    body               TEXT   NOT NULL,
    version            BIGINT NOT NULL,
    create_time        BIGINT NOT NULL,
    update_time        BIGINT NOT NULL
);
-- Lists: newest first, by dealer, by region, or all.
CREATE INDEX warranty_claims_dealer ON warranty_claims (dealer_id, create_time, id);
CREATE INDEX warranty_claims_region ON warranty_claims (region_id, create_time, id);
CREATE INDEX warranty_claims_time ON warranty_claims (create_time, id);
-- The duplicate check: the same VIN and causal part around an arrival.
CREATE INDEX warranty_claims_vin_part ON warranty_claims (vin, causal_part_number, arrival_time);
