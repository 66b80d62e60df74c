-- Traceability (issue 7): the indexes behind the regulator's search and holdings.
-- Until each table had one owner these were in Infrastructure's 0005_trace.sql (with the access audit): a database
-- migrated then has that name in the journal, and DatabaseMigrator records this script as applied instead.

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
