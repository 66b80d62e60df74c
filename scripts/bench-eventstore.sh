#!/usr/bin/env bash
# Event store benchmark on a cluster of its own with durable settings (fsync on):
#  (a) PostgreSQL's own single-row INSERT rate: pgbench, 32 clients, a table shaped like `events`
#  (b) the store's append rate: 1 event per append, 32 concurrent writers on distinct streams
#  (c) the same with 10 events per append
# and pg_test_fsync's fdatasync rate, so figures compare across machines.
# Usage: scripts/bench-eventstore.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
SECONDS_PER_RUN="${1:-15}"
pg_install
DIR="$(mktemp -d /tmp/assetledger-bench-pg.XXXXXX)"
trap 'pg_stop "$DIR"; rm -rf "$DIR"' EXIT
PORT="$(pg_free_port)"
pg_start "$DIR" "$PORT"
CS="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=100"

echo "== pg_test_fsync (8kB write, fdatasync)"
FSYNC_FILE="$DIR/fsync.test"
fdatasync="$(as_pg "$PG_BIN/pg_test_fsync" -s 2 -f "$FSYNC_FILE" 2>/dev/null | awk '/^Compare file sync methods using one 8kB write/{f=1} f && /^ +fdatasync/ {print $2; exit}')"
echo "fdatasync ops/s: ${fdatasync:-n/a}"

dotnet build scripts/bench/EventStoreBench -c Release -nologo -v q >/dev/null
BENCH="dotnet scripts/bench/EventStoreBench/bin/Release/net10.0/EventStoreBench.dll"
$BENCH "$CS" 1 1 1 >/dev/null   # creates and migrates the database

echo "== (a) pgbench: single-row INSERT into a table shaped like events, 32 clients, ${SECONDS_PER_RUN}s"
. scripts/lib/bench-measure.sh
pgbench_tps="$(pgbench_insert_rate "$SECONDS_PER_RUN")"
echo "pgbench inserts/s: $pgbench_tps"

echo "== (b) store: 32 writers, 1 event per append, ${SECONDS_PER_RUN}s"
b="$($BENCH "$CS" 32 1 "$SECONDS_PER_RUN")"; echo "$b"
echo "== (c) store: 32 writers, 10 events per append, ${SECONDS_PER_RUN}s"
c="$($BENCH "$CS" 32 10 "$SECONDS_PER_RUN")"; echo "$c"

b_events="$(sed -n 's/.*events\/s=\([0-9]*\).*/\1/p' <<<"$b")"
c_events="$(sed -n 's/.*events\/s=\([0-9]*\).*/\1/p' <<<"$c")"
ratio="$(awk -v b="$b_events" -v a="$pgbench_tps" 'BEGIN{ if (a>0) printf "%.2f", b/a; else print "n/a" }')"
echo "== summary"
echo "fdatasync_ops_per_s=${fdatasync:-n/a} pgbench_inserts_per_s=$pgbench_tps store_1x32_events_per_s=$b_events store_10x32_events_per_s=$c_events ratio_b_over_a=$ratio"
