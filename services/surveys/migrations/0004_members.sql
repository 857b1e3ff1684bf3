-- The display names of the dealers and stations the surveys service has
-- heard of, from the delivered-RO events of the dealers service: the league
-- tables show them beside the ids. A name is replaced by the one an event
-- of a later delivery carries, so that a redelivered old event does not
-- bring back a name since changed.
CREATE TABLE survey_members (
    kind TEXT NOT NULL CHECK (kind IN ('dealer', 'station')),
    id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    -- The delivery time (microseconds since the epoch) of the RO whose
    -- event named it.
    named_time BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
