-- The repair-order line a movement was booked for (its reservation, release
-- or issue), so that the movements of one RO are read without scanning the
-- ledger: the costs service checks a warranty claim against them.
ALTER TABLE stock_movements ADD COLUMN repair_order_id TEXT;
ALTER TABLE stock_movements ADD COLUMN line_number BIGINT;
-- Movements booked before these columns existed name their line in their
-- reference only; the reservation of that line tells which it is.
UPDATE stock_movements SET
    repair_order_id = (
        SELECT r.repair_order_id FROM reservations r
        WHERE r.warehouse_id = stock_movements.warehouse_id
        AND 'repair order ' || r.repair_order_id || ' line ' || r.line_number = stock_movements.reference
        LIMIT 1),
    line_number = (
        SELECT r.line_number FROM reservations r
        WHERE r.warehouse_id = stock_movements.warehouse_id
        AND 'repair order ' || r.repair_order_id || ' line ' || r.line_number = stock_movements.reference
        LIMIT 1)
WHERE kind IN ('reserve', 'release', 'issue');
CREATE INDEX stock_movements_repair_order
    ON stock_movements (repair_order_id, booking_time, warehouse_id, part_number, sequence);
