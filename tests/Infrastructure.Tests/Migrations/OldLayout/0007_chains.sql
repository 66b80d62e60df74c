-- Chain anchor targets (issue 8).

-- The CheckpointAnchor contract an EVM target deployed on first use, so that a restart (or another API
-- process) reuses it instead of deploying another. One row per anchor name (evm:<chain id> by default).
-- The anchoring account's private key is never stored: it is read from the file or environment variable
-- that configuration names.
CREATE TABLE evm_contracts (
    anchor           text        PRIMARY KEY,
    chain_id         bigint      NOT NULL,
    contract_address text        NOT NULL,
    deployer         text        NOT NULL,
    deploy_tx        text        NOT NULL,
    deploy_block     bigint      NOT NULL,
    deployed_at      timestamptz NOT NULL DEFAULT now()
);

-- When an anchor's current run of failures began (null while it succeeds): the health check reports a target
-- failing for longer than a configured time as degraded.
ALTER TABLE anchor_cursors ADD COLUMN failing_since timestamptz NULL;
