#!/usr/bin/env bash
# Starts a local EVM chain (Anvil from npm, pinned in chain/evm) to try the EVM anchor with scripts/run.sh:
# on 127.0.0.1:${ANVIL_PORT:-8545}, chain id 31337, one block per second (ANVIL_BLOCK_TIME=0 mines each
# transaction at once), its chain kept in .data/anvil/state.json across restarts (written when it stops).
# It writes Anvil's first development key (public, for local use only) to .data/keys/evm.key and prints the
# settings that make the API anchor there. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${ANVIL_PORT:-8545}"; BLOCK_TIME="${ANVIL_BLOCK_TIME:-1}"
if [ ! -x chain/evm/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]; then (cd chain/evm && npm ci --no-audit --no-fund); fi
mkdir -p .data/anvil .data/keys
[ -f .data/keys/evm.key ] || { echo "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" > .data/keys/evm.key; chmod 600 .data/keys/evm.key; }
cat <<MSG
Anvil on http://127.0.0.1:$PORT (chain id 31337), anchoring key in .data/keys/evm.key.
With scripts/run.sh running, record it as an anchor target over the API (README: "The same asset anchored on an
EVM chain"; docs/chains.md: "Managing chains"). Or, as a development shortcut, start the service with:
  AssetLedger__Chains__Evm__RpcUrl=http://127.0.0.1:$PORT AssetLedger__Chains__Evm__ChainId=31337 \\
  AssetLedger__Chains__Evm__PrivateKeyFile=.data/keys/evm.key scripts/run.sh
MSG
ARGS=(--host 127.0.0.1 --port "$PORT" --chain-id 31337 --state .data/anvil/state.json --silent)
[ "$BLOCK_TIME" != 0 ] && ARGS+=(--block-time "$BLOCK_TIME")
exec chain/evm/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil "${ARGS[@]}"
