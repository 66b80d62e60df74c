-- Device readings refused (issue 18), counted per device and reason. A refusal is not an event (a forger could fill the
-- log with them); this count is what an operator, and later an alarm rule, watches. One upsert per batch and reason.
CREATE TABLE device_reading_refusals (
    device     text        NOT NULL,
    reason     text        NOT NULL,
    refused    bigint      NOT NULL,
    last_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device, reason)
);
