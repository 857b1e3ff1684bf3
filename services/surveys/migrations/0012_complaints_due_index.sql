-- The complaints waiting on a deadline (due_time is NULL once resolved),
-- by deadline: what the metrics count every few seconds (src/metrics.rs)
-- without a scan of every complaint ever opened.
CREATE INDEX complaints_due ON complaints (due_time) WHERE due_time IS NOT NULL;
