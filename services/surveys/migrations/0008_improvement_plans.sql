-- Improvement plans (docs/improvement-plans.md).
--
-- Per dealer, delivery day (YYYY-MM-DD in the OEM's time zone) and
-- attribute (`item:<code>`, `dimension:<name>`, `factor:<name>`,
-- `service_index`): the number of responses with a value, the sum of their
-- values and the sum of their squares, added to in the transaction that
-- stores each response. The squares are what survey_aggregates does not
-- keep and a 95 % interval of a mean needs. Values are integers: gaps in
-- grid units (1000 to a 1-7 point), factors and the service index 0-1000.
-- Responses stored before this table existed are not in it: their
-- attributes are unknown (counted nowhere), never guessed.
CREATE TABLE survey_attribute_sums (
    dealer_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    day TEXT NOT NULL,
    attribute TEXT NOT NULL,
    n BIGINT NOT NULL,
    value_sum BIGINT NOT NULL,
    square_sum BIGINT NOT NULL,
    PRIMARY KEY (dealer_id, day, attribute)
);

-- The network's sums of a period are read across dealers by day.
CREATE INDEX survey_attribute_sums_day ON survey_attribute_sums (day, attribute);

-- A plan; its attributes (baselines, targets, checks) as a JSON array.
-- Periods as text (`2026-11`, `2026-Q4`, `2026`).
CREATE TABLE improvement_plans (
    id TEXT PRIMARY KEY,
    dealer_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'checked', 'cancelled')),
    attributes TEXT NOT NULL,
    baseline_period TEXT NOT NULL,
    check_period TEXT NOT NULL,
    owner TEXT NOT NULL,
    deadline_time BIGINT NOT NULL,
    -- The end of the check period: the automatic check is due.
    check_due_time BIGINT NOT NULL,
    met BIGINT CHECK (met IN (0, 1)),
    check_time BIGINT,
    checked_by TEXT,
    version BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL
);

-- The check task's scan: open plans by due time.
CREATE INDEX improvement_plans_due ON improvement_plans (state, check_due_time);
CREATE INDEX improvement_plans_dealer ON improvement_plans (dealer_id, create_time);
CREATE INDEX improvement_plans_region ON improvement_plans (region_id, create_time);
