-- Batched webhook delivery (issue 19): a subscription may take up to max_events_per_request events in one request, as
-- a CloudEvents JSON batch (application/cloudevents-batch+json), in log order. 1, the default, is one structured
-- CloudEvent per request, as before. An attempt records how many events its request carried (position and event_id
-- are its first event's).
ALTER TABLE webhook_subscriptions ADD COLUMN max_events_per_request int NOT NULL DEFAULT 1
    CHECK (max_events_per_request BETWEEN 1 AND 100);
ALTER TABLE webhook_attempts ADD COLUMN events int NOT NULL DEFAULT 1 CHECK (events >= 1);
