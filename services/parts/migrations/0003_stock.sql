-- Warehouses, stock, the movement ledger, reservations of repair-order
-- lines and transfers. Same conventions as 0001: TEXT ids, BIGINT times in
-- microseconds, no engine-specific types.

CREATE TABLE warehouses (
    warehouse_id        TEXT   PRIMARY KEY,
    display_name        TEXT   NOT NULL,
    kind                TEXT   NOT NULL CHECK (kind IN ('central', 'regional', 'dealer')),
    region_id           TEXT,
    dealer_id           TEXT,
    station_id          TEXT,
    parent_warehouse_id TEXT   REFERENCES warehouses (warehouse_id),
    lead_time_days      BIGINT NOT NULL CHECK (lead_time_days >= 0),
    create_time         BIGINT NOT NULL,
    -- Who owns it follows from its kind.
    CHECK (
        (kind = 'central' AND region_id IS NULL AND dealer_id IS NULL AND station_id IS NULL
            AND parent_warehouse_id IS NULL)
        OR (kind = 'regional' AND region_id IS NOT NULL AND dealer_id IS NULL AND station_id IS NULL)
        OR (kind = 'dealer' AND region_id IS NOT NULL AND dealer_id IS NOT NULL)
    )
);
CREATE INDEX warehouses_region ON warehouses (region_id, warehouse_id);
CREATE INDEX warehouses_dealer ON warehouses (dealer_id, warehouse_id);
CREATE UNIQUE INDEX warehouses_station ON warehouses (station_id);

-- The stock of a part in a warehouse: the sum of its ledger, kept with it
-- in the same transaction. The CHECKs are the invariant every movement
-- keeps, held by the database whatever the callers do at once.
CREATE TABLE stock (
    warehouse_id  TEXT   NOT NULL REFERENCES warehouses (warehouse_id),
    part_number   TEXT   NOT NULL REFERENCES parts (part_number),
    on_hand       BIGINT NOT NULL,
    reserved      BIGINT NOT NULL,
    inbound       BIGINT NOT NULL CHECK (inbound >= 0),
    backordered   BIGINT NOT NULL CHECK (backordered >= 0),
    -- The sequence number of the last ledger entry.
    last_sequence BIGINT NOT NULL,
    -- The latest effective time in the ledger: a movement dated before it
    -- is backdated and replays what follows.
    last_effective_time BIGINT NOT NULL,
    safety_stock  BIGINT NOT NULL CHECK (safety_stock >= 0),
    reorder_point BIGINT NOT NULL CHECK (reorder_point >= 0),
    min_quantity  BIGINT NOT NULL CHECK (min_quantity >= 0),
    max_quantity  BIGINT NOT NULL CHECK (max_quantity >= min_quantity AND max_quantity >= reorder_point),
    levels_version BIGINT NOT NULL,
    CONSTRAINT stock_pkey PRIMARY KEY (warehouse_id, part_number),
    CONSTRAINT stock_reserved_within_on_hand CHECK (0 <= reserved AND reserved <= on_hand)
);
CREATE INDEX stock_part ON stock (part_number);

-- The append-only ledger: one row per movement, numbered per stock row.
CREATE TABLE stock_movements (
    warehouse_id   TEXT   NOT NULL,
    part_number    TEXT   NOT NULL,
    sequence       BIGINT NOT NULL,
    kind           TEXT   NOT NULL CHECK (kind IN ('receive', 'reserve', 'release', 'issue', 'ship', 'adjust')),
    quantity       BIGINT NOT NULL CHECK (quantity <> 0),
    effective_time BIGINT NOT NULL,
    booking_time   BIGINT NOT NULL,
    on_hand_after  BIGINT NOT NULL,
    reserved_after BIGINT NOT NULL,
    reference      TEXT   NOT NULL,
    booked_by      TEXT   NOT NULL,
    CONSTRAINT stock_movements_pkey PRIMARY KEY (warehouse_id, part_number, sequence),
    FOREIGN KEY (warehouse_id, part_number) REFERENCES stock (warehouse_id, part_number)
);
CREATE INDEX stock_movements_effective ON stock_movements (warehouse_id, part_number, effective_time);

-- The stock set aside for a repair-order line, one per line in the owner's
-- namespace (a dealer, a region, or head office): asking twice for the same
-- line reserves once.
CREATE TABLE reservations (
    owner           TEXT   NOT NULL,
    repair_order_id TEXT   NOT NULL,
    line_number     BIGINT NOT NULL CHECK (line_number > 0),
    warehouse_id    TEXT   NOT NULL,
    part_number     TEXT   NOT NULL,
    quantity        BIGINT NOT NULL CHECK (quantity > 0),
    state           TEXT   NOT NULL CHECK (state IN ('reserved', 'backordered', 'issued', 'released')),
    served_at_once  BIGINT NOT NULL CHECK (served_at_once IN (0, 1)),
    expected_time   BIGINT,
    -- The scope the fill rate is counted in.
    dealer_id       TEXT,
    region_id       TEXT,
    create_time     BIGINT NOT NULL,
    update_time     BIGINT NOT NULL,
    -- The line's place in its warehouse's backorder queue: its time, then
    -- its name, as one sortable text.
    queue_key       TEXT   NOT NULL,
    CONSTRAINT reservations_pkey PRIMARY KEY (owner, repair_order_id, line_number),
    FOREIGN KEY (warehouse_id) REFERENCES warehouses (warehouse_id)
);
-- The backorder queue of a warehouse, oldest first.
CREATE INDEX reservations_queue ON reservations (warehouse_id, state, queue_key);
-- Fill rate per dealer, region and the network by period.
CREATE INDEX reservations_dealer_time ON reservations (dealer_id, create_time, served_at_once);
CREATE INDEX reservations_region_time ON reservations (region_id, create_time, served_at_once);
CREATE INDEX reservations_time ON reservations (create_time, served_at_once);

CREATE TABLE transfers (
    transfer_id       TEXT   PRIMARY KEY,
    from_warehouse_id TEXT   NOT NULL REFERENCES warehouses (warehouse_id),
    to_warehouse_id   TEXT   NOT NULL REFERENCES warehouses (warehouse_id),
    part_number       TEXT   NOT NULL REFERENCES parts (part_number),
    quantity          BIGINT NOT NULL CHECK (quantity > 0),
    state             TEXT   NOT NULL CHECK (state IN ('in_transit', 'received')),
    expected_time     BIGINT NOT NULL,
    ship_time         BIGINT NOT NULL,
    receive_time      BIGINT,
    CHECK (from_warehouse_id <> to_warehouse_id)
);
CREATE INDEX transfers_inbound ON transfers (to_warehouse_id, part_number, state, expected_time);
