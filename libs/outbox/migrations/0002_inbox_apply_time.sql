-- The inbox forgets applied event ids after a while (src/retention.rs):
-- its sweep finds the oldest by apply time.
CREATE INDEX inbox_events_apply_time ON inbox_events (apply_time);
