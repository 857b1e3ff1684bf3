-- The ledger's closed periods (docs/retention.md). The retention sweep
-- moves the movements of a stock row dated before its horizon out of the
-- live ledger into the archive, a short transaction at a time, and keeps
-- what they add up to as the row's opening: a backdated movement replays
-- from the opening, and none may be dated before its `closed_until`. The
-- stock row itself is not touched. Same conventions as 0001.

CREATE TABLE stock_movements_archive (
    warehouse_id    TEXT   NOT NULL,
    part_number     TEXT   NOT NULL,
    sequence        BIGINT NOT NULL,
    kind            TEXT   NOT NULL,
    quantity        BIGINT NOT NULL,
    effective_time  BIGINT NOT NULL,
    booking_time    BIGINT NOT NULL,
    on_hand_after   BIGINT NOT NULL,
    reserved_after  BIGINT NOT NULL,
    reference       TEXT   NOT NULL,
    booked_by       TEXT   NOT NULL,
    repair_order_id TEXT,
    line_number     BIGINT,
    CONSTRAINT stock_movements_archive_pkey PRIMARY KEY (warehouse_id, part_number, sequence)
);
CREATE INDEX stock_movements_archive_repair_order
    ON stock_movements_archive (repair_order_id, booking_time, warehouse_id, part_number, sequence);

-- What the archived movements of a stock row add up to, in time order.
CREATE TABLE stock_openings (
    warehouse_id  TEXT   NOT NULL,
    part_number   TEXT   NOT NULL,
    -- The effective time of the last archived movement: the ledger is
    -- closed before it.
    closed_until  BIGINT NOT NULL,
    on_hand       BIGINT NOT NULL,
    reserved      BIGINT NOT NULL,
    CONSTRAINT stock_openings_pkey PRIMARY KEY (warehouse_id, part_number),
    FOREIGN KEY (warehouse_id, part_number) REFERENCES stock (warehouse_id, part_number)
);

-- The sweep looks for the oldest movements of the whole ledger.
CREATE INDEX stock_movements_effective_time ON stock_movements (effective_time);

-- The whole ledger, live and archived, as the listings read it: archiving
-- changes where a movement is kept, not what a reader sees.
CREATE VIEW stock_ledger AS
    SELECT warehouse_id, part_number, sequence, kind, quantity, effective_time, booking_time,
           on_hand_after, reserved_after, reference, booked_by, repair_order_id, line_number
    FROM stock_movements
    UNION ALL
    SELECT warehouse_id, part_number, sequence, kind, quantity, effective_time, booking_time,
           on_hand_after, reserved_after, reference, booked_by, repair_order_id, line_number
    FROM stock_movements_archive;
