-- Traceability (issue 7): the access audit, and the indexes behind the regulator's search and holdings.

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

-- Search sorts by last change, newest first: (last_changed_at, last_position) is unique per asset (an asset's
-- last position is its own event's). Each equality filter has an index in that order, so a filtered page is a
-- short backward index scan; the rarer locks have small partial indexes.
CREATE INDEX assets_last_change ON assets (last_changed_at, last_position);
CREATE INDEX assets_owner_change ON assets (owner_id, last_changed_at, last_position);
CREATE INDEX assets_warehouse_change ON assets (warehouse_id, last_changed_at, last_position) WHERE warehouse_id IS NOT NULL;
CREATE INDEX assets_debtor_change ON assets (debtor_id, last_changed_at, last_position) WHERE debtor_id IS NOT NULL;
CREATE INDEX assets_venue_change ON assets (venue_id, last_changed_at, last_position) WHERE venue_id IS NOT NULL;
CREATE INDEX assets_commodity_change ON assets (commodity, last_changed_at, last_position) WHERE commodity IS NOT NULL;
CREATE INDEX assets_status_change ON assets (status, last_changed_at, last_position);
CREATE INDEX assets_kind_change ON assets (kind, last_changed_at, last_position);
CREATE INDEX assets_frozen_change ON assets (last_changed_at, last_position) WHERE frozen;
CREATE INDEX assets_out_change ON assets (last_changed_at, last_position) WHERE out;
CREATE INDEX assets_offered_change ON assets (last_changed_at, last_position) WHERE offered;
CREATE INDEX assets_locked_change ON assets (last_changed_at, last_position) WHERE frozen OR out OR offered;
CREATE INDEX assets_registered_at ON assets (registered_at);

-- Free text on title, receipt number and bill number: trigram index for ILIKE '%…%' (pg_trgm is a trusted extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX assets_text_trgm ON assets USING gin (
    (coalesce(title, '') || ' ' || coalesce(receipt_number, '') || ' ' || coalesce(bill_number, '')) gin_trgm_ops);

-- Holdings, newest first and as of any time: each relation in (participant, since, position) order, so asOf is
-- where a backward index scan starts.
CREATE INDEX ownership_owner_since ON ownership (owner_id, from_at, from_position);
CREATE INDEX confirmations_participant_at ON confirmations (participant_id, at, position);
CREATE INDEX encumbrances_custody_venue ON encumbrances (counterparty_id, placed_at, placed_position) WHERE kind = 'Custody';
CREATE INDEX encumbrances_freezes_by ON encumbrances (placed_by, placed_at, placed_position) WHERE kind = 'Freeze';
