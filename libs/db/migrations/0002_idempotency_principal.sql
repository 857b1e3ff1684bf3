-- Idempotency keys name the caller's whole principal (a SHA-256 of its
-- canonical form), not the token's subject, which several scopes may share
-- (see src/idempotency.rs). Rows keyed by a subject can never match again.
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys RENAME COLUMN subject TO principal;
