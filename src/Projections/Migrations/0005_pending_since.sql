-- When an asset last became Pending (registration or a material amendment): the confirmation expiry sweep's candidates.
-- Rows written before this column existed take their registration time; a rebuild of the projection sets the exact value.
ALTER TABLE assets ADD COLUMN pending_since timestamptz NULL;
UPDATE assets SET pending_since = registered_at WHERE status = 'Pending';
CREATE INDEX assets_pending_since ON assets (kind, pending_since) WHERE status = 'Pending';
