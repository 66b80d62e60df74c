#!/usr/bin/env bash
# Evidence bundle benchmark on a cluster of its own (durable: fsync on), built from the committed HEAD:
#   seed    `assetledger seed` through the Application layer until the log holds at least N events
#   ledger  the Release API's ledger worker builds the Merkle tree, cuts checkpoints and anchors them over the log
#   export  GET /api/v1/evidence/ledger?from=1&to=N as the operator: wall time, bundle size (curl)
#   verify  `assetledger verify` on that bundle, offline: wall time, peak memory, exit code
#   asset   the same for one asset's bundle
# Prints the load average before and after, since the machine may be shared.
# Usage: scripts/bench-evidence.sh [events, default 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
EVENTS="${1:-100000}"
pg_install
DIR="$(mktemp -d /tmp/assetledger-bench-evidence.XXXXXX)"; chmod 755 "$DIR"
PORT="$(pg_free_port)"; HTTP_PORT="$(pg_free_port)"; URL="http://127.0.0.1:$HTTP_PORT"
API_PID=""
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null; wait 2>/dev/null || true; pg_stop "$DIR/pg"; rm -rf "$DIR"; }
trap cleanup EXIT
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "== $(date -u +%FT%TZ) bench-evidence: $EVENTS events, $(nproc) cores, load average $(loadavg)"

# Build what is committed, so edits in the work tree cannot change a running benchmark.
mkdir -p "$DIR/src"; git archive HEAD | tar -x -C "$DIR/src"
echo "== build of $(git rev-parse --short HEAD)"
dotnet publish "$DIR/src/src/Cli" -c Release -nologo -v q -o "$DIR/bin/Cli" >/dev/null
dotnet publish "$DIR/src/src/Api" -c Release -nologo -v q -o "$DIR/bin/Api" >/dev/null

pg_start "$DIR/pg" "$PORT" shared_buffers=1GB max_wal_size=4GB
CS="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=100"
psql_bench() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At "$@"; }

assets=$(( EVENTS / 5 ))
head=0
while [ "$head" -lt "$EVENTS" ]; do
  echo "== seed: $assets assets"
  dotnet "$DIR/bin/Cli/assetledger.dll" seed --assets "$assets" --connection "$CS" > "$DIR/seed.log" 2>&1 || true
  grep -E "^SEED_RESULT" "$DIR/seed.log" || { tail -5 "$DIR/seed.log"; echo "the seed failed"; exit 1; }
  head=$(psql_bench -c 'SELECT last_position FROM event_sequence')
  assets=$(( assets + (EVENTS - head) / 4 + 100 ))
done
echo "events_in_log=$head"

PASSWORD="bench-operator-$RANDOM$RANDOM"
Logging__LogLevel__Default=Warning ASSETLEDGER_DB="$CS" AssetLedger__OperatorPassword="$PASSWORD" AssetLedger__KeyDirectory="$DIR/keys" \
  dotnet "$DIR/bin/Api/AssetLedger.Api.dll" --urls "$URL" >"$DIR/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 120); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 1; done
start=$(date +%s)
until [ "$(psql_bench -c "SELECT coalesce((SELECT min(last_size) FROM anchor_cursors), 0) >= $EVENTS")" = t ]; do sleep 2; done
echo "== ledger: tree, checkpoints and anchors over the log in $(( $(date +%s) - start )) s ($(psql_bench -c 'SELECT count(*) FROM checkpoints') checkpoints)"

TOKEN=$(curl -sS -X POST "$URL/api/v1/auth/token" -H 'Content-Type: application/json' -d "{\"login\":\"operator\",\"password\":\"$PASSWORD\"}" | sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "could not log in as the operator"; exit 1; }

echo "== export: GET /api/v1/evidence/ledger?from=1&to=$EVENTS (load average $(loadavg))"
read -r code secs bytes < <(curl -sS -o "$DIR/ledger.zip" -w '%{http_code} %{time_total} %{size_download}\n' -H "Authorization: Bearer $TOKEN" \
  "$URL/api/v1/evidence/ledger?from=1&to=$EVENTS&wait=30")
[ "$code" = 200 ] || { echo "export answered $code: $(head -c 500 "$DIR/ledger.zip")"; exit 1; }
echo "export_status=$code export_seconds=$secs bundle_bytes=$bytes ($(( bytes / 1048576 )) MiB)"
unzip -l "$DIR/ledger.zip" | awk 'NR > 3 && $4 !~ /^checkpoints\// && NF == 4 { printf "  %-20s %12d bytes\n", $4, $1 }'

echo "== verify: assetledger verify (offline) on the $EVENTS-event bundle (load average $(loadavg))"
set +e
/usr/bin/time -f 'verify_seconds=%e verify_peak_rss_mib=%M' -o "$DIR/verify.time" \
  dotnet "$DIR/bin/Cli/assetledger.dll" verify "$DIR/ledger.zip" > "$DIR/verify.log" 2>&1
status=$?
set -e
awk '{ sub(/verify_peak_rss_mib=[0-9]+/, "verify_peak_rss_mib=" int(substr($2, index($2, "=") + 1) / 1024)); print }' "$DIR/verify.time"
grep -E "^(PASS|FAIL)" "$DIR/verify.log" | cut -c1-160
tail -1 "$DIR/verify.log"; echo "verify_exit_code=$status"

ASSET=$(psql_bench -c "SELECT substring(stream_id from 7) FROM events WHERE stream_id LIKE 'asset-%' AND position <= $EVENTS GROUP BY stream_id ORDER BY count(*) DESC, stream_id LIMIT 1")
echo "== one asset: GET /api/v1/evidence/assets/$ASSET"
read -r code secs bytes < <(curl -sS -o "$DIR/asset.zip" -w '%{http_code} %{time_total} %{size_download}\n' -H "Authorization: Bearer $TOKEN" \
  "$URL/api/v1/evidence/assets/$ASSET?wait=30")
/usr/bin/time -f '%e' -o "$DIR/asset-verify.time" dotnet "$DIR/bin/Cli/assetledger.dll" verify "$DIR/asset.zip" > "$DIR/asset-verify.log" 2>&1 && astatus=0 || astatus=$?
echo "asset_export_status=$code asset_export_seconds=$secs asset_bundle_bytes=$bytes asset_verify_seconds=$(cat "$DIR/asset-verify.time") asset_verify_exit_code=$astatus ($(tail -1 "$DIR/asset-verify.log"))"
echo "== $(date -u +%FT%TZ) done; load average $(loadavg); server_errors_logged=$(grep -c ' 500 [^m]\|fail: ' "$DIR/api.log" || true)"
[ "$status" -eq 0 ]
