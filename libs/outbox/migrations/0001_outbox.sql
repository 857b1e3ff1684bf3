-- The services an outbox delivers to, each with its delivery state: events
-- go to a destination in order, so back-off and the relay's lease are the
-- destination's, not each event's.
CREATE TABLE outbox_destinations (
    destination       TEXT   PRIMARY KEY,
    -- No delivery before this time (back-off after a failure).
    next_attempt_time BIGINT NOT NULL,
    -- A relay holds the destination until this time; free when past.
    lease_until       BIGINT NOT NULL
);

-- Events a service owes others, written in the transaction of the change
-- they announce.
CREATE TABLE outbox_events (
    event_id       TEXT   PRIMARY KEY,
    destination    TEXT   NOT NULL REFERENCES outbox_destinations (destination),
    kind           TEXT   NOT NULL,
    -- The encoded message, in base64: TEXT reads the same through sqlx's Any
    -- driver on both engines.
    payload        TEXT   NOT NULL,
    create_time    BIGINT NOT NULL,
    attempts       BIGINT NOT NULL,
    last_error     TEXT,
    delivered_time BIGINT,
    -- Set when the receiver refused the event for good; it waits aside.
    failed_time    BIGINT
);
-- The relay's queue: a destination's waiting events, oldest first.
CREATE INDEX outbox_events_waiting ON outbox_events (destination, create_time, event_id)
    WHERE delivered_time IS NULL AND failed_time IS NULL;
-- Delivered events are pruned after a while.
CREATE INDEX outbox_events_delivered ON outbox_events (delivered_time);

-- Events a receiver has applied, written in the transaction of the change
-- they caused, so that a redelivered event is recognised.
CREATE TABLE inbox_events (
    event_id   TEXT   PRIMARY KEY,
    apply_time BIGINT NOT NULL
);
