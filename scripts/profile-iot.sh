#!/usr/bin/env bash
# Where a single-reading MQTT delivery's cost goes (issue 18): one `assetledger devices simulate` run through a private
# Mosquitto to one API instance (Release, durable PostgreSQL with pg_stat_statements), as scripts/bench-iot.sh runs it.
# Once the first reading is logged (the devices are registered by then), the window opens: the API's CPU is sampled
# with perf for TRACE seconds (JIT-compiled methods named through the runtime's perf map; without perf, dotnet-trace's
# sampled thread stacks, waits included) and PostgreSQL's statement counters are reset. When every reading
# is logged it prints: how many were logged and refused; CPU per reading of the API and PostgreSQL over the window; events, transactions
# and statements per reading; the statements by total time; and the API's functions by samples, their own and with callees.
# Usage: scripts/profile-iot.sh [devices, default 1000] [readings per device, default 20] [batch, default 1] [trace seconds, default 5]
#        [readings per second per device, default 0: as fast as it can; 1 with 1,000 devices keeps the registry caught up, so one event a reading]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
. scripts/lib/mqtt.sh
DEVICES="${1:-1000}"; READINGS="${2:-20}"; BATCH="${3:-1}"; TRACE="${4:-5}"; RATE="${5:-0}"
TRACER="${DOTNET_TRACE:-$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")}"
[ -x "$TRACER" ] || dotnet tool install -g dotnet-trace >/dev/null
pg_install; mqtt_install
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }
DIR="$(mktemp -d /tmp/assetledger-profile-iot.XXXXXX)"; chmod 755 "$DIR"
PORT="$(pg_free_port)"
API_PID=""; SIM_PID=""
# `|| true`: under set -e a kill of a simulator that has already exited would end the trap there, leaving the API,
# PostgreSQL and the broker running.
cleanup() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null || true; [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null || true; wait 2>/dev/null; mqtt_stop "$DIR/mqtt"; pg_stop "$DIR/pg"; rm -rf "$DIR"; }
trap cleanup EXIT
pg_start "$DIR/pg" "$PORT" shared_preload_libraries=pg_stat_statements pg_stat_statements.track=all
mqtt_start_free "$DIR/mqtt"
mqtt_service_settings
. scripts/lib/bench-writers.sh
PERF="$(command -v perf || true)"
# The perf map names JIT-compiled code; with W^X on, that code runs from a double mapping perf cannot match to it.
[ -n "$PERF" ] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
bench_one_instance
unset DOTNET_PerfMapEnabled DOTNET_EnableWriteXorExecute
dotnet build src/Cli -c Release -nologo -v q >/dev/null
CLI=(dotnet src/Cli/bin/Release/net10.0/assetledger.dll)
psql_bench() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At -c "$1"; }
psql_bench "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null

. scripts/lib/bench-iot-cast.sh
iot_cast

ticks() { awk '{ s += $14 + $15 } END { print s + 0 }' "$@" 2>/dev/null || echo 0; }
pg_ticks() { local pm; pm="$(head -1 "$DIR/pg/postmaster.pid")"; { cat "/proc/$pm/stat"; for c in $(ps -o pid= --ppid "$pm"); do cat "/proc/$c/stat" 2>/dev/null; done; } | awk '{ s += $14 + $15 + $16 + $17 } END { print s }'; }
stats() { psql_bench "SELECT (SELECT count(*) FROM events), (SELECT xact_commit FROM pg_stat_database WHERE datname = 'bench'), (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements)"; }

iot_logged_start
"${CLI[@]}" devices simulate --api "$URL" --warehouse 'wh-1.bench:bench password 1' --confirmer 'reg-1.bench:bench password 1' \
  --devices "$DEVICES" --readings "$READINGS" --rate "$RATE" --batch "$BATCH" --json "$DIR/sim.json" \
  --mqtt "$MQTT_URL" --mqtt-user "$MQTT_DEVICES_USER" --mqtt-password "$MQTT_DEVICES_PASSWORD" >"$DIR/sim.log" 2>&1 &
SIM_PID=$!
target=$((DEVICES * READINGS))
until iot_logged_poll; [ "$LOGGED" -gt 0 ]; do kill -0 "$SIM_PID" 2>/dev/null || { cat "$DIR/sim.log"; exit 1; }; sleep 0.1; done
psql_bench "SELECT pg_stat_statements_reset()" >/dev/null
n0="$LOGGED"; a0="$(ticks "/proc/$API_PID/stat")"; p0="$(pg_ticks)"; read -r e0 x0 _ <<<"$(stats | tr '|' ' ')"; t0="$(date +%s.%N)"
if [ -n "$PERF" ]; then
  "$PERF" record -F 999 -g -p "$API_PID" -o "$DIR/perf.data" -- sleep "$TRACE" >"$DIR/trace.log" 2>&1 &
else
  "$TRACER" collect -p "$API_PID" --profile dotnet-sampled-thread-time --duration "00:00:00:$(printf %02d "$TRACE")" -o "$DIR/api.nettrace" >"$DIR/trace.log" 2>&1 &
fi
TRACE_PID=$!
for _ in $(seq 1 2400); do iot_logged_poll; [ "$LOGGED" -ge "$target" ] && break; sleep 0.1; done
n1="$LOGGED"; a1="$(ticks "/proc/$API_PID/stat")"; p1="$(pg_ticks)"; read -r e1 x1 c1 <<<"$(stats | tr '|' ' ')"; t1="$(date +%s.%N)"
wait "$TRACE_PID" || true
hz="$(getconf CLK_TCK)"; n=$((n1 - n0))
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "logged $n1 of $target sent (refused: $(psql_bench "SELECT coalesce(sum(refused), 0) FROM device_reading_refusals"))$([ "$n1" -ge "$target" ] || echo "; NOT ALL LOGGED when the wait ended")"
awk -v n="$n" -v hz="$hz" -v a="$((a1 - a0))" -v p="$((p1 - p0))" -v t0="$t0" -v t1="$t1" -v e="$((e1 - e0))" -v x="$((x1 - x0))" -v c="$c1" 'BEGIN {
  printf "%d devices, batch %d: %d readings logged in the window, %.0f/s\n", '"$DEVICES"', '"$BATCH"', n, n / (t1 - t0)
  printf "CPU per reading: API %.3f ms, PostgreSQL %.3f ms\n", a * 1000 / hz / n, p * 1000 / hz / n
  printf "per reading: %.3f events, %.3f transactions, %.2f statements\n", e / n, x / n, c / n }'
echo "--- statements by total time (calls per reading, ms per call)"
psql_bench "SELECT round(total_exec_time)::text || ' ms', round(calls::numeric / $n, 3), round((total_exec_time / calls)::numeric, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 150) FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15"
if [ -n "$PERF" ]; then
  echo "--- API: CPU samples by function (self), then by function with its callees (children)"
  "$PERF" report -i "$DIR/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -12 || true
  "$PERF" report -i "$DIR/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -50 || true
  "$PERF" report -i "$DIR/perf.data" --children --sort symbol --stdio -g none --percent-limit 1.5 2>&1 | grep -v '^#' | grep -v '^$' | grep -v '0x0000' | head -150 || true
else
  echo "--- API: methods by exclusive samples"
  "$TRACER" report "$DIR/api.nettrace" topN -n 70 2>&1 | sed -n 1,60p || true
  echo "--- API: methods by inclusive samples"
  "$TRACER" report "$DIR/api.nettrace" topN -n 80 --inclusive 2>&1 | sed -n 1,100p || true
fi
tail -8 "$DIR/sim.log"
