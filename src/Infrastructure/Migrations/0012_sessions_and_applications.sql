-- Issue 14, items 3 and 5.
-- A refresh token remembers the session version it was issued under (the user's and its participant's counts of
-- session-ending events), so one that a reset, a disable, a role revocation or a suspension made stale is refused even
-- if revoking it failed. Tokens from before this column have none and are refused: their users log in again.
ALTER TABLE refresh_tokens ADD COLUMN session text NULL;

-- The users of a participant, read from the log itself when its sessions end or its application is rejected.
CREATE INDEX events_user_created_participant ON events ((data->>'participant')) WHERE type = 'user-created';

-- Anonymous applications per client address, shared by every API instance: one fixed window per address.
CREATE TABLE application_attempts (
    address      text        PRIMARY KEY,
    attempts     int         NOT NULL,
    window_start timestamptz NOT NULL
);
