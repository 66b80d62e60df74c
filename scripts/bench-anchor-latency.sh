#!/usr/bin/env bash
# Time from a command's 2xx to its inclusion in an anchored checkpoint, under load: the real service (Release build,
# durable PostgreSQL with fsync on, a cluster of its own), C connections posting POST /api/v1/assets as fast as they are
# answered for S seconds, one poller on GET /api/v1/ledger/anchors every 10 ms. Prints p50/p90/p99/max and the load average.
# Goal (local anchor): p99 < 1.5 s.
# With --evm[=BLOCK_SECONDS] it also starts its own Anvil (npm, chain/evm) on a free loopback port, chain id 31337, one
# block every BLOCK_SECONDS (default 1; 0 = instant mining, a block per transaction), writes Anvil's first development key
# (public, funded on every fresh Anvil chain) to a key file and configures the API's EVM target by environment
# (docs/chains.md). The driver then watches `local` and `evm:31337`: for the EVM target the time is from the command's 2xx to
# the poll that shows the target's lastAnchoredSize covering the event, i.e. its checkpoint confirmed in a mined block (the
# EVM anchor advances its cursor only with the receipt). From the database it prints the split commit → checkpoint cut →
# local anchored → EVM block time → EVM receipt recorded (track_commit_timestamp is on in this mode for the commit times).
# With --witness it runs the load twice on the same service, side by side: first with no witness, then with one witness
# (`assetledger witness serve` on 127.0.0.1, its own key and directory, registered over the API), watching `witness:w1`
# too: the time from a command's 2xx to a checkpoint that holds it cosigned by that witness (goal p99 < 1.5 s), and the
# commands/s of both runs.
# With --fabric it brings up its own Fabric network (scripts/fabric-network.sh: two orgs, Raft orderer, TLS, the chaincode's
# policy needing both orgs' endorsements) on free loopback ports and configures the API's Fabric target (Org1's User1
# through Org1's Gateway); the time for `fabric:mychannel/checkpoint-anchor` is from the command's 2xx to the poll that
# shows its checkpoint committed VALID on the channel (the anchor advances its cursor only after CommitStatus). Then the
# split from the database and the channel's BatchTimeout / MaxMessageCount (FABRIC_BATCH_TIMEOUT, FABRIC_MAX_MESSAGE_COUNT).
# Usage: scripts/bench-anchor-latency.sh [seconds, default 30] [connections, default 32] [--evm[=block seconds, default 1] | --fabric] [--witness]
# BENCH_DAMON=off pauses the kernel's DAMON monitor for the run (scripts/lib/bench-damon.sh); the first line says whether it ran.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
POS=(); EVM=""; FABRIC=""; WITNESS=""
for a in "$@"; do
  case "$a" in
    --witness) WITNESS=1 ;;
    --fabric) FABRIC=1 ;;
    --evm) EVM=1 ;;
    --evm=*) EVM="${a#--evm=}"; [[ "$EVM" =~ ^[0-9]+$ ]] || { echo "--evm=N: N is the block time in whole seconds (0 = instant mining)" >&2; exit 2; } ;;
    -*) echo "unknown option $a" >&2; exit 2 ;;
    *) POS+=("$a") ;;
  esac
done
SECS="${POS[0]:-30}"; CONNS="${POS[1]:-32}"
CHAIN_ID=31337; EVM_ANCHOR="evm:$CHAIN_ID"
pg_install
ANVIL="$PWD/chain/evm/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
if [ -n "$EVM" ] && [ ! -x "$ANVIL" ]; then (cd chain/evm && npm ci --no-audit --no-fund --loglevel=error >&2); fi
DIR="$(mktemp -d /tmp/assetledger-bench-anchor.XXXXXX)"; chmod 755 "$DIR"
PORT="$(pg_free_port)"; HTTP_PORT="$(pg_free_port)"
API_PID=""; ANVIL_PID=""; WITNESS_PID=""
FABRIC_ANCHOR="fabric:mychannel/checkpoint-anchor"
. scripts/lib/bench-damon.sh
cleanup() {
  damon_restore
  [ -n "$WITNESS_PID" ] && kill "$WITNESS_PID" 2>/dev/null
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null
  [ -n "$ANVIL_PID" ] && kill "$ANVIL_PID" 2>/dev/null
  [ -n "$FABRIC" ] && FABRIC_NET="$DIR/fabric" scripts/fabric-network.sh down >/dev/null
  wait 2>/dev/null; pg_stop "$DIR/pg"; rm -rf "$DIR"
}
trap cleanup EXIT
damon_pause_if_asked
echo "== $(date -u +%FT%TZ) bench-anchor-latency: ${SECS}s, $CONNS connections${EVM:+, EVM target: Anvil with $([ "$EVM" = 0 ] && echo 'instant mining' || echo "${EVM}-second blocks")}; build of $(git rev-parse --short HEAD)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $(damon_describe)"
PG_OPTS=(); [ -n "$EVM$FABRIC" ] && PG_OPTS+=(track_commit_timestamp=on)
pg_start "$DIR/pg" "$PORT" "${PG_OPTS[@]}"
dotnet build src/Api -c Release -nologo -v q >/dev/null
dotnet build scripts/bench/AnchorLatencyBench -c Release -nologo -v q >/dev/null
URL="http://127.0.0.1:$HTTP_PORT"
PASSWORD="bench-operator-$RANDOM$RANDOM"
EVM_ENV=(); ANCHORS=local
if [ -n "$EVM" ]; then
  RPC_PORT="$(pg_free_port)"
  ANVIL_ARGS=(--host 127.0.0.1 --port "$RPC_PORT" --chain-id "$CHAIN_ID" --silent)
  [ "$EVM" != 0 ] && ANVIL_ARGS+=(--block-time "$EVM")
  "$ANVIL" "${ANVIL_ARGS[@]}" >"$DIR/anvil.log" 2>&1 &
  ANVIL_PID=$!
  for _ in $(seq 1 100); do
    curl -sf -X POST -H 'Content-Type: application/json' --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$RPC_PORT" >/dev/null && break
    sleep 0.1
  done
  # Anvil's first development account (a public test key, funded on every fresh Anvil chain).
  (umask 077; echo "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" > "$DIR/evm.key")
  EVM_ENV=(AssetLedger__Chains__Evm__RpcUrl="http://127.0.0.1:$RPC_PORT" AssetLedger__Chains__Evm__ChainId="$CHAIN_ID"
           AssetLedger__Chains__Evm__PrivateKeyFile="$DIR/evm.key")
  ANCHORS="local,$EVM_ANCHOR"
  echo "anvil $("$ANVIL" --version | head -1) on 127.0.0.1:$RPC_PORT, chain id $CHAIN_ID, $([ "$EVM" = 0 ] && echo 'instant mining' || echo "--block-time $EVM")"
fi
if [ -n "$FABRIC" ]; then
  . scripts/fabric/ports.sh
  fabric_service_up "$DIR"
  EVM_ENV=("${FABRIC_SERVICE_ENV[@]}")
  ANCHORS="local,$FABRIC_ANCHOR"
  echo "fabric: orderer BatchTimeout $BATCH_TIMEOUT, MaxMessageCount $MAX_MESSAGE_COUNT; endorsement policy AND('Org1MSP.peer','Org2MSP.peer')"
fi
env "${EVM_ENV[@]}" Logging__LogLevel__Default=Warning AssetLedger__OperatorPassword="$PASSWORD" AssetLedger__KeyDirectory="$DIR/keys" \
  ASSETLEDGER_DB="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=100" \
  dotnet src/Api/bin/Release/net10.0/AssetLedger.Api.dll --urls "$URL" >"$DIR/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 90); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 1; done
DRIVER=scripts/bench/AnchorLatencyBench/bin/Release/net10.0/AnchorLatencyBench.dll
if [ -n "$WITNESS" ]; then
  dotnet build src/Cli -c Release -nologo -v q >/dev/null
  CLI=src/Cli/bin/Release/net10.0/assetledger.dll
  echo "== run 1 of 2, no witness: $CONNS connections posting POST /api/v1/assets for ${SECS}s (after 5 s warm-up), watching $ANCHORS"
  dotnet "$DRIVER" "$URL" "$PASSWORD" "$SECS" "$CONNS" 5 "$ANCHORS" | tee "$DIR/run1.txt" || status=$?
  WITNESS_PORT="$(pg_free_port)"
  LEDGER_KEY="$(curl -sf "$URL/api/v1/ledger/keys" | jq -r .ledgerVerifierKey)"
  WITNESS_KEY="$(dotnet "$CLI" witness key --dir "$DIR/witness")"
  dotnet "$CLI" witness serve --dir "$DIR/witness" --port "$WITNESS_PORT" --log-key "$LEDGER_KEY" >"$DIR/witness.log" 2>&1 &
  WITNESS_PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$WITNESS_PORT/key" >/dev/null && break; sleep 0.2; done
  TOKEN="$(curl -sf -X POST "$URL/api/v1/auth/token" -H 'Content-Type: application/json' -d "{\"login\":\"operator\",\"password\":\"$PASSWORD\"}" | jq -r .accessToken)"
  curl -sf -X POST "$URL/api/v1/chains/witnesses" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"w1\",\"url\":\"http://127.0.0.1:$WITNESS_PORT\",\"verifierKey\":\"$WITNESS_KEY\"}" >/dev/null
  echo "== run 2 of 2, one witness on 127.0.0.1:$WITNESS_PORT ($WITNESS_KEY), watching $ANCHORS,witness:w1"
  dotnet "$DRIVER" "$URL" "$PASSWORD" "$SECS" "$CONNS" 5 "$ANCHORS,witness:w1" | tee "$DIR/run2.txt" || status=$?
  echo "== side by side"
  printf '%-16s %s\n' "no witness:" "$(grep '^commands:' "$DIR/run1.txt")" "one witness:" "$(grep '^commands:' "$DIR/run2.txt")"
  grep '^2xx → .*witness:w1' "$DIR/run2.txt" | sed 's/^/cosigned: /' || true
else
echo "== command → anchored checkpoint: $CONNS connections posting POST /api/v1/assets for ${SECS}s (after 5 s warm-up), watching $ANCHORS"
dotnet "$DRIVER" "$URL" "$PASSWORD" "$SECS" "$CONNS" 5 "$ANCHORS" || status=$?
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
psql_bench() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At -F ' ' -v ON_ERROR_STOP=1 -c "$1"; }
if [ -n "$FABRIC" ]; then
echo "== split from the database (ms; per asset-registered event; cumulative times are from the event's commit)"
psql_bench "
  WITH e AS (SELECT position, pg_xact_commit_timestamp(xmin) AS committed, (SELECT min(tree_size) FROM checkpoints c WHERE c.tree_size >= position) AS cp
             FROM events WHERE type = 'asset-registered'),
       t AS (SELECT extract(epoch FROM c.created_at - e.committed) * 1000 AS cut,
                    extract(epoch FROM l.anchored_at - c.created_at) * 1000 AS cut_to_local,
                    extract(epoch FROM pg_xact_commit_timestamp(f.xmin) - c.created_at) * 1000 AS cut_to_fabric,
                    extract(epoch FROM pg_xact_commit_timestamp(f.xmin) - e.committed) * 1000 AS commit_to_fabric
             FROM e JOIN checkpoints c ON c.tree_size = e.cp
                    JOIN anchor_receipts l ON l.tree_size = e.cp AND l.anchor = 'local'
                    JOIN anchor_receipts f ON f.tree_size = e.cp AND f.anchor = '$FABRIC_ANCHOR'),
       s(step, ord, ms) AS (SELECT 'commit → checkpoint cut', 1, cut FROM t UNION ALL SELECT 'cut → local anchored', 2, cut_to_local FROM t
             UNION ALL SELECT 'cut → Fabric committed VALID, receipt recorded', 3, cut_to_fabric FROM t
             UNION ALL SELECT 'commit → Fabric receipt recorded', 4, commit_to_fabric FROM t)
  SELECT step || ': n=' || count(*) || ' p50 ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric) || ', p90 ' || round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ms)::numeric)
      || ', p99 ' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric) || ', max ' || round(max(ms)::numeric)
  FROM s GROUP BY step, ord ORDER BY ord"
psql_bench "
  WITH f AS (SELECT r.tree_size, (r.proof->>'blockNumber')::bigint AS block, r.proof->>'validationCode' AS code, pg_xact_commit_timestamp(r.xmin) AS recorded
             FROM anchor_receipts r WHERE r.anchor = '$FABRIC_ANCHOR')
  SELECT 'checkpoints: ' || (SELECT count(*) FROM checkpoints) || ' cut (' || round(((SELECT count(*) FROM checkpoints) / greatest(extract(epoch FROM (SELECT max(created_at) - min(created_at) FROM checkpoints)), 1))::numeric, 2)
      || '/s), ' || count(*) || ' anchored to $FABRIC_ANCHOR (' || round((count(*) / greatest(extract(epoch FROM max(recorded) - min(recorded)), 1))::numeric, 2) || '/s), '
      || count(*) FILTER (WHERE code = 'VALID') || ' VALID, in ' || count(DISTINCT block) || ' blocks'
  FROM f"
# VALID under the policy AND('Org1MSP.peer','Org2MSP.peer') means both orgs' peers endorsed it: the peers' validation checks the policy.
FABRIC_NET="$DIR/fabric" scripts/fabric-network.sh status | sed 's/^/fabric /'
elif [ -z "$EVM" ]; then
# Where the time goes, from the database: event committed → first checkpoint that holds it → that checkpoint anchored.
psql_bench "
  WITH e AS (SELECT position, recorded_at, (SELECT min(tree_size) FROM checkpoints c WHERE c.tree_size >= position) AS cp
             FROM events WHERE type = 'asset-registered'),
       t AS (SELECT extract(epoch FROM c.created_at - e.recorded_at) * 1000 AS to_cut, extract(epoch FROM a.anchored_at - c.created_at) * 1000 AS to_anchor
             FROM e JOIN checkpoints c ON c.tree_size = e.cp JOIN anchor_receipts a ON a.tree_size = e.cp AND a.anchor = 'local')
  SELECT 'commit → checkpoint cut: p50 ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY to_cut)::numeric) || ' ms, p99 ' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY to_cut)::numeric)
      || ' ms; cut → anchored: p50 ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY to_anchor)::numeric) || ' ms, p99 ' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY to_anchor)::numeric)
      || ' ms; checkpoints: ' || (SELECT count(*) FROM checkpoints) FROM t"
else
# Where the time goes, from the database, per asset-registered event: its transaction's commit (commit timestamp) → the cut of
# the first checkpoint that holds it → that checkpoint's local anchor receipt → the EVM block holding its transaction
# (anchored_at: the block timestamp, whole seconds, as the chain states it) → the commit of the EVM receipt and cursor row.
echo "== split from the database (ms; per asset-registered event; cumulative times are from the event's commit)"
psql_bench "
  WITH e AS (SELECT position, pg_xact_commit_timestamp(xmin) AS committed, (SELECT min(tree_size) FROM checkpoints c WHERE c.tree_size >= position) AS cp
             FROM events WHERE type = 'asset-registered'),
       t AS (SELECT extract(epoch FROM c.created_at - e.committed) * 1000 AS cut,
                    extract(epoch FROM l.anchored_at - c.created_at) * 1000 AS cut_to_local,
                    extract(epoch FROM v.anchored_at - c.created_at) * 1000 AS cut_to_block,
                    extract(epoch FROM pg_xact_commit_timestamp(v.xmin) - c.created_at) * 1000 AS cut_to_evm_recorded,
                    extract(epoch FROM pg_xact_commit_timestamp(v.xmin) - e.committed) * 1000 AS commit_to_evm_recorded
             FROM e JOIN checkpoints c ON c.tree_size = e.cp
                    JOIN anchor_receipts l ON l.tree_size = e.cp AND l.anchor = 'local'
                    JOIN anchor_receipts v ON v.tree_size = e.cp AND v.anchor = '$EVM_ANCHOR'),
       s(step, ord, ms) AS (SELECT 'commit → checkpoint cut', 1, cut FROM t UNION ALL SELECT 'cut → local anchored', 2, cut_to_local FROM t
             UNION ALL SELECT 'cut → EVM block timestamp (whole seconds, so up to 1 s early)', 3, cut_to_block FROM t UNION ALL SELECT 'cut → EVM receipt recorded', 4, cut_to_evm_recorded FROM t
             UNION ALL SELECT 'commit → EVM receipt recorded', 5, commit_to_evm_recorded FROM t)
  SELECT step || ': n=' || count(*) || ' p50 ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric) || ', p90 ' || round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ms)::numeric)
      || ', p99 ' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric) || ', max ' || round(max(ms)::numeric)
  FROM s GROUP BY step, ord ORDER BY ord"
# The EVM target's throughput while the load ran: checkpoints cut and anchored there, blocks used, and the clock of the chain.
psql_bench "
  WITH v AS (SELECT r.tree_size, (r.proof->>'blockNumber')::bigint AS block, r.anchored_at, pg_xact_commit_timestamp(r.xmin) AS recorded
             FROM anchor_receipts r WHERE r.anchor = '$EVM_ANCHOR')
  SELECT 'checkpoints: ' || (SELECT count(*) FROM checkpoints) || ' cut (' || round(((SELECT count(*) FROM checkpoints) / greatest(extract(epoch FROM (SELECT max(created_at) - min(created_at) FROM checkpoints)), 1))::numeric, 2)
      || '/s), ' || count(*) || ' anchored to $EVM_ANCHOR (' || round((count(*) / greatest(extract(epoch FROM max(recorded) - min(recorded)), 1))::numeric, 2) || '/s) in '
      || count(DISTINCT block) || ' blocks (' || round(count(*)::numeric / greatest(count(DISTINCT block), 1), 2) || ' checkpoints per block, at most '
      || (SELECT max(n) FROM (SELECT count(*) AS n FROM v GROUP BY block) b) || '); last block time minus its receipt''s commit: '
      || round((extract(epoch FROM (SELECT anchored_at - recorded FROM v ORDER BY tree_size DESC LIMIT 1)) * 1000)::numeric) || ' ms'
  FROM v"
fi
grep -c " 500 [^m]\|fail: " "$DIR/api.log" | sed 's/^/server_errors_logged=/' || true
exit "${status:-0}"
