-- The verifiable ledger: the Merkle tree over event hashes, signed checkpoints, and anchors.

-- The tree's size. Appending leaves locks this row, so across processes each leaf is appended once.
CREATE TABLE merkle_tree (
    id   smallint PRIMARY KEY CHECK (id = 1),
    size bigint   NOT NULL CHECK (size >= 0)
);
INSERT INTO merkle_tree (id, size) VALUES (1, 0);

-- Complete-subtree hashes in tiles (as C2SP tlog-tiles): tile (tile_level, tile_index) holds the
-- concatenated 32-byte hashes of up to 256 consecutive complete subtrees at tree level 8 * tile_level,
-- starting at subtree index 256 * tile_index. Level 0 holds the leaf hashes. A full tile never changes.
CREATE TABLE merkle_tiles (
    tile_level smallint NOT NULL CHECK (tile_level >= 0),
    tile_index bigint   NOT NULL CHECK (tile_index >= 0),
    hashes     bytea    NOT NULL CHECK (length(hashes) BETWEEN 32 AND 8192 AND length(hashes) % 32 = 0),
    PRIMARY KEY (tile_level, tile_index)
);
-- Hashes do not compress: store them out of line without trying.
ALTER TABLE merkle_tiles ALTER COLUMN hashes SET STORAGE EXTERNAL;

-- The latest checkpoint, locked by whichever process cuts the next one.
CREATE TABLE checkpoint_head (
    id        smallint PRIMARY KEY CHECK (id = 1),
    tree_size bigint   NOT NULL,
    note_hash bytea    NULL
);
INSERT INTO checkpoint_head (id, tree_size, note_hash) VALUES (1, 0, NULL);

-- Signed tree heads. note is the full signed note (C2SP tlog-checkpoint body and signed-note signature);
-- note_hash is SHA-256 of its UTF-8 bytes and is what the next checkpoint names as previous.
CREATE TABLE checkpoints (
    tree_size     bigint      PRIMARY KEY CHECK (tree_size > 0),
    root_hash     bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    previous_hash bytea       NULL,
    note          text        NOT NULL,
    note_hash     bytea       NOT NULL UNIQUE
);

-- Per anchor (local, fabric, ...): the last checkpoint size it has anchored, in order.
CREATE TABLE anchor_cursors (
    anchor          text        PRIMARY KEY,
    last_size       bigint      NOT NULL DEFAULT 0,
    failures        int         NOT NULL DEFAULT 0,
    last_error      text        NULL,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- What each anchor answered for each checkpoint.
CREATE TABLE anchor_receipts (
    anchor          text        NOT NULL,
    tree_size       bigint      NOT NULL REFERENCES checkpoints (tree_size),
    transaction_ref text        NOT NULL,
    anchored_at     timestamptz NOT NULL,
    proof           jsonb       NOT NULL,
    PRIMARY KEY (anchor, tree_size)
);

-- The local anchor: an append-only log, each entry a signed note (anchor key) naming the checkpoint
-- and the previous entry's hash, so the entries form a hash chain.
CREATE TABLE local_anchor_log (
    seq                 bigint      PRIMARY KEY CHECK (seq > 0),
    tree_size           bigint      NOT NULL UNIQUE,
    checkpoint_hash     bytea       NOT NULL,
    previous_entry_hash bytea       NULL,
    entry_hash          bytea       NOT NULL UNIQUE,
    anchored_at         timestamptz NOT NULL,
    note                text        NOT NULL
);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END $$;

CREATE TRIGGER checkpoints_no_update_or_delete BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER local_anchor_log_no_update_or_delete BEFORE UPDATE OR DELETE ON local_anchor_log
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER anchor_receipts_no_update_or_delete BEFORE UPDATE OR DELETE ON anchor_receipts
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
