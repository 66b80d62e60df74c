-- Issue 17: a split receipt and its parts linked in the read model, both ways: each part names the receipt it was
-- split from (parent_id, indexed, so GET /api/v1/assets?parentId= lists a receipt's parts), and a Split receipt lists
-- its parts (split_into). Rows written before these columns take the links from their own asset-split-off and
-- asset-split events, which asset_history (this projection's table) already holds: no replay of the log is needed.
ALTER TABLE assets
    ADD COLUMN parent_id  uuid   NULL,
    ADD COLUMN split_into uuid[] NULL;

UPDATE assets a SET parent_id = (h.data->>'parent')::uuid
FROM asset_history h WHERE h.asset_id = a.asset_id AND h.event_type = 'asset-split-off';
UPDATE assets a SET split_into = ARRAY(SELECT (p->>'asset')::uuid FROM jsonb_array_elements(h.data->'parts') WITH ORDINALITY AS e(p, n) ORDER BY n)
FROM asset_history h WHERE h.asset_id = a.asset_id AND h.event_type = 'asset-split';

CREATE INDEX assets_parent ON assets (parent_id, registered_position) WHERE parent_id IS NOT NULL;
