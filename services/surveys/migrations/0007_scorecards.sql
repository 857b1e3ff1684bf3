-- The dealer scorecard's weights and the dealer assessment snapshots.
--
-- Each version of the composite's weights head office sets, effective from
-- its time (version 0, the built-in weights, is not stored). `weights` is
-- JSON: {"satisfaction": 30, "standards": 15, ...}.
CREATE TABLE scorecard_weights (
    version INTEGER PRIMARY KEY,
    weights TEXT NOT NULL,
    -- Microseconds since the epoch.
    effective_time BIGINT NOT NULL,
    set_by TEXT NOT NULL
);

-- Each dealer's scorecard of a period as last refreshed: what the dealer
-- assessment league is built (and rebuilt) from. `period` is its string
-- form (2026-03, 2026-Q1, 2026); `composite` NULL when no weighted part was
-- present; `sample` the dealer's survey responses of the period;
-- `scorecard` the whole scorecard (the protobuf DealerScorecard, base64).
CREATE TABLE dealer_assessments (
    period TEXT NOT NULL,
    dealer_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    composite INTEGER,
    sample BIGINT NOT NULL,
    weights_version INTEGER NOT NULL,
    missing_parts INTEGER NOT NULL,
    refresh_time BIGINT NOT NULL,
    scorecard TEXT NOT NULL,
    PRIMARY KEY (period, dealer_id)
);
