#!/usr/bin/env bash
# EVM anchoring throughput: checkpoints anchored per second to a local Anvil node (from npm, chain/evm), through the
# anchor worker as the API runs it (in order, one transaction per checkpoint, each receipt waited for), with
#  (a) instant mining (a block per transaction) and
#  (b) one-second blocks (anvil --block-time 1).
# Each run has its own PostgreSQL database and a fresh chain; the contract deployment is not timed.
# Usage: scripts/bench-evm.sh [checkpoints with instant mining, default 300] [checkpoints with 1 s blocks, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
INSTANT="${1:-300}"; BLOCKS="${2:-20}"
pg_install
if [ ! -x chain/evm/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]; then (cd chain/evm && npm ci --no-audit --no-fund >&2); fi
ANVIL="$PWD/chain/evm/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
DIR="$(mktemp -d /tmp/assetledger-bench-evm.XXXXXX)"; chmod 755 "$DIR"
ANVIL_PID=""
cleanup() { [ -n "$ANVIL_PID" ] && kill "$ANVIL_PID" 2>/dev/null; wait 2>/dev/null; pg_stop "$DIR/pg"; rm -rf "$DIR"; }
trap cleanup EXIT
PORT="$(pg_free_port)"
pg_start "$DIR/pg" "$PORT" fsync=off synchronous_commit=off
# Anvil's first development account (a public test key, funded on every fresh Anvil chain).
echo "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" > "$DIR/evm.key"
dotnet build scripts/bench/EvmBench -c Release -nologo -v q >/dev/null

run() { # run NAME CHECKPOINTS [anvil args...]
  local name="$1" n="$2"; shift 2
  local rpc_port; rpc_port="$(pg_free_port)"
  "$ANVIL" --host 127.0.0.1 --port "$rpc_port" --chain-id 31337 --silent "$@" &
  ANVIL_PID=$!
  for _ in $(seq 1 100); do
    curl -sf -X POST -H 'Content-Type: application/json' --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$rpc_port" >/dev/null && break
    sleep 0.1
  done
  echo "== $name: $n checkpoints"
  dotnet scripts/bench/EvmBench/bin/Release/net10.0/EvmBench.dll \
    "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=evm_bench_$name;Maximum Pool Size=20" \
    "http://127.0.0.1:$rpc_port" 31337 "$DIR/evm.key" "$n" | sed "s/^RESULT/$name/"
  kill "$ANVIL_PID"; wait "$ANVIL_PID" 2>/dev/null || true; ANVIL_PID=""
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
run instant_mining "$INSTANT"
run block_time_1s "$BLOCKS" --block-time 1
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
