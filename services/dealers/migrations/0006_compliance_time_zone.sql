-- The time zone whose days the compliance tallies (0005) are counted by.
-- Tallies made before this column were counted by UTC days; the store
-- rebuilds them at start-up when the configured zone (`oem.time_zone`)
-- differs from the one they were made in.
ALTER TABLE compliance_rebuilds ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
