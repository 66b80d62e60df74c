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
. scripts/lib/bench-writers.sh
bench_two_instances "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=50"
bench_start_writers
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
