-- Integer sums of the responses (aggregate::Aggregate) per subject and
-- delivery day (YYYY-MM-DD in the OEM's time zone), added to in the
-- transaction that stores each response. The place columns say where the
-- subject belongs, for the caller's scope: a station's advisor, technician
-- and station rows carry its station, dealer and region; a dealer row its
-- dealer and region; a region row its region.

CREATE TABLE survey_aggregates (
    subject_kind TEXT NOT NULL
        CHECK (subject_kind IN ('advisor', 'technician', 'station', 'dealer', 'region')),
    subject_id TEXT NOT NULL,
    day TEXT NOT NULL,
    station_id TEXT NOT NULL,
    dealer_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    responses BIGINT NOT NULL,
    satisfaction_sum BIGINT NOT NULL,
    satisfaction_n BIGINT NOT NULL,
    promoters BIGINT NOT NULL,
    passives BIGINT NOT NULL,
    detractors BIGINT NOT NULL,
    service_index_sum BIGINT NOT NULL,
    service_index_n BIGINT NOT NULL,
    unweighted_gap_sum BIGINT NOT NULL,
    unweighted_gap_n BIGINT NOT NULL,
    weighted_gap_sum BIGINT NOT NULL,
    weighted_gap_n BIGINT NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, station_id, dealer_id, day)
);

-- Per dimension, the sums of its items' answers on the common grid.
CREATE TABLE survey_aggregate_dimensions (
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    day TEXT NOT NULL,
    station_id TEXT NOT NULL,
    dealer_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    dimension TEXT NOT NULL,
    perception_sum BIGINT NOT NULL,
    expectation_sum BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, station_id, dealer_id, day, dimension)
);
