-- Which events a request with an Idempotency-Key committed (the key and the participant are in each event's metadata).
-- Looked up only when a request's answer was never stored (its instance died, or storing the answer failed), so that a
-- retry is told the command was carried out instead of running it a second time. Partial: events written without a key
-- (projections' rebuilds, seeding, the ledger's own) cost nothing.
CREATE INDEX events_idempotency_key ON events ((metadata->>'idempotencyKey'), (metadata->>'participant'))
    WHERE metadata->>'idempotencyKey' IS NOT NULL;
