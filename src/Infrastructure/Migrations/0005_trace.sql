-- Traceability (issue 7): the access audit. The indexes behind the regulator's search and holdings are the read
-- models' own (src/Projections/Migrations/0002_trace.sql).

-- Who asked what, when, and what they were answered: one row per trace, registry or audit call.
-- Append-only like the ledger tables (the same trigger function); seq orders the rows for paging.
CREATE TABLE access_audit (
    seq            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             uuid        NOT NULL UNIQUE,
    at             timestamptz NOT NULL,
    participant_id text        NULL,      -- null when the caller was not authenticated
    user_id        text        NULL,      -- the participant's user, where logins name one
    roles          text[]      NOT NULL,
    method         text        NOT NULL,
    path           text        NOT NULL,
    query          text        NULL,      -- the query string as sent, without the leading '?'
    resource       text        NULL,      -- what was looked at: asset:{id}, participant:{id}, key:{natural key}, ...
    status         int         NOT NULL,  -- the HTTP status answered
    duration_ms    int         NOT NULL,
    trace_id       text        NULL
);
CREATE INDEX access_audit_at ON access_audit (at, seq);
CREATE INDEX access_audit_participant ON access_audit (participant_id, seq);

CREATE TRIGGER access_audit_no_update_or_delete BEFORE UPDATE OR DELETE ON access_audit
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
