-- Who may see each asset, stored by the asset projection as AssetAccess (src/Application/Assets/AssetAccess.cs)
-- decides it, so that the list asks one indexed question and the rule lives in one place, not again in SQL:
--   visible_to        the participants who may see the asset;
--   visible_to_roles  the roles any holder of which may (a pending asset's open confirmer slots, e.g. TradingCenter);
--   required_confirmers, confirmed_by  the confirmer slots the asset needs and who filled them in the current round:
--                     what the rule reads that the other columns do not hold.
-- Regulators and the operator see every asset and never ask these columns.
--
-- Existing rows cannot be backfilled here without restating the rule in SQL, so the asset projection starts again:
-- its tables are emptied and its checkpoint set to 0, and the projector (in the API or `assetledger projections`)
-- replays the log into them through the one rule. The participants projection keeps its rows and its checkpoint.
TRUNCATE assets, asset_history, ownership, confirmations, encumbrances;
UPDATE projection_checkpoints SET position = 0, updated_at = now() WHERE name = 'assets';

ALTER TABLE assets
    ADD COLUMN required_confirmers jsonb  NOT NULL,
    ADD COLUMN confirmed_by        jsonb  NOT NULL,
    ADD COLUMN visible_to          text[] NOT NULL,
    ADD COLUMN visible_to_roles    text[] NOT NULL;

CREATE INDEX assets_visible_to ON assets USING gin (visible_to);
CREATE INDEX assets_visible_to_roles ON assets USING gin (visible_to_roles);
