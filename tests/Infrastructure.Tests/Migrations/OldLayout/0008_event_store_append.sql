-- The write half of an append batch as one function, so that a batch is one statement: sent without an
-- explicit transaction it runs and commits in a single round trip, and the sequence row lock is held only
-- while the server works and flushes, never while the client turns around (PostgresEventStore.Write.cs).
--
-- Positions are assigned here, under the row lock of event_sequence that the UPDATE takes, so they stay in
-- commit order and gap-free across every process. The caller has decided versions and hashes; the
-- constraints and the link check below make that decision authoritative:
--   * unique (stream_id, version): the expected version was the stream's head (nobody wrote version v+1);
--   * unique (event_id): an append retried with the same event ids cannot write twice;
--   * unique_keys' primary key: a natural key is claimed once, in this transaction;
--   * links: the first event of every append to an existing stream names the stored hash of the stream's
--     previous event, so a hash chain cannot be built on a stale or wrong head.
-- Any violation aborts the whole batch; the store then decides it again with authoritative reads.
CREATE FUNCTION event_store_append(
    p_stream text[], p_version bigint[], p_event_id uuid[], p_type text[], p_schema_version int[],
    p_data jsonb[], p_metadata jsonb[], p_hash bytea[], p_previous_hash bytea[],
    p_link_stream text[], p_link_version bigint[], p_link_hash bytea[],
    p_key text[], p_key_stream text[], p_key_ordinal int[])
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n    int := cardinality(p_stream);
    base bigint;
BEGIN
    UPDATE event_sequence SET last_position = last_position + n WHERE id = 1 RETURNING last_position - n INTO base;

    INSERT INTO events (position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash)
    SELECT base + u.ordinal, u.stream_id, u.version, u.event_id, u.type, u.schema_version, u.data, u.metadata, u.hash, u.previous_hash
    FROM unnest(p_stream, p_version, p_event_id, p_type, p_schema_version, p_data, p_metadata, p_hash, p_previous_hash)
         WITH ORDINALITY AS u(stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash, ordinal);

    -- After the insert, so a link to an event written earlier in this same batch finds it.
    IF EXISTS (SELECT 1 FROM unnest(p_link_stream, p_link_version, p_link_hash) AS l(stream_id, version, hash)
               WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = l.stream_id AND e.version = l.version AND e.hash = l.hash)) THEN
        RAISE EXCEPTION 'event_store_append: a previous hash does not match the stored event' USING ERRCODE = 'AL409';
    END IF;

    IF cardinality(p_key) > 0 THEN
        INSERT INTO unique_keys (key, stream_id, position)
        SELECT k.key, k.stream_id, base + k.ordinal FROM unnest(p_key, p_key_stream, p_key_ordinal) AS k(key, stream_id, ordinal);
    END IF;

    PERFORM pg_notify('assetledger_events', (base + n)::text);
    RETURN base;
END $$;

-- Stream heads are read from events' (stream_id, version) index when they are needed (rarely: the store
-- keeps the heads it has written or read), so this table was one more row to update per append for nothing.
DROP TABLE streams;
