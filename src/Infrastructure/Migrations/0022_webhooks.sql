-- Webhook subscriptions (issue 19). The event log is the outbox: a subscription is only a cursor into it (the position
-- of the last event it delivered or skipped), so there is no second copy of any event. One instance at a time delivers
-- for a subscription: it takes a lease (lease_owner, lease_until) and every move of the cursor names that lease, so an
-- instance whose lease ran out (stopped, killed) can no longer move it; the next holder resends from the cursor, the
-- same event with the same id: duplicates at worst, never a gap or a reorder.
CREATE TABLE webhook_subscriptions (
    id               uuid        PRIMARY KEY,
    owner            text        NOT NULL,
    url              text        NOT NULL,
    -- A shared HMAC secret: it must be stored as it is to sign with it; shown to its owner only once, at creation.
    secret           text        NOT NULL,
    event_types      text[]      NOT NULL,
    asset_kinds      text[]      NOT NULL,
    position         bigint      NOT NULL CHECK (position >= 0),
    active           boolean     NOT NULL DEFAULT true,
    disabled_reason  text,
    disabled_at      timestamptz,
    -- The head event's failed attempts so far and when the first of them failed: the retry schedule and the disable rule.
    failures         int         NOT NULL DEFAULT 0,
    failing_since    timestamptz,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_delivered_at timestamptz,
    lease_owner      uuid,
    lease_until      timestamptz,
    -- Which process holds the lease (host:pid), for whoever looks at a stuck subscription.
    lease_holder     text,
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL
);

CREATE INDEX webhook_subscriptions_by_owner ON webhook_subscriptions (owner, created_at);
-- What a deliverer asks on every round: the active subscriptions that are due.
CREATE INDEX webhook_subscriptions_due ON webhook_subscriptions (next_attempt_at) WHERE active;

-- Each attempt to deliver an event to a subscription, kept for its owner to see (status, latency, answer, next try).
CREATE TABLE webhook_attempts (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id  uuid        NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    position         bigint      NOT NULL,
    event_id         uuid        NOT NULL,
    attempted_at     timestamptz NOT NULL,
    succeeded        boolean     NOT NULL,
    status_code      int,
    error            text,
    latency_ms       int         NOT NULL,
    next_attempt_at  timestamptz
);

CREATE INDEX webhook_attempts_by_subscription ON webhook_attempts (subscription_id, id DESC);
