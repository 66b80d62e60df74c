-- Inbound notices (issue 19): the credentials with which a participant's own systems (its WMS, trading system, bank
-- system, a regulator's system) sign the notices they send to POST /api/v1/integrations/{system}/notices. One row per
-- participant, replaced as a whole when it registers new ones. Which notice ids were seen is kept by the idempotency
-- store (idempotency_keys), under the participant and the notice's webhook-id: a notice is a command with that key.
CREATE TABLE notice_credentials (
    participant   text        PRIMARY KEY,
    -- A shared HMAC secret (v1): it must be stored as it is to verify with it; shown to its participant only once.
    secret        text,
    -- An Ed25519 public key (v1a, whpk_ + base64): only the participant can sign, so its notices are non-repudiable.
    public_key    text,
    registered_by text        NOT NULL,
    registered_at timestamptz NOT NULL,
    CHECK (secret IS NOT NULL OR public_key IS NOT NULL)
);
