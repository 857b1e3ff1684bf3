-- What the metrics count every few seconds (src/metrics.rs), read from
-- these small partial indexes rather than by a scan of every stock row and
-- every reservation ever made: the stock rows a warehouse plans to hold
-- (safety stock above 0) with nothing available, and the open backorders.
CREATE INDEX stock_outs ON stock (warehouse_id)
    WHERE safety_stock > 0 AND on_hand <= reserved;
CREATE INDEX reservations_backordered ON reservations (warehouse_id, expected_time)
    WHERE state = 'backordered';
