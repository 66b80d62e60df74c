#!/usr/bin/env bash
# kill -9 of the primary PostgreSQL under write load, with a synchronous standby and automatic failover (scripts/ha.sh,
# pg_auto_failover, a formation of the script's own): two API instances on the multi-host connection string, WRITERS
# writer loops (curl, half on each instance) registering assets, each retrying a failed request with the same
# Idempotency-Key as a client should. Nothing is restarted by hand: the monitor promotes the standby, the instances find it.
# Prints: the answers by status, the recovery time (last write acknowledged on the old primary → first acknowledged on
# the new one) and the promotion time, acknowledged commands lost (must be 0), keys written twice (must be 0), the
# integrity check of every event hash, stream chain, the tree and every checkpoint on the new primary, and whether the
# checkpoint published before the kill is still the same.
# Usage: scripts/bench-failover.sh [seconds before the kill, 20] [seconds after the new primary, 20] [writers, 16]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
BEFORE="${1:-20}"; AFTER="${2:-20}"; WRITERS="${3:-16}"
pg_install
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }
DIR="$(mktemp -d /tmp/assetledger-bench-failover.XXXXXX)"; chmod 755 "$DIR"
export HA_DIR="$DIR/ha"
HA_MONITOR_PORT="$(pg_free_port)"; HA_NODE1_PORT="$(pg_free_port)"; HA_NODE2_PORT="$(pg_free_port)"
export HA_MONITOR_PORT HA_NODE1_PORT HA_NODE2_PORT
PIDS=()
cleanup() {
  touch "$DIR/stop"; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null
  scripts/ha.sh down >/dev/null 2>&1 || true; rm -rf "$DIR"
}
trap cleanup EXIT
echo "== a formation of our own: monitor $HA_MONITOR_PORT, nodes $HA_NODE1_PORT and $HA_NODE2_PORT"
scripts/ha.sh up | sed 's/^/   /'
psql_primary() { "$PG_BIN/psql" -h 127.0.0.1 -p "$(scripts/ha.sh primary)" -U postgres -d assetledger -At "$@"; }
. scripts/lib/bench-writers.sh
bench_two_instances "Host=127.0.0.1:$HA_NODE1_PORT,127.0.0.1:$HA_NODE2_PORT;Username=postgres;Database=assetledger;Target Session Attributes=primary;Maximum Pool Size=50"
bench_start_writers
echo "== $WRITERS writers on two instances; the primary killed (-9, PostgreSQL and its keeper) after ${BEFORE}s"
sleep "$BEFORE"
PUBLISHED="$(curl -sf "$URL/api/v1/ledger/checkpoints/latest")"
OLD_PRIMARY="$(scripts/ha.sh primary)"
KILLED="$(scripts/ha.sh kill-primary)"
# Taken once the kill is done (ha.sh needs a moment first on a loaded machine): every commit before it may be the old
# primary's, every one after it is the new one's.
T_KILL="$(date +%s.%N)"
echo "killed $KILLED (port $OLD_PRIMARY); checkpoint published before: size $(jq -r .treeSize <<<"$PUBLISHED")"
# Asked of the monitor directly (ha.sh would cost a second a call on a loaded machine): the other node taking writes.
NEW_PRIMARY=""
for _ in $(seq 1 1200); do
  NEW_PRIMARY="$("$PG_BIN/psql" -h 127.0.0.1 -p "$HA_MONITOR_PORT" -U postgres -d pg_auto_failover -Atqc \
    "SELECT nodeport FROM pgautofailover.node WHERE nodeport <> $OLD_PRIMARY AND reportedstate = goalstate AND reportedstate IN ('primary', 'wait_primary', 'single')" 2>/dev/null || true)"
  [ -n "$NEW_PRIMARY" ] && break
  sleep 0.1
done
T_PROMOTED="$(date +%s.%N)"
echo "new primary on port $NEW_PRIMARY, $(awk -v a="$T_KILL" -v b="$T_PROMOTED" 'BEGIN{printf "%.1f", b - a}') s after the kill"
sleep "$AFTER"
touch "$DIR/stop"
for n in $(seq 1 "$WRITERS"); do wait "${PIDS[$((n + 1))]}" 2>/dev/null || true; done

cat "$DIR"/log.* | sort -n >"$DIR/all"
echo "answers by status: $(awk '{print $2}' "$DIR/all" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
echo "failed answers by status and code: $(awk '$2 !~ /^2/ {print $2 ":" $4}' "$DIR/all" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
# Which primary took a write, from the database: the old one committed only before the kill, the new one only after its
# promotion (recorded_at is the transaction's start). The recovery runs from the old primary's last commit to the first
# answer acknowledging a write the new one took.
LAST_OLD="$(psql_primary -c "SELECT extract(epoch FROM max(recorded_at)) FROM events WHERE recorded_at < to_timestamp($T_KILL)")"
psql_primary -c "SELECT stream_id FROM events GROUP BY stream_id HAVING min(recorded_at) > to_timestamp($T_KILL)" | sed 's/^asset-//' >"$DIR/on-new"
awk -v last="$LAST_OLD" -v kill="$T_KILL" -v promoted="$T_PROMOTED" 'NR == FNR { onnew[$1] = 1; next }
  $2 == 201 && ($4 in onnew) && first == "" { first = $1 }
  END { printf "recovery: last write on the old primary → first write acknowledged on the new one %.2f s (kill → first acknowledged on the new %.2f s; kill → the monitor shows the new primary %.2f s)\n", first - last, first - kill, promoted - kill }' "$DIR/on-new" "$DIR/all"
awk '$2 == 201 && $4 != "" {print $4}' "$DIR/all" | sort -u >"$DIR/acked"
echo "acknowledged registrations: $(wc -l <"$DIR/acked") ($(awk -v kill="$T_KILL" '$2 == 201 && $1 < kill' "$DIR/all" | wc -l) before the kill)"
IDS="$(sed "s/.*/'asset-&'/" "$DIR/acked" | paste -sd,)"
echo "acknowledged commands lost: $(psql_primary -c "SELECT count(*) FROM unnest(ARRAY[${IDS:-NULL}]::text[]) AS a(s) WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = a.s)")"
echo "keys written twice: $(psql_primary -c "SELECT count(*) FROM (SELECT metadata->>'idempotencyKey' FROM events WHERE metadata->>'idempotencyKey' LIKE 'w%-$RUN' GROUP BY 1 HAVING count(DISTINCT stream_id) > 1) d")"
echo "keys never answered (writer stopped while retrying): $(awk '{k[$3] = $2} END {for (x in k) if (k[x] !~ /^[24]/) n++; print n + 0}' "$DIR/all")"
# Every event hash, stream chain, the tree and every checkpoint, recomputed on the new primary.
HEAD="$(psql_primary -c "SELECT last_position FROM event_sequence")"
for _ in $(seq 1 120); do [ "$(psql_primary -c "SELECT coalesce(max(tree_size), 0) FROM checkpoints")" -ge "$HEAD" ] && break; sleep 0.5; done
INTEGRITY="$(curl -s "$URL/api/v1/ledger/integrity?from=1&to=$HEAD" -H "Authorization: Bearer $OP")"
echo "integrity over positions 1..$HEAD: ok=$(jq -r .ok <<<"$INTEGRITY") events=$(jq -r .eventsChecked <<<"$INTEGRITY") problems=$(jq -c '.problems | length' <<<"$INTEGRITY") first bad=$(jq -r .firstBadPosition <<<"$INTEGRITY")"
SIZE="$(jq -r .treeSize <<<"$PUBLISHED")"
AFTERWARDS="$(curl -sf "$URL/api/v1/ledger/checkpoints/$SIZE")"
echo "checkpoint $SIZE published before the kill unchanged on the new primary: $([ "$(jq -c 'del(.cosignatures, .cosignedNote)' <<<"$PUBLISHED")" = "$(jq -c 'del(.cosignatures, .cosignedNote)' <<<"$AFTERWARDS")" ] && echo yes || echo NO)"
echo "errors logged by the instances: $(cat "$DIR"/api*.log | grep -c 'fail: ' || true) (unhandled: $(cat "$DIR"/api*.log | grep -c 'Unhandled' || true))"
echo "formation afterwards (the old primary stays down until 'scripts/ha.sh up' brings it back as the standby):"
scripts/ha.sh status | sed 's/^/   /'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
