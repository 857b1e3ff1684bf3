-- One row per (caller, request_id): the first answer to a mutation, written
-- in the same transaction as the mutation itself.
CREATE TABLE idempotency_keys (
    subject     TEXT   NOT NULL,
    request_id  TEXT   NOT NULL,
    fingerprint TEXT   NOT NULL,
    response    TEXT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (subject, request_id)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
