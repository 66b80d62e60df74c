#!/usr/bin/env bash
# HTTP load on the real service (Release build, durable PostgreSQL with fsync on, a cluster of its own). First pgbench's
# single-row INSERT on the same cluster (the yardstick), then wrk on POST /api/v1/assets (without, then with an
# Idempotency-Key per request) and GET /api/v1/assets/{id}.
# Prints requests/s, p50/p99, commands/s ÷ pgbench inserts/s, CPU µs per request of the API process and of PostgreSQL
# (all its processes: backends, WAL writer, checkpointer; the API's projection and ledger workers run beside and count
# in both), and the server errors logged.
# Usage: scripts/bench-api.sh [seconds, default 30] [connections, default 32] [commands (default) | mixed | split]
# mixed: instead of the three runs above, the mixed load (70 % reads of assets and trace, 30 % lifecycle commands across
# five participants: scripts/bench/wrk/mixed.lua) at 32 and 128 connections on one API process, then on two sharing the
# cluster (scripts/lib/bench-mixed.sh); BENCH_MIXED lists the runs to make (default "1x32 1x128 2x32 2x128"). Every run
# starts with no assets, so it begins with registrations only and every connection on the same few new assets;
# BENCH_MIXED_CARRY=1 starts each run reading the assets the run before it on that process read (the warm-up's, for the
# first), as a load that has been running would (session 20: not_yet_projected 137 -> 3 at 1x32, p99 unchanged).
# split: the mixed load's kinds of request apart, on one API process at CONNS connections: commands alone, then 30 %
# commands with 70 % GET /assets/{id}, then with 70 % GET /trace/assets/{id}; prints CPU µs per request of each kind for
# the API and PostgreSQL (the reads' share from the runs with commands, less the commands' own cost). BENCH_SPLIT lists the
# kinds to run (default "commands asset trace"; a read's share needs the commands' run).
# PROFILE=1 adds, per measured run, PostgreSQL's commits and statements per request (pg_stat_statements);
# PROFILE_TRACE=DIR also a dotnet-trace sample of the API's threads; PROFILE_PERF=DIR a perf profile of the API per run
# (JIT-compiled methods named), written to DIR/NAME.txt; PROFILE_WAITS=1 what PostgreSQL's busy backends wait on and run,
# sampled every 0.1 s (scripts/lib/bench-profile.sh); BENCH_KEEP_LOGS=DIR keeps the API processes' logs (the slow
# requests, each with its stages). BENCH_PG_OPTIONS adds postgres -c settings (name=value ...) to the cluster, to try one.
# The first line says whether the kernel's DAMON monitor (kdamond) was sampling; BENCH_DAMON=off pauses it for the run and
# puts it back at the end (scripts/lib/bench-damon.sh: on this machine it stalls the load for ~0.1 s every 0.6 s).
# Each warm-up ends with a CHECKPOINT, so the measured runs reuse WAL segments as a running cluster does
# (BENCH_WARM_CHECKPOINT=0 skips it; see warm_checkpoint below).
# ASSETLEDGER_API_DLL runs
# another build (scripts/lib/bench-writers.sh). BENCH_WARMUP=SECONDS (default 120) sets the warm-up before the measured runs:
# under load the runtime's tiered JIT takes tens of seconds to replace its first, unoptimised code on 2 cores, so the
# 5 s warm-up of earlier sessions measured much of that (session 11, same machine and minute: POST at 32 connections
# 1,180/s with API 879 us per command after 5 s; 2,163/s with 326 us after 40 s). A service runs for days: the figures
# that matter are the steady state's; a process's first minute under full load is slower. Session 13: after 40 s (and
# pgbench's 20 s) perf still found the runtime's tiering compiler at 28 % of the API's samples in a measured trace run, and
# at 2.7 % after 150 s, so the default is now 120 s.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
SECS="${1:-30}"; CONNS="${2:-32}"; MODE="${3:-commands}"; WARMUP="${BENCH_WARMUP:-120}"
pg_install
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
DIR="$(mktemp -d /tmp/assetledger-bench-api.XXXXXX)"; chmod 755 "$DIR"
PORT="$(pg_free_port)"
API_PID=""
API2_PID=""
. scripts/lib/bench-damon.sh
cleanup() { for p in $API_PID $API2_PID; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; damon_restore; pg_stop "$DIR/pg"; [ -z "${BENCH_KEEP_LOGS:-}" ] || { mkdir -p "$BENCH_KEEP_LOGS"; cp "$DIR"/api*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null; }; rm -rf "$DIR"; }
trap cleanup EXIT
damon_pause_if_asked
. scripts/lib/bench-profile.sh
# shellcheck disable=SC2046
# Two API processes hold up to 100 connections each.
pg_start "$DIR/pg" "$PORT" max_connections=300 $(profile_pg_options) ${BENCH_PG_OPTIONS:-}
. scripts/lib/bench-writers.sh
. scripts/lib/bench-measure.sh
bench_one_instance
bench_onboard
export TOKEN
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(damon_describe)"
echo "== pgbench: single-row INSERT, 32 clients, ${SECS}s"
PGBENCH="$(pgbench_insert_rate "$SECS")"
echo "pgbench_inserts_per_s=$PGBENCH"

# measured NAME WRK-ARGS...: runs wrk, then prints its RESULT line as NAME with CPU µs per request of the API and PostgreSQL.
measured() {
  local name="$1" out api0 pg0 api1 pg1 n; shift
  profile_begin "$name" "$API_PID"
  slow_begin
  api0="$(cpu_ticks "$API_PID")"; pg0="$(cpu_ticks $(pg_pids))"
  out="$(wrk "$@" | grep RESULT || true)"
  [ -n "$out" ] || { echo "$name: wrk printed no result"; return 0; }
  api1="$(cpu_ticks "$API_PID")"; pg1="$(cpu_ticks $(pg_pids))"
  n="$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")"
  PROFILE_API_US="$(us_per $((api1 - api0)) "$n")"
  echo "${out/RESULT/$name} api_cpu_us_per_req=$PROFILE_API_US pg_cpu_us_per_req=$(us_per $((pg1 - pg0)) "$n")"
  profile_end "$name" "$n"
  slow_end "$name"
}

# After a warm-up, a checkpoint (BENCH_WARM_CHECKPOINT=0 skips it): a fresh cluster has no old WAL segments to recycle, so
# under load a commit opened a new 16 MB segment about every second (POST at 3,000/s writes ~16 MB of WAL a second) and
# zero-filled and flushed it while every other commit waited on it (IO:WALInitWrite, then WALInitSync: 60-130 ms, all 32
# requests at once, session 21). A cluster that has been running recycles the segments its checkpoints free instead; the
# checkpoint at the end of the warm-up does that for the measured runs.
warm_checkpoint() {
  [ "${BENCH_WARM_CHECKPOINT:-1}" = 1 ] || { echo "== no checkpoint after the warm-up (BENCH_WARM_CHECKPOINT=0)"; return 0; }
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At -c CHECKPOINT >/dev/null
  echo "== checkpoint after the warm-up: $(ls "$DIR/pg/pg_wal" | grep -c '^[0-9A-F]\{24\}$') WAL segments in pg_wal, for the measured runs to reuse"
}

if [ "$MODE" = mixed ]; then
  . scripts/lib/bench-mixed.sh
  mixed_onboard
  echo "== warm-up ($WARMUP s)"
  SECS="$WARMUP" mixed_run warm-up 32 "$API_PID" -- "$URL" >/dev/null
  warm_checkpoint
  for c in 32 128; do
    [[ " ${BENCH_MIXED:-1x32 1x128 2x32 2x128} " == *" 1x$c "* ]] || continue
    echo "== mixed: one API process, $c connections, ${SECS}s"
    mixed_run "mixed_1x$c" "$c" "$API_PID" -- "$URL"
  done
  if [[ " ${BENCH_MIXED:-2x} " == *" 2x"* ]]; then
    bench_api_process api2
    URL2="$STARTED_URL"; API2_PID="$STARTED_PID"
    # Both at once: warming the second alone left the first idle while the log ran more than its view's MaxGap ahead, so
    # the first requests on it waited 0.4-0.7 s for its callers' streams to be read again (logged slow, auth.session).
    SECS="$WARMUP" mixed_run warm-up 32 "$API_PID" "$API2_PID" -- "$URL" "$URL2" >/dev/null
    warm_checkpoint
    for c in 32 128; do
      [[ " ${BENCH_MIXED:-1x32 1x128 2x32 2x128} " == *" 2x$c "* ]] || continue
      echo "== mixed: two API processes, $c connections in all, ${SECS}s"
      mixed_run "mixed_2x$c" "$c" "$API_PID" "$API2_PID" -- "$URL" "$URL2"
    done
  fi
  cat "$DIR"/api*.log | grep -c " 500 [^m]\|fail: " | sed 's/^/server_errors_logged=/' || true
  cat "$DIR"/api*.log | grep -m5 -A4 " 500 [^m]\|fail: " | sed 's/^/  server error: /' || true
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

if [ "$MODE" = split ]; then
  . scripts/lib/bench-mixed.sh
  mixed_onboard
  echo "== warm-up ($WARMUP s)"
  SECS="$WARMUP" mixed_run warm-up "$CONNS" "$API_PID" -- "$URL" >/dev/null
  warm_checkpoint
  for mix in commands:1:both asset:0.3:asset trace:0.3:trace; do
    IFS=: read -r kind share reads <<<"$mix"
    [[ " ${BENCH_SPLIT:-commands asset trace} " == *" $kind "* ]] || continue
    echo "== split: $kind ($share commands, reads: $reads), one API process, $CONNS connections, ${SECS}s"
    MIXED_COMMANDS="$share" MIXED_READS="$reads" mixed_run "split_$kind" "$CONNS" "$API_PID" -- "$URL" | tee -a "$DIR/split.txt"
  done
  mixed_split_table "$DIR/split.txt"
  grep -c " 500 [^m]\|fail: " "$DIR/api.log" | sed 's/^/server_errors_logged=/' || true
  grep -m5 -A4 " 500 [^m]\|fail: " "$DIR/api.log" | sed 's/^/  server error: /' || true
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

echo "== warm-up ($WARMUP s)"
wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s scripts/bench/wrk/post-assets.lua "$URL" | grep RESULT
warm_checkpoint
echo "== POST /api/v1/assets: $CONNS connections, ${SECS}s"
post="$(measured post_assets -t2 -c"$CONNS" -d"${SECS}s" -s scripts/bench/wrk/post-assets.lua "$URL")"
echo "$post"
awk -v p="$PGBENCH" '{ for (i = 1; i <= NF; i++) if ($i ~ /^rps=/) { split($i, a, "="); printf "commands_per_s_over_pgbench_inserts_per_s=%.3f\n", a[2] / p } }' <<<"$post"
echo "== POST /api/v1/assets with an Idempotency-Key each: $CONNS connections, ${SECS}s"
IDEMPOTENCY_KEYS=1 measured post_assets_keyed -t2 -c"$CONNS" -d"${SECS}s" -s scripts/bench/wrk/post-assets.lua "$URL"
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At -c \
  "SELECT DISTINCT substring(stream_id from 7) FROM events WHERE stream_id LIKE 'asset-%' AND version = 1 ORDER BY 1 LIMIT 20000" > "$DIR/ids.txt"
echo "== GET /api/v1/assets/{id}: $CONNS connections, ${SECS}s over $(wc -l < "$DIR/ids.txt") assets"
IDS_FILE="$DIR/ids.txt" measured get_asset -t2 -c"$CONNS" -d"${SECS}s" -s scripts/bench/wrk/get-assets.lua "$URL"
grep -c " 500 [^m]\|fail: " "$DIR/api.log" | sed 's/^/server_errors_logged=/' || true
# What they were (the log goes with the run's directory): the first five, with the lines after each.
grep -m5 -A4 " 500 [^m]\|fail: " "$DIR/api.log" | sed 's/^/  server error: /' || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
