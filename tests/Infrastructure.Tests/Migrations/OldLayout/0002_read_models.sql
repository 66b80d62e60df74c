-- Read models (src/Projections), fed from the event store's global order. Every row can be rebuilt
-- from the events: `assetledger projections rebuild` truncates these tables and replays the log.
-- Each projection's checkpoint is written in the same transaction as its rows, and a batch is
-- applied only while holding the checkpoint rows' locks, so several API instances may run the
-- projector on one database and each event still takes effect exactly once.

CREATE TABLE projection_checkpoints (
    name       text        PRIMARY KEY,
    position   bigint      NOT NULL CHECK (position >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Current state of each asset. Decimals are strings, as in the events; times are the events' own.
CREATE TABLE assets (
    asset_id            uuid        PRIMARY KEY,
    kind                text        NOT NULL,
    status              text        NOT NULL,
    owner_id            text        NOT NULL,
    natural_key         text        NOT NULL,
    warehouse_id        text        NULL,
    receipt_number      text        NULL,
    commodity           text        NULL,
    quantity            text        NULL,
    quantity_unit       text        NULL,
    debtor_id           text        NULL,
    bill_number         text        NULL,
    amount              text        NULL,
    currency            text        NULL,
    due_date            date        NULL,
    title               text        NULL,
    content_sha256      text        NULL,
    media_type          text        NULL,
    description         text        NULL,
    frozen              boolean     NOT NULL,
    freeze_count        int         NOT NULL,
    out                 boolean     NOT NULL,
    venue_id            text        NULL,
    venue_purpose       text        NULL,
    offered             boolean     NOT NULL,
    offered_to          text        NULL,
    confirmations_required int      NOT NULL,
    confirmations_given int         NOT NULL, -- in the current round
    confirmation_round  int         NOT NULL, -- 1, then one more after each material amendment
    evidence_count      int         NOT NULL,
    version             bigint      NOT NULL,
    registered_at       timestamptz NOT NULL,
    registered_position bigint      NOT NULL,
    last_changed_at     timestamptz NOT NULL,
    last_position       bigint      NOT NULL
);
-- List pages in registration order (keyset on registered_position); each filter has an index in that order.
CREATE UNIQUE INDEX assets_registered_position ON assets (registered_position);
CREATE UNIQUE INDEX assets_natural_key ON assets (natural_key);
CREATE INDEX assets_kind ON assets (kind, registered_position);
CREATE INDEX assets_status ON assets (status, registered_position);
CREATE INDEX assets_owner ON assets (owner_id, registered_position);
CREATE INDEX assets_warehouse ON assets (warehouse_id, registered_position) WHERE warehouse_id IS NOT NULL;
CREATE INDEX assets_debtor ON assets (debtor_id, registered_position) WHERE debtor_id IS NOT NULL;
CREATE INDEX assets_commodity ON assets (commodity, registered_position) WHERE commodity IS NOT NULL;
CREATE INDEX assets_venue ON assets (venue_id, registered_position) WHERE venue_id IS NOT NULL;
CREATE INDEX assets_frozen ON assets (registered_position) WHERE frozen;
CREATE INDEX assets_out ON assets (registered_position) WHERE out;
CREATE INDEX assets_offered ON assets (registered_position) WHERE offered;
CREATE INDEX assets_locked ON assets (registered_position) WHERE frozen OR out OR offered;

-- One row per asset event: the timeline a regulator or court reads.
CREATE TABLE asset_history (
    position      bigint      PRIMARY KEY,
    asset_id      uuid        NOT NULL,
    version       bigint      NOT NULL,
    event_id      uuid        NOT NULL UNIQUE,
    event_type    text        NOT NULL,
    actor_id      text        NULL,
    at            timestamptz NOT NULL,
    recorded_at   timestamptz NOT NULL,
    hash          text        NOT NULL,
    previous_hash text        NULL,
    data          jsonb       NOT NULL,
    CONSTRAINT asset_history_asset_version UNIQUE (asset_id, version)
);
CREATE INDEX asset_history_actor ON asset_history (actor_id, position);

-- Who owned each asset when: one row per owner period; the open period has to_position NULL.
CREATE TABLE ownership (
    asset_id      uuid        NOT NULL,
    owner_id      text        NOT NULL,
    from_at       timestamptz NOT NULL,
    from_position bigint      NOT NULL,
    to_at         timestamptz NULL,
    to_position   bigint      NULL,
    PRIMARY KEY (asset_id, from_position)
);
CREATE INDEX ownership_owner ON ownership (owner_id, from_position);

-- Each confirmation or rejection. A material amendment starts a new round (the asset's confirmation_round).
CREATE TABLE confirmations (
    asset_id       uuid        NOT NULL,
    round          int         NOT NULL,
    slot           text        NOT NULL,
    participant_id text        NOT NULL,
    decision       text        NOT NULL CHECK (decision IN ('Approved', 'Rejected')),
    comment        text        NULL,
    at             timestamptz NOT NULL,
    position       bigint      NOT NULL UNIQUE,
    PRIMARY KEY (asset_id, round, slot)
);
CREATE INDEX confirmations_participant ON confirmations (participant_id, position);

-- Locks on assets, open and lifted: a transfer offer, custody at a venue, or a freeze.
-- placed_position is the event that placed it, so it identifies the lock for ever.
CREATE TABLE encumbrances (
    placed_position bigint      PRIMARY KEY,
    asset_id        uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('Offer', 'Custody', 'Freeze')),
    freeze_id       text        NULL,
    placed_by       text        NOT NULL,
    counterparty_id text        NULL,     -- Offer: the assignee; Custody: the venue
    authority       text        NULL,     -- Freeze: Judicial, Regulatory or IotAlarm
    purpose         text        NULL,     -- Custody: Trade or Financing
    reason          text        NULL,     -- Freeze: why
    placed_at       timestamptz NOT NULL,
    lifted_at       timestamptz NULL,
    lifted_by       text        NULL,
    lifted_position bigint      NULL,
    lifted_how      text        NULL,     -- Accepted, Declined, Withdrawn, Returned or Unfrozen
    lift_reason     text        NULL      -- Unfrozen: the reason given, if any
);
CREATE INDEX encumbrances_asset ON encumbrances (asset_id, placed_position);
CREATE INDEX encumbrances_open ON encumbrances (asset_id, kind) WHERE lifted_position IS NULL;
CREATE INDEX encumbrances_counterparty ON encumbrances (counterparty_id, placed_position) WHERE counterparty_id IS NOT NULL;

CREATE TABLE participants (
    participant_id      text        PRIMARY KEY,
    name                text        NOT NULL,
    roles               text[]      NOT NULL,
    registered_at       timestamptz NOT NULL,
    registered_position bigint      NOT NULL,
    version             bigint      NOT NULL
);
