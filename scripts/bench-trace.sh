#!/usr/bin/env bash
# Traceability benchmark on a cluster of its own (durable: fsync on), built from the committed HEAD:
#   seed     `assetledger seed --assets N` through the Application layer: seed rate (events/s, assets/s)
#   catchup  `assetledger projections rebuild` from an empty read model: projection catch-up rate (events/s)
#   api      the Release API serving reads only (no background workers): wrk at 16 connections on each trace endpoint
#            (timeline, timeline.html, encumbrance notice, holdings, search per kind of filter, access audit): p50/p99, requests/s
#   ledger   the API with its workers: ledger catch-up (Merkle tree, checkpoints, local anchors) over the whole log
#            (BENCH_LEDGER_MAX_SECONDS stops waiting and reports the rate so far; a later run continues where it stopped)
#   registrations  after the ledger phase (a certificate needs anchored checkpoints), reads only, 1 connection: the
#            registrations search and the search certificate (ZIP, its first page of 25 matches) by debtor credit code,
#            debtor name and asset key, and by credit code with pages of 100: p50/p99, and the CPU per request of the API
#            and of PostgreSQL (less bent by a loaded machine than the wall time); each after a warm-up of SECS seconds of the search
#            and of the certificate (BENCH_CERT_WARMUP seconds, default SECS, logged as warmup_certificates)
# Usage: scripts/bench-trace.sh [assets, default 1000000] [seconds per wrk run, default 20]
# BENCH_DIR=/path keeps the cluster and results there and reuses them: a phase whose marker file exists is skipped,
# so the api phase can run again on a seeded cluster. BENCH_PHASES="seed catchup api" chooses phases.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
ASSETS="${1:-1000000}"; SECS="${2:-20}"; CONNS=16
PHASES="${BENCH_PHASES:-seed catchup api ledger registrations}"
pg_install
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
DIR="${BENCH_DIR:-$(mktemp -d /tmp/assetledger-bench-trace.XXXXXX)}"; mkdir -p "$DIR"; chmod 755 "$DIR"
RESULTS="$DIR/results.txt"
PORT="$(cat "$DIR/pg.port" 2>/dev/null || pg_free_port)"; echo "$PORT" > "$DIR/pg.port"
API_PID=""
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null; wait 2>/dev/null || true; pg_stop "$DIR/pg"; [ -z "${BENCH_DIR:-}" ] && rm -rf "$DIR"; true; }
trap cleanup EXIT
log() { echo "$*" | tee -a "$RESULTS"; }
has() { [[ " $PHASES " == *" $1 "* ]] && [ ! -f "$DIR/$1.done" ]; }

# Build what is committed, in a directory of its own, so edits in the work tree cannot change a running benchmark.
build() {
  rm -rf "$DIR/src"; mkdir -p "$DIR/src"
  git archive HEAD | tar -x -C "$DIR/src"
  log "== build of $(git rev-parse --short HEAD) ($1)"
  dotnet publish "$DIR/src/src/$1" -c Release -nologo -v q -o "$DIR/bin/$1" >/dev/null
}

pg_start "$DIR/pg" "$PORT" shared_buffers=2GB max_wal_size=8GB checkpoint_timeout=15min
CS="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=100"
psql_bench() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At "$@"; }
log "== $(date -u +%FT%TZ) bench-trace: $ASSETS assets, cluster $DIR/pg on port $PORT, $(nproc) cores"

if has seed; then
  build Cli
  log "== seed: $ASSETS assets"
  start=$(date +%s)
  dotnet "$DIR/bin/Cli/assetledger.dll" seed --assets "$ASSETS" --concurrency 64 --connection "$CS" | tee "$DIR/seed.log" | grep -E "^(SEED_RESULT|Participants)" | tee -a "$RESULTS"
  log "seed_wall_seconds=$(( $(date +%s) - start )) events_in_log=$(psql_bench -c 'SELECT last_position FROM event_sequence')"
  touch "$DIR/seed.done"
fi

if has catchup; then
  [ -f "$DIR/bin/Cli/assetledger.dll" ] || build Cli
  log "== projection catch-up: rebuild of the read models from the whole log"
  start=$(date +%s)
  dotnet "$DIR/bin/Cli/assetledger.dll" projections rebuild --connection "$CS" > "$DIR/catchup.log"
  secs=$(( $(date +%s) - start )); events=$(psql_bench -c 'SELECT last_position FROM event_sequence')
  log "catchup_events=$events catchup_wall_seconds=$secs catchup_events_per_s=$(( events / (secs > 0 ? secs : 1) ))"
  grep -a "Rebuilt" "$DIR/catchup.log" | tee -a "$RESULTS" || true
  psql_bench -c "VACUUM ANALYZE" >/dev/null
  log "read models: assets=$(psql_bench -c 'SELECT count(*) FROM assets') asset_history=$(psql_bench -c 'SELECT count(*) FROM asset_history') size=$(psql_bench -c "SELECT pg_size_pretty(pg_database_size('bench'))")"
  touch "$DIR/catchup.done"
fi

start_api() { # workers: true runs the ledger and projection workers in the API, false serves reads only
  HTTP_PORT="$(pg_free_port)"; URL="http://127.0.0.1:$HTTP_PORT"
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ASSETLEDGER_DB="$CS" \
    AssetLedger__Workers="$1" AssetLedger__KeyDirectory="$DIR/keys" AssetLedger__Ledger__KeyDirectory="$DIR/keys" \
    AssetLedger__OperatorPassword=bench-operator-password \
    dotnet "$DIR/bin/Api/AssetLedger.Api.dll" --urls "$URL" >>"$DIR/api.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 1 120); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 1; done
  # wrk reads as a regulator user of the seeded regulator, with a bearer token (15 minutes; a run is shorter).
  local op; op="$(curl -sf -X POST "$URL/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d '{"login":"operator","password":"bench-operator-password"}' | jq -r .accessToken)"
  curl -s -o /dev/null -X POST "$URL/api/v1/users" -H "Authorization: Bearer $op" -H 'Content-Type: application/json' \
    -d "{\"login\":\"bench.regulator\",\"participantId\":\"${PARTICIPANT:-reg-0001}\",\"displayName\":\"bench\",\"password\":\"bench regulator 1\"}"
  export TOKEN; TOKEN="$(curl -sf -X POST "$URL/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d '{"login":"bench.regulator","password":"bench regulator 1"}' | jq -r .accessToken)"
}
stop_api() { kill "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null || true; API_PID=""; }

if has api; then
  build Api
  psql_bench -c "ANALYZE" >/dev/null
  start_api false
  # Request paths drawn from the data itself.
  P="$DIR/paths"; mkdir -p "$P"
  psql_bench -c "SELECT '/api/v1/trace/assets/' || replace(asset_id::text, '-', '') FROM assets ORDER BY random() LIMIT 20000" > "$P/timeline.txt"
  sed 's|$|/timeline.html|' "$P/timeline.txt" > "$P/timeline-html.txt"
  psql_bench -c "SELECT '/api/v1/registry/encumbrances?key=' || natural_key FROM assets ORDER BY random() LIMIT 20000" > "$P/notice.txt"
  psql_bench -c "SELECT '/api/v1/trace/participants/' || participant_id || '/holdings' || CASE WHEN random() < 0.5 THEN '' ELSE '?asOf=' || to_char(timestamptz '2024-03-01' + random() * interval '700 days', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') END FROM participants, generate_series(1, 4) ORDER BY random()" > "$P/holdings.txt"
  S="/api/v1/trace/search?limit=50&"
  psql_bench -c "SELECT '${S}ownerId=' || participant_id FROM participants WHERE 'Owner' = ANY(roles) ORDER BY random() LIMIT 2000" > "$P/search-owner.txt"
  psql_bench -c "SELECT '${S}warehouseId=' || participant_id || '&status=Active' FROM participants WHERE 'Warehouse' = ANY(roles)" > "$P/search-warehouse-active.txt"
  psql_bench -c "SELECT '${S}venueId=' || participant_id || '&lock=out' FROM participants WHERE 'FinancialInstitution' = ANY(roles) OR 'TradingCenter' = ANY(roles)" > "$P/search-venue-out.txt"
  psql_bench -c "SELECT '${S}debtorId=' || participant_id FROM participants WHERE 'Debtor' = ANY(roles)" > "$P/search-debtor.txt"
  psql_bench -c "SELECT DISTINCT commodity FROM assets WHERE commodity IS NOT NULL" | jq -Rr '@uri' | awk -v p="${S}kind=WarehouseReceipt&commodity=" '{print p $0}' > "$P/search-commodity.txt"
  printf '%s\n' "${S}lock=frozen" "${S}lock=offered" "${S}lock=out" "${S}status=Pending" "${S}status=Rejected&kind=Intangible" "${S}kind=Receivable&status=Active" > "$P/search-lock-status.txt"
  # Free text as people type it: the distinctive end of a receipt or bill number, or words of a title (percent-encoded by jq).
  psql_bench -c "SELECT CASE WHEN title IS NOT NULL THEN substr(title, 3, 4) ELSE right(coalesce(receipt_number, bill_number), 8) END FROM assets ORDER BY random() LIMIT 5000" \
    | jq -Rr '@uri' | awk -v p="${S}q=" '{print p $0}' > "$P/search-text.txt"
  psql_bench -c "SELECT '${S}changedFrom=' || to_char(d, 'YYYY-MM-DD') || '&changedTo=' || to_char(d + interval '7 days', 'YYYY-MM-DD') FROM generate_series(timestamptz '2024-02-01', '2025-12-01', interval '3 days') d" > "$P/search-changed-week.txt"
  psql_bench -c "SELECT '${S}registeredFrom=' || to_char(d, 'YYYY-MM-DD') || '&registeredTo=' || to_char(d + interval '1 day', 'YYYY-MM-DD') || '&lock=none' FROM generate_series(timestamptz '2024-01-01', '2025-11-30', interval '1 day') d" > "$P/search-registered-day.txt"
  printf '%s\n' "/api/v1/audit/access?limit=50" "/api/v1/audit/access?limit=50&participantId=reg-0001" > "$P/audit.txt"

  run() { # name, paths file [connections, seconds]
    local c="${3:-$CONNS}" d="${4:-$SECS}" t=2 out
    [ "$c" -lt 2 ] && t=1
    out="$(PATHS_FILE="$2" wrk -t"$t" -c"$c" -d"${d}s" -s scripts/bench/wrk/get-paths.lua "$URL" | grep RESULT)"
    log "$1 connections=$c ${out#RESULT }"
  }
  log "== wrk: $CONNS connections, ${SECS}s per endpoint, as regulator reg-0001, API without background workers; each request also writes an access_audit row"
  log "ledger: $(psql_bench -c 'SELECT count(*) FROM checkpoints') checkpoints, anchored through $(psql_bench -c 'SELECT coalesce(min(last_size), 0) FROM anchor_cursors') of $(psql_bench -c 'SELECT last_position FROM event_sequence') events"
  run warmup "$P/timeline.txt" >/dev/null
  run trace_timeline "$P/timeline.txt"
  run trace_timeline_html "$P/timeline-html.txt"
  run registry_notice "$P/notice.txt"
  run trace_holdings "$P/holdings.txt"
  for f in "$P"/search-*.txt; do run "trace_$(basename "$f" .txt)" "$f"; done
  run audit_access "$P/audit.txt"
  log "== the same searches one at a time (1 connection, 5 s each): the answer time without queueing for the 2 cores"
  for f in "$P"/search-*.txt; do run "trace_$(basename "$f" .txt)" "$f" 1 5; done
  log "access_audit_rows=$(psql_bench -c 'SELECT count(*) FROM access_audit') server_errors_logged=$(grep -c ' 500 [^m]\|fail: ' "$DIR/api.log" || true)"
  stop_api
  touch "$DIR/api.done"
fi
if has ledger; then
  [ -f "$DIR/bin/Api/AssetLedger.Api.dll" ] || build Api
  start_api true
  head=$(psql_bench -c 'SELECT last_position FROM event_sequence')
  log "== ledger catch-up: Merkle tree, checkpoints and local anchors over $head events (the API's ledger worker)"
  start=$(date +%s)
  base=$(psql_bench -c 'SELECT coalesce(min(last_size), 0) FROM anchor_cursors'); limit="${BENCH_LEDGER_MAX_SECONDS:-0}"
  until [ "$(psql_bench -c "SELECT coalesce((SELECT min(last_size) FROM anchor_cursors), 0) >= $head")" = t ]; do
    sleep 5; [ "$limit" -gt 0 ] && [ $(( $(date +%s) - start )) -ge "$limit" ] && break
  done
  secs=$(( $(date +%s) - start )); done_size=$(psql_bench -c 'SELECT coalesce(min(last_size), 0) FROM anchor_cursors')
  log "ledger_events=$head anchored_through=$done_size (from $base) tree_size=$(psql_bench -c 'SELECT size FROM merkle_tree') ledger_wall_seconds=$secs ledger_events_per_s=$(( (done_size - base) / (secs > 0 ? secs : 1) )) checkpoints=$(psql_bench -c 'SELECT count(*) FROM checkpoints')"
  stop_api
  [ "$done_size" -ge "$head" ] && touch "$DIR/ledger.done"
fi

if has registrations; then
  [ -f "$DIR/bin/Api/AssetLedger.Api.dll" ] || build Api
  psql_bench -c "ANALYZE" >/dev/null
  start_api false
  P="$DIR/paths"; mkdir -p "$P"
  log "== registrations: $(psql_bench -c 'SELECT count(*) FROM registrations') registrations, $(psql_bench -c "SELECT count(*) FROM encumbrances WHERE kind = 'Custody' AND purpose = 'Financing' AND lifted_position IS NULL") open pledges; 1 connection, ${SECS}s each"
  R="/api/v1/registrations"
  psql_bench -c "SELECT '$R?creditCode=' || debtor_credit_code FROM registrations ORDER BY random() LIMIT 5000" > "$P/reg-credit-code.txt"
  psql_bench -c "SELECT debtor_name FROM registrations ORDER BY random() LIMIT 5000" | jq -Rr '@uri' | awk -v p="$R?debtorName=" '{print p $0}' > "$P/reg-debtor-name.txt"
  psql_bench -c "SELECT '$R?assetKey=' || a.natural_key FROM registrations r JOIN assets a ON a.asset_id = r.asset_id ORDER BY random() LIMIT 5000" > "$P/reg-asset-key.txt"
  for f in reg-credit-code reg-debtor-name reg-asset-key; do
    sed "s|^$R?|$R/certificate?wait=0\&|" "$P/$f.txt" > "$P/cert-${f#reg-}.txt"
  done
  # A certificate proves one page of the answer (25 matches by default); the largest page, 100, for what a full page costs.
  sed "s|^$R?|$R/certificate?wait=0\&pageSize=100\&|" "$P/reg-credit-code.txt" > "$P/cert-credit-code-page100.txt"
  # CPU per request as well as wall time: on a shared, loaded machine the wall time is mostly waiting for a core, while the
  # CPU the API process and the cluster's processes spent (utime+stime, clock ticks) is the work a request costs.
  ticks() { awk '{ s += $14 + $15 } END { print s }' "/proc/$API_PID/stat"; }
  pg_ticks() { local pm; pm="$(head -1 "$DIR/pg/postmaster.pid")"; for p in "$pm" $(pgrep -P "$pm"); do cat "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $14 + $15 } END { print s }'; }
  run() {
    local out a0 p0 a1 p1 n hz; hz="$(getconf CLK_TCK)"; a0="$(ticks)"; p0="$(pg_ticks)"
    out="$(PATHS_FILE="$2" wrk -t1 -c1 -d"${SECS}s" -s scripts/bench/wrk/get-paths.lua "$URL" | grep RESULT)"
    a1="$(ticks)"; p1="$(pg_ticks)"; n="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$out")"; n="${n:-0}"; [ "$n" -gt 0 ] || n=1
    log "$1 connections=1 ${out#RESULT } api_cpu_ms_per_req=$(( (a1 - a0) * 1000 / hz / n )) pg_cpu_ms_per_req=$(( (p1 - p0) * 1000 / hz / n )) load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
  }
  run warmup "$P/reg-credit-code.txt" >/dev/null
  # The certificate path warmed too (BENCH_CERT_WARMUP seconds, default SECS; 0 skips it), as bench-api.sh warms its
  # commands: a process's first certificates run code the runtime has not yet optimised, which is the steady state of a
  # service that runs for days only after its first minute. Logged, so the cold figure stays in the results.
  [ "${BENCH_CERT_WARMUP:-$SECS}" -gt 0 ] && SECS="${BENCH_CERT_WARMUP:-$SECS}" run warmup_certificates "$P/cert-debtor-name.txt"
  for f in reg-credit-code reg-debtor-name reg-asset-key cert-credit-code cert-debtor-name cert-asset-key cert-credit-code-page100; do run "registrations_$f" "$P/$f.txt"; done
  log "server_errors_logged=$(grep -c ' 500 [^m]\|fail: ' "$DIR/api.log" || true)"
  stop_api
  touch "$DIR/registrations.done"
fi

log "== $(date -u +%FT%TZ) done; results in $RESULTS"
