-- Issue 21: an Idempotency-Key costs no commit of its own. The append that carries a command's events also reserves its
-- key (idempotency_keys' primary key refuses the whole batch when the key is held, as for unique_keys; the store then
-- decides the batch again from reads and answers that append "key taken"), and the answers of earlier keyed requests,
-- stored once their appends had committed, ride in the next batch instead of a transaction each.
-- Same body as 0008 otherwise; the new arguments default to empty, so a call with the first fifteen still works.
DROP FUNCTION event_store_append(text[], bigint[], uuid[], text[], int[], jsonb[], jsonb[], bytea[], bytea[], text[], bigint[], bytea[], text[], text[], int[]);

CREATE FUNCTION event_store_append(
    p_stream text[], p_version bigint[], p_event_id uuid[], p_type text[], p_schema_version int[],
    p_data jsonb[], p_metadata jsonb[], p_hash bytea[], p_previous_hash bytea[],
    p_link_stream text[], p_link_version bigint[], p_link_hash bytea[],
    p_key text[], p_key_stream text[], p_key_ordinal int[],
    p_claim_participant text[] DEFAULT '{}', p_claim_key text[] DEFAULT '{}', p_claim_hash bytea[] DEFAULT '{}',
    p_answer_participant text[] DEFAULT '{}', p_answer_key text[] DEFAULT '{}', p_answer_status int[] DEFAULT '{}',
    p_answer_content_type text[] DEFAULT '{}', p_answer_location text[] DEFAULT '{}', p_answer_etag text[] DEFAULT '{}',
    p_answer_body bytea[] DEFAULT '{}')
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

    -- A key held by another request (answered, running, expired or abandoned) is a unique violation: nothing of the batch is written.
    IF cardinality(p_claim_key) > 0 THEN
        INSERT INTO idempotency_keys (participant_id, key, request_hash)
        SELECT c.participant_id, c.key, c.request_hash FROM unnest(p_claim_participant, p_claim_key, p_claim_hash) AS c(participant_id, key, request_hash);
    END IF;

    IF cardinality(p_answer_key) > 0 THEN
        UPDATE idempotency_keys i SET completed_at = now(), status_code = a.status_code, content_type = a.content_type, location = a.location,
               etag = a.etag, body = a.body
        FROM unnest(p_answer_participant, p_answer_key, p_answer_status, p_answer_content_type, p_answer_location, p_answer_etag, p_answer_body)
             AS a(participant_id, key, status_code, content_type, location, etag, body)
        WHERE i.participant_id = a.participant_id AND i.key = a.key;
    END IF;

    IF n > 0 THEN
        PERFORM pg_notify('assetledger_events', (base + n)::text);
    END IF;
    RETURN base;
END $$;
