#!/usr/bin/env bash
# The web console's server time at scale (issue 20): p50/p99 at 1 connection of the pages people open most, on a
# cluster seeded by scripts/bench-trace.sh's seed and catch-up phases (the same data as the trace benchmark):
#   asset page   /console/assets/{id}  (the asset's stream, the buttons the decider allows, the timeline with proofs)
#   dashboard    /console for a seeded owner and for the regulator (what waits for me)
#   my assets    /console/assets for the owner
#   trace search /console/trace by commodity, by owner, by free text (each also writes an access-audit row)
# Each page is rendered in full (HTML), through the cookie session check, as a browser asks for it.
# Usage: scripts/bench-console.sh [assets, default 1000000] [seconds per page, default 20]
# BENCH_DIR=/path keeps (and reuses) the seeded cluster, as bench-trace.sh does; a cluster bench-trace.sh seeded there is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
ASSETS="${1:-1000000}"; SECS="${2:-20}"
DIR="${BENCH_DIR:-$(mktemp -d /tmp/assetledger-bench-console.XXXXXX)}"; mkdir -p "$DIR"
# Seed and project through bench-trace.sh (skipped where its markers say they are done), keeping the cluster.
BENCH_DIR="$DIR" BENCH_PHASES="seed catchup" scripts/bench-trace.sh "$ASSETS" "$SECS"
. scripts/lib/pg.sh
pg_install
PORT="$(cat "$DIR/pg.port")"; RESULTS="$DIR/results.txt"
API_PID=""
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null; wait 2>/dev/null || true; pg_stop "$DIR/pg"; [ -z "${BENCH_DIR:-}" ] && rm -rf "$DIR"; true; }
trap cleanup EXIT
log() { echo "$*" | tee -a "$RESULTS"; }
pg_start "$DIR/pg" "$PORT" shared_buffers=2GB max_wal_size=8GB checkpoint_timeout=15min
CS="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=100"
psql_bench() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At "$@"; }

rm -rf "$DIR/console-src"; mkdir -p "$DIR/console-src"; git archive HEAD | tar -x -C "$DIR/console-src"
log "== $(date -u +%FT%TZ) bench-console: build of $(git rev-parse --short HEAD), $(psql_bench -c 'SELECT count(*) FROM assets') assets, $(nproc) cores"
dotnet publish "$DIR/console-src/src/Api" -c Release -nologo -v q -o "$DIR/bin/ConsoleApi" >/dev/null
psql_bench -c "ANALYZE" >/dev/null

HTTP_PORT="$(pg_free_port)"; URL="http://127.0.0.1:$HTTP_PORT"
# Reads only: the projection and ledger workers stay off, so the figures are the pages' own cost.
ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ASSETLEDGER_DB="$CS" \
  AssetLedger__Workers=false AssetLedger__KeyDirectory="$DIR/keys" AssetLedger__Ledger__KeyDirectory="$DIR/keys" \
  AssetLedger__OperatorPassword=bench-operator-password \
  dotnet "$DIR/bin/ConsoleApi/AssetLedger.Api.dll" --urls "$URL" >>"$DIR/console-api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 120); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 1; done
OP="$(curl -sf -X POST "$URL/api/v1/auth/token" -H 'Content-Type: application/json' -d '{"login":"operator","password":"bench-operator-password"}' | jq -r .accessToken)"
OWNER="$(psql_bench -c "SELECT owner_id FROM assets GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1")"
for who in "reg-0001:bench.console.regulator" "$OWNER:bench.console.owner"; do
  curl -s -o /dev/null -X POST "$URL/api/v1/users" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
    -d "{\"login\":\"${who#*:}\",\"participantId\":\"${who%%:*}\",\"displayName\":\"bench\",\"password\":\"bench console user 1\"}"
done

# session LOGIN: signs in through the console's login form (antiforgery token and all) and prints the Cookie header.
session() {
  local jar="$DIR/$1.cookies" token
  rm -f "$jar"
  token="$(curl -s -c "$jar" -b "$jar" "$URL/console/login" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//; s/"$//' | head -1)"
  curl -s -o /dev/null -c "$jar" -b "$jar" -X POST "$URL/console/login" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "login=$1" --data-urlencode "password=bench console user 1"
  awk 'NF == 7 && $6 ~ /^assetledger\./ { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar"
}
REGULATOR="$(session bench.console.regulator)"; OWNER_COOKIE="$(session bench.console.owner)"
[[ "$REGULATOR" == *assetledger.console=* && "$OWNER_COOKIE" == *assetledger.console=* ]] || { log "console sign-in failed"; exit 1; }

P="$DIR/console-paths"; mkdir -p "$P"
psql_bench -c "SELECT '/console/assets/' || replace(asset_id::text, '-', '') FROM assets ORDER BY random() LIMIT 20000" > "$P/asset-page.txt"
echo "/console" > "$P/dashboard.txt"
echo "/console/assets" > "$P/my-assets.txt"
psql_bench -c "SELECT DISTINCT commodity FROM assets WHERE commodity IS NOT NULL" | jq -Rr '@uri' | sed 's|^|/console/trace?kind=WarehouseReceipt\&commodity=|' > "$P/trace-commodity.txt"
psql_bench -c "SELECT '/console/trace?ownerId=' || participant_id FROM participants WHERE 'Owner' = ANY(roles) ORDER BY random() LIMIT 2000" > "$P/trace-owner.txt"
psql_bench -c "SELECT right(coalesce(receipt_number, bill_number, title), 8) FROM assets ORDER BY random() LIMIT 5000" | jq -Rr '@uri' | sed 's|^|/console/trace?q=|' > "$P/trace-text.txt"

run() { # name, paths file, cookie
  local out; out="$(COOKIE="$3" PATHS_FILE="$2" wrk -t1 -c1 -d"${SECS}s" -s scripts/bench/wrk/get-paths.lua "$URL" | grep RESULT)"
  log "console_$1 connections=1 ${out#RESULT }"
}
log "== console pages, 1 connection, ${SECS}s each, load average $(cut -d' ' -f1-3 /proc/loadavg); goal p99 < 100 ms"
run warmup "$P/asset-page.txt" "$REGULATOR" >/dev/null
run asset_page "$P/asset-page.txt" "$REGULATOR"
run dashboard_regulator "$P/dashboard.txt" "$REGULATOR"
run dashboard_owner "$P/dashboard.txt" "$OWNER_COOKIE"
run my_assets_owner "$P/my-assets.txt" "$OWNER_COOKIE"
run trace_commodity "$P/trace-commodity.txt" "$REGULATOR"
run trace_owner "$P/trace-owner.txt" "$REGULATOR"
run trace_text "$P/trace-text.txt" "$REGULATOR"
log "owner $OWNER holds $(psql_bench -c "SELECT count(*) FROM assets WHERE owner_id = '$OWNER'") assets; server_errors_logged=$(grep -c ' 500 [^m]\|fail: ' "$DIR/console-api.log" || true); load average $(cut -d' ' -f1-3 /proc/loadavg)"
