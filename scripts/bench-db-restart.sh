#!/usr/bin/env bash
# PostgreSQL stopped with -m immediate (as a crash) and started again under write load, without restarting the API:
# two API instances on one durable cluster (fsync on) of the script's own, WRITERS writer loops (curl, half on each
# instance) registering assets, each retrying a failed request with the same Idempotency-Key as a client should.
# Prints: the answers by status (none may be 500), the recovery time (PostgreSQL accepting connections again → first
# acknowledged write; and the longest gap between acknowledged writes), acknowledged commands lost (must be 0), keys
# written twice (must be 0), and how long the workers took to catch up (checkpoints and projections over every event).
# Usage: scripts/bench-db-restart.sh [seconds before the stop, 15] [seconds down, 5] [seconds after the start, 15] [writers, 16]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
BEFORE="${1:-15}"; DOWN="${2:-5}"; AFTER="${3:-15}"; WRITERS="${4:-16}"
pg_install
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }
DIR="$(mktemp -d /tmp/assetledger-bench-restart.XXXXXX)"; chmod 755 "$DIR"
PIDS=()
cleanup() { touch "$DIR/stop"; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; pg_stop "$DIR/pg"; rm -rf "$DIR"; }
trap cleanup EXIT
pg_start_free "$DIR/pg"; PORT="$PG_PORT"
psql_bench() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At "$@"; }
dotnet build src/Api -c Release -nologo -v q >/dev/null
URLS=("http://127.0.0.1:$(pg_free_port)" "http://127.0.0.1:$(pg_free_port)")
for i in 0 1; do
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning AssetLedger__OperatorPassword=bench-operator-password \
    AssetLedger__KeyDirectory="$DIR/keys" \
    ASSETLEDGER_DB="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=50" \
    dotnet src/Api/bin/Release/net10.0/AssetLedger.Api.dll --urls "${URLS[$i]}" >"$DIR/api$i.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 90); do curl -sf "${URLS[$i]}/health/ready" >/dev/null && break; sleep 1; done
done
URL="${URLS[0]}"
token() { curl -sf -X POST "$URL/api/v1/auth/token" -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"$2\"}" | jq -r .accessToken; }
OP="$(token operator bench-operator-password)"
for p in owner-a:Owner wh-1:Warehouse; do
  curl -sf -X POST "$URL/api/v1/participants" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
    -d "{\"id\":\"${p%%:*}\",\"name\":\"${p%%:*}\",\"roles\":[\"${p##*:}\"]}" >/dev/null
done
curl -sf -X POST "$URL/api/v1/users" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
  -d '{"login":"owner-a.bench","participantId":"owner-a","displayName":"bench","password":"bench password 1"}' >/dev/null
TOKEN="$(token owner-a.bench 'bench password 1')"
RUN="$(date +%s)"

# One writer: register assets one after the other; a request that fails is retried with the same key until it is
# answered (2xx/4xx) or the run ends. Logs "completion-time status key assetId-or-code" per answer.
writer() {
  local n="$1" url="${URLS[$(( $1 % 2 ))]}" i=0 key code
  while [ ! -f "$DIR/stop" ]; do
    i=$((i + 1)); key="w$n-$i-$RUN"
    while :; do
      code="$(curl -s --max-time 30 -o "$DIR/body.$n" -w '%{http_code}' -X POST "$url/api/v1/assets" \
        -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
        -d "{\"kind\":\"WarehouseReceipt\",\"ownerId\":\"owner-a\",\"warehouseId\":\"wh-1\",\"receiptNumber\":\"R-$key\",\"commodity\":\"crude oil\",\"quantity\":\"1\",\"unit\":\"bbl\"}")" || true
      echo "$(date +%s.%N) ${code:-000} $key $(grep -o '"\(assetId\|code\)":"[^"]*"' "$DIR/body.$n" 2>/dev/null | head -1 | cut -d'"' -f4)" >>"$DIR/log.$n"
      case "$code" in 2*|4*) break ;; esac
      [ -f "$DIR/stop" ] && break
      sleep 0.5
    done
  done
}
for n in $(seq 1 "$WRITERS"); do writer "$n" & PIDS+=($!); done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $WRITERS writers on two instances; PostgreSQL stopped (-m immediate) after ${BEFORE}s for ${DOWN}s, then ${AFTER}s more"
sleep "$BEFORE"
T_STOP="$(date +%s.%N)"
as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -m immediate -w stop >/dev/null
sleep "$DOWN"
pg_start "$DIR/pg" "$PORT"
T_UP="$(date +%s.%N)"
sleep "$AFTER"
touch "$DIR/stop"
for n in $(seq 1 "$WRITERS"); do wait "${PIDS[$((n + 1))]}" 2>/dev/null || true; done
T_END="$(date +%s.%N)"

# How long after the last write each worker covered every event (0 if it already had when the writers finished).
caught_up() {
  local behind
  for _ in $(seq 1 240); do
    behind="$(psql_bench -c "SELECT (SELECT last_position FROM event_sequence) - ($1)")"
    [ "$behind" -le 0 ] && break; sleep 0.25
  done
  echo "$(awk -v e="$T_END" -v n="$(date +%s.%N)" 'BEGIN{printf "%.1f", n - e}') s (events behind: $behind)"
}
CAUGHT_UP="workers caught up after the load stopped: checkpoints $(caught_up "SELECT coalesce(max(tree_size), 0) FROM checkpoints"), projections $(caught_up "SELECT min(position) FROM projection_checkpoints")"

cat "$DIR"/log.* | sort -n >"$DIR/all"
echo "answers by status: $(awk '{print $2}' "$DIR/all" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
echo "answers 500: $(awk '$2 == 500' "$DIR/all" | wc -l)"
echo "codes of failed answers: $(awk '$2 !~ /^2/ {print $2 ":" $4}' "$DIR/all" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
awk -v up="$T_UP" -v stop="$T_STOP" '
  $2 ~ /^2/ { if ($1 < stop) last = $1; if ($1 > up && first == "") first = $1; if (prev != "" && $1 - prev > gap) gap = $1 - prev; prev = $1 }
  END { printf "recovery: first acknowledged write %.2f s after PostgreSQL accepted connections again; longest gap between acknowledged writes %.2f s (stop issued → accepting connections again: %.2f s)\n", first - up, gap, up - stop }' "$DIR/all"
awk '$2 == 201 && $4 != "" {print $4}' "$DIR/all" | sort -u >"$DIR/acked"
echo "acknowledged registrations: $(wc -l <"$DIR/acked")"
IDS="$(sed "s/.*/'asset-&'/" "$DIR/acked" | paste -sd,)"
echo "acknowledged commands lost: $(psql_bench -c "SELECT count(*) FROM unnest(ARRAY[${IDS:-NULL}]::text[]) AS a(s) WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = a.s)")"
echo "keys written twice: $(psql_bench -c "SELECT count(*) FROM (SELECT metadata->>'idempotencyKey' FROM events WHERE metadata->>'idempotencyKey' LIKE 'w%-$RUN' GROUP BY 1 HAVING count(DISTINCT stream_id) > 1) d")"
echo "keys never answered (writer stopped while retrying): $(awk '{k[$3] = $2} END {for (x in k) if (k[x] !~ /^[24]/) n++; print n + 0}' "$DIR/all")"
echo "$CAUGHT_UP"
echo "errors logged by the instances: $(cat "$DIR"/api*.log | grep -c 'fail: ' || true) (unhandled: $(cat "$DIR"/api*.log | grep -c 'Unhandled' || true))"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
