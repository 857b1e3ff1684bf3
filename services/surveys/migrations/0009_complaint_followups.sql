-- Complaints' follow-ups: payments to the customer, and the customer's link.
-- Times in microseconds since the epoch; amounts in minor units.

-- The complaint's link token, as its SHA-256 (hex): the token itself is
-- answered once, to the opener.
ALTER TABLE complaints ADD COLUMN link_hash TEXT;
CREATE UNIQUE INDEX complaints_link_hash ON complaints (link_hash);

-- The monthly report and the scorecard's corrective actions read closings.
CREATE INDEX complaints_dealer_close ON complaints (dealer_id, close_time);

-- Compensation and goodwill proposed on a complaint, numbered within it.
CREATE TABLE complaint_compensations (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    number BIGINT NOT NULL,
    -- The complaint's, copied: the report sums by dealer and region.
    dealer_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    approval_level TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    propose_time BIGINT NOT NULL,
    decided_by TEXT,
    decide_time BIGINT,
    decision_note TEXT,
    PRIMARY KEY (complaint_id, number)
);

CREATE INDEX complaint_compensations_decided ON complaint_compensations (state, decide_time);
