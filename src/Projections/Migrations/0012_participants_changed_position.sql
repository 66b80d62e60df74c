-- Issue 21: each participant row records the log position of the last event written into it (0 for rows last written
-- before this migration), and the newest of them is one index read. A trace kept by an API instance names participants;
-- it is served again only while this newest position is the one it was read with, so a renamed participant is never
-- shown under its old name.
ALTER TABLE participants ADD COLUMN changed_position bigint NOT NULL DEFAULT 0;
CREATE INDEX participants_changed_position ON participants (changed_position);
