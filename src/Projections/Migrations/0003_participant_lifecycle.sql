-- Until each table had one owner this was part of Infrastructure's 0006_security.sql: a database migrated then has
-- that name in the journal, and DatabaseMigrator records this script as applied instead.

-- The participants read model follows the participant lifecycle (application, verification, suspension, keys).
ALTER TABLE participants
    ADD COLUMN status         text    NOT NULL DEFAULT 'Verified',
    ADD COLUMN suspended      boolean NOT NULL DEFAULT false,
    ADD COLUMN credit_code    text    NULL,
    ADD COLUMN signing_key_id text    NULL;
CREATE INDEX participants_status ON participants (status, registered_position);
