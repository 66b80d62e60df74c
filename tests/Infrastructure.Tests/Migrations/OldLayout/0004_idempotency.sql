-- Idempotency-Key: the first answer to a (participant, key) is kept for 24 hours and replayed to retries.
-- A row is reserved before the command runs (completed_at null), so two concurrent retries never both execute.
CREATE TABLE idempotency_keys (
    participant_id text        NOT NULL,
    key            text        NOT NULL,
    request_hash   bytea       NOT NULL,
    reserved_at    timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz NULL,
    status_code    int         NULL,
    content_type   text        NULL,
    location       text        NULL,
    etag           text        NULL,
    body           bytea       NULL,
    PRIMARY KEY (participant_id, key)
);
CREATE INDEX idempotency_keys_reserved_at ON idempotency_keys (reserved_at);
