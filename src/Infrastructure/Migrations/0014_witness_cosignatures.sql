-- Witness cosignatures (issue 13): what each witness (C2SP tlog-witness) answered for each checkpoint. A cosignature is
-- the witness's note signature line over the checkpoint's text (tlog-cosignature/v1); together with the checkpoint note
-- it makes the note a court can check against the witness's key, independent of every key the operator holds.
-- witness is the anchor name, witness:<name>, whose cursor in anchor_cursors says how far it got.
CREATE TABLE witness_cosignatures (
    witness      text        NOT NULL,
    tree_size    bigint      NOT NULL REFERENCES checkpoints (tree_size),
    witness_key  text        NOT NULL,
    cosignature  text        NOT NULL CHECK (cosignature LIKE '— % %' AND right(cosignature, 1) = E'\n'),
    cosigned_at  timestamptz NOT NULL,
    PRIMARY KEY (witness, tree_size)
);

-- A checkpoint's cosignatures are read together (the checkpoint endpoint, evidence bundles).
CREATE INDEX witness_cosignatures_by_size ON witness_cosignatures (tree_size);

CREATE TRIGGER witness_cosignatures_no_update_or_delete BEFORE UPDATE OR DELETE ON witness_cosignatures
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
