-- The database's identity (issue 15): one random id, made when the database is created and carried by every backup of
-- it (pg_basebackup, point-in-time recovery, pg_dump). The published mark outside the database (PublishedMark) is kept
-- per identity, so a restored database is compared with what anchors hold of IT, while a new, empty database given the
-- same key directory (a new log, or a test's second server) starts a mark of its own instead of being refused.
CREATE TABLE ledger_identity (
    id         uuid        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    one_row    boolean     NOT NULL DEFAULT true UNIQUE CHECK (one_row)
);

INSERT INTO ledger_identity (id) VALUES (gen_random_uuid());
