#!/usr/bin/env bash
# Time from a command's 2xx to its inclusion in an anchored checkpoint, under load: the real service (Release build,
# durable PostgreSQL with fsync on, a cluster of its own), C connections posting POST /api/v1/assets as fast as they are
# answered for S seconds, one poller on GET /api/v1/ledger/anchors every 10 ms. Prints p50/p90/p99/max and the load average.
# Goal: p99 < 1.5 s.
# Usage: scripts/bench-anchor-latency.sh [seconds, default 30] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
SECS="${1:-30}"; CONNS="${2:-32}"
pg_install
DIR="$(mktemp -d /tmp/assetledger-bench-anchor.XXXXXX)"; chmod 755 "$DIR"
PORT="$(pg_free_port)"; HTTP_PORT="$(pg_free_port)"
API_PID=""
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null; wait 2>/dev/null; pg_stop "$DIR/pg"; rm -rf "$DIR"; }
trap cleanup EXIT
pg_start "$DIR/pg" "$PORT"
dotnet build src/Api -c Release -nologo -v q >/dev/null
dotnet build scripts/bench/AnchorLatencyBench -c Release -nologo -v q >/dev/null
URL="http://127.0.0.1:$HTTP_PORT"
PASSWORD="bench-operator-$RANDOM$RANDOM"
Logging__LogLevel__Default=Warning AssetLedger__OperatorPassword="$PASSWORD" AssetLedger__KeyDirectory="$DIR/keys" \
  ASSETLEDGER_DB="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=100" \
  dotnet src/Api/bin/Release/net10.0/AssetLedger.Api.dll --urls "$URL" >"$DIR/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 90); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 1; done
echo "== command → anchored checkpoint: $CONNS connections posting POST /api/v1/assets for ${SECS}s (after 5 s warm-up)"
dotnet scripts/bench/AnchorLatencyBench/bin/Release/net10.0/AnchorLatencyBench.dll "$URL" "$PASSWORD" "$SECS" "$CONNS" 5 || status=$?
# Where the time goes, from the database: event committed → first checkpoint that holds it → that checkpoint anchored.
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At -F ' ' -c "
  WITH e AS (SELECT position, recorded_at, (SELECT min(tree_size) FROM checkpoints c WHERE c.tree_size >= position) AS cp
             FROM events WHERE type = 'asset-registered'),
       t AS (SELECT extract(epoch FROM c.created_at - e.recorded_at) * 1000 AS to_cut, extract(epoch FROM a.anchored_at - c.created_at) * 1000 AS to_anchor
             FROM e JOIN checkpoints c ON c.tree_size = e.cp JOIN anchor_receipts a ON a.tree_size = e.cp AND a.anchor = 'local')
  SELECT 'commit → checkpoint cut: p50 ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY to_cut)::numeric) || ' ms, p99 ' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY to_cut)::numeric)
      || ' ms; cut → anchored: p50 ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY to_anchor)::numeric) || ' ms, p99 ' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY to_anchor)::numeric)
      || ' ms; checkpoints: ' || (SELECT count(*) FROM checkpoints) FROM t"
grep -c " 500 \|fail: " "$DIR/api.log" | sed 's/^/server_errors_logged=/' || true
exit "${status:-0}"
