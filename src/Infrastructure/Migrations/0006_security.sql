-- Credentials and refresh tokens are mutable and kept out of the event log on purpose: an append-only,
-- exportable, court-bound log must never hold a password hash or a bearer secret.
CREATE TABLE credentials (
    login           text        PRIMARY KEY,
    hash            text        NOT NULL,
    failed_attempts int         NOT NULL DEFAULT 0,
    locked_until    timestamptz NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 of each refresh token is stored; a token is used once (rotation) and expires.
CREATE TABLE refresh_tokens (
    token_hash  bytea       PRIMARY KEY,
    login       text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_login ON refresh_tokens (login);
