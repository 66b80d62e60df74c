-- The event store: one append-only table in a gap-free global order.
-- Positions are assigned under the single row lock of event_sequence, inside the appending
-- transaction, so they are in commit order: a reader that sees position p sees every position below p.

CREATE TABLE event_sequence (
    id            smallint PRIMARY KEY CHECK (id = 1),
    last_position bigint   NOT NULL
);
INSERT INTO event_sequence (id, last_position) VALUES (1, 0);

CREATE TABLE streams (
    stream_id  text        PRIMARY KEY,
    version    bigint      NOT NULL,
    last_hash  bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
    position       bigint      PRIMARY KEY,
    stream_id      text        NOT NULL,
    version        bigint      NOT NULL,
    event_id       uuid        NOT NULL,
    type           text        NOT NULL,
    schema_version int         NOT NULL,
    data           jsonb       NOT NULL,
    metadata       jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    hash           bytea       NOT NULL,
    previous_hash  bytea       NULL,
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version),
    CONSTRAINT events_event_id_unique UNIQUE (event_id),
    CONSTRAINT events_version_positive CHECK (version > 0)
);

-- Keys that can be claimed once, for ever (an asset's natural key stays reserved after cancellation).
CREATE TABLE unique_keys (
    key       text   PRIMARY KEY,
    stream_id text   NOT NULL,
    position  bigint NOT NULL
);

-- Append-only: the application never updates or deletes an event. Tampering by a database
-- superuser (who can disable this) is caught by the hash chains and the Merkle log.
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP;
END $$;

CREATE TRIGGER events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
