#!/usr/bin/env bash
# Device readings accepted, verified and logged per second (issue 18): simulated weighbridges (assetledger devices
# simulate) publishing signed readings through a private Mosquitto to one API instance (Release, durable PostgreSQL
# with fsync on, a cluster of its own), side by side with the same readings delivered over HTTP. Each accepted reading
# is in the Merkle log, provable on its own: one event per delivery (MQTT message, or what the registry took from the
# broker for a device at once; HTTP request), each reading a leaf under that event's Merkle root. The clock runs from the first reading sent to the last one
# logged (MQTT: polled in the database; HTTP: the answers say); the simulator signs every reading before its clock
# starts and keeps 256 deliveries in flight, so it sends well above what the registry takes (scripts/profile-iot.sh
# shows where the registry's CPU goes). The load average is printed with every figure.
# Batch 1 (the default) is what a real device does: every simulated device publishes each reading as a message of its
# own, all devices at once round by round, so the registry has many devices' single readings at a time (their events
# share the event store's group commit); a larger batch packs that many readings into each message.
# Then critical reading -> freeze committed: p50 and p99 over one short weight per simulated weighbridge, by MQTT and HTTP.
# Usage: scripts/bench-iot.sh [readings per device at 100 devices, default 400] [at 1,000 devices, default 40] [batch, default 1]
#        [freezes per transport, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
. scripts/lib/mqtt.sh
R100="${1:-400}"; R1000="${2:-40}"; BATCH="${3:-1}"; FREEZES="${4:-20}"
pg_install; mqtt_install
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }
DIR="$(mktemp -d /tmp/assetledger-bench-iot.XXXXXX)"; chmod 755 "$DIR"
PORT="$(pg_free_port)"
API_PID=""
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null; wait 2>/dev/null; mqtt_stop "$DIR/mqtt"; pg_stop "$DIR/pg"; rm -rf "$DIR"; }
trap cleanup EXIT
pg_start "$DIR/pg" "$PORT"
mqtt_start_free "$DIR/mqtt"
mqtt_service_settings
. scripts/lib/bench-writers.sh
bench_one_instance
dotnet build src/Cli -c Release -nologo -v q >/dev/null
CLI=(dotnet src/Cli/bin/Release/net10.0/assetledger.dll)
psql_bench() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At -c "$1"; }

# The cast: a warehouse and a trading center who confirm receipts, an owner, a regulator who confirms devices; ten receipts.
. scripts/lib/bench-iot-cast.sh
iot_cast

# CPU seconds (user + system) the API process and the PostgreSQL cluster have used: what a reading costs, whatever the
# machine's other load. The cluster's exited backends are counted in the postmaster's children times.
cpu() {
  local hz pm; hz="$(getconf CLK_TCK)"; pm="$(head -1 "$DIR/pg/postmaster.pid")"
  awk -v hz="$hz" '{ s += $14 + $15 + $16 + $17 } END { printf "%.2f", s / hz }' "/proc/$API_PID/stat"; printf ' '
  { cat "/proc/$pm/stat"; for c in $(ps -o pid= --ppid "$pm"); do cat "/proc/$c/stat" 2>/dev/null; done; } \
    | awk -v hz="$hz" '{ s += $14 + $15 + $16 + $17 } END { printf "%.2f\n", s / hz }'
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# run TRANSPORT DEVICES READINGS: one simulation; prints readings/s from the first reading sent to the last logged.
run() {
  local transport="$1" devices="$2" readings="$3" target out="$DIR/sim.json" extra=() start end total cpu0 cpu1
  iot_logged_start; target=$((devices * readings))
  read -r -a cpu0 <<<"$(cpu)"
  if [ "$transport" = http ]; then extra=(--http); else extra=(--mqtt "$MQTT_URL" --mqtt-user "$MQTT_DEVICES_USER" --mqtt-password "$MQTT_DEVICES_PASSWORD"); fi
  "${CLI[@]}" devices simulate --api "$URL" --warehouse 'wh-1.bench:bench password 1' --confirmer 'reg-1.bench:bench password 1' \
    --devices "$devices" --readings "$readings" --rate 0 --batch "$BATCH" --json "$out" "${extra[@]}" >"$DIR/sim.log" 2>&1 || { cat "$DIR/sim.log"; return 1; }
  end="$(date +%s.%N)"
  start="$(jq -r ".seconds as \$s | $end - \$s" "$out")"
  for _ in $(seq 1 1200); do iot_logged_poll; [ "$LOGGED" -ge "$target" ] && break; sleep 0.25; done
  end="$(date +%s.%N)"; total="$LOGGED"
  read -r -a cpu1 <<<"$(cpu)"
  printf '%-4s %5d devices x %3d readings (batch %d): %6d logged of %6d sent, %6.0f readings/s logged (sending alone: %s/s)   load average %s\n' \
    "$transport" "$devices" "$readings" "$BATCH" "$total" "$(jq -r .published "$out")" "$(awk -v t="$total" -v a="$start" -v b="$end" 'BEGIN{print t/(b-a)}')" "$(jq -r .perSecond "$out")" "$(load)"
  # Registration (3 API calls a device) is inside the CPU window too; the ceiling is what 2 cores would take at this cost.
  awk -v t="$total" -v a0="${cpu0[0]}" -v a1="${cpu1[0]}" -v p0="${cpu0[1]}" -v p1="${cpu1[1]}" 'BEGIN {
    api = (a1 - a0) * 1000 / t; pg = (p1 - p0) * 1000 / t
    printf "     CPU per reading (incl. registering the devices): API %.2f ms, PostgreSQL %.2f ms: 2 cores would take about %.0f readings/s\n", api, pg, 2000 / (api + pg) }'
}

# freezes TRANSPORT: FREEZES simulations of one weighbridge each, whose second reading weighs 80 % of its receipt under a
# rule that makes one such reading critical; prints how long from the device signing that reading (its time, Unix ms)
# to the alarm's event, which is the freeze, committed (recorded_at); both clocks are this machine's.
freezes() {
  local transport="$1" extra=() since raised=0 critical
  since="$(psql_bench "SELECT coalesce(max(position), 0) FROM events")"
  if [ "$transport" = http ]; then extra=(--http); else extra=(--mqtt "$MQTT_URL" --mqtt-user "$MQTT_DEVICES_USER" --mqtt-password "$MQTT_DEVICES_PASSWORD"); fi
  for _ in $(seq 1 "$FREEZES"); do
    "${CLI[@]}" devices simulate --api "$URL" --warehouse 'wh-1.bench:bench password 1' --confirmer 'reg-1.bench:bench password 1' \
      --devices 1 --readings 4 --rate 0 --anomaly short-weight "${extra[@]}" >"$DIR/sim.log" 2>&1 || { cat "$DIR/sim.log"; return 1; }
  done
  critical="SELECT count(*) FROM events WHERE type = 'asset-iot-alarm-raised' AND data->>'severity' = 'Critical' AND position > $since"
  for _ in $(seq 1 240); do raised="$(psql_bench "$critical")"; [ "$raised" -ge "$FREEZES" ] && break; sleep 0.25; done
  psql_bench "
    WITH alarm AS (
      SELECT e.recorded_at, e.data->>'device' AS device, (SELECT max(c::bigint) FROM jsonb_array_elements_text(e.data->'counters') c) AS counter
      FROM events e WHERE e.type = 'asset-iot-alarm-raised' AND e.data->>'severity' = 'Critical' AND e.position > $since),
    reading AS (
      SELECT stream_id, data AS reading FROM events WHERE type = 'device-reading-recorded' AND position > $since
      UNION ALL SELECT stream_id, r FROM events, jsonb_array_elements(data->'readings') r WHERE type = 'device-readings-recorded' AND position > $since),
    latency AS (
      SELECT extract(epoch FROM alarm.recorded_at - (r.reading->>'measuredAt')::timestamptz) * 1000 AS ms
      FROM alarm JOIN reading r ON r.stream_id = 'device-' || alarm.device AND (r.reading->>'counter')::bigint = alarm.counter)
    SELECT count(*), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)), round(max(ms)) FROM latency" \
  | awk -F'|' -v t="$transport" -v l="$(load)" '{ printf "%-4s critical reading -> freeze committed: %d freezes, p50 %d ms, p99 %d ms, max %d ms   load average %s\n", t, $1, $2, $3, $4, l }'
}

echo "load average before: $(load)"
# A warm-up first, not counted: under full load on 2 cores the runtime's tiered JIT takes tens of seconds to replace its
# first, unoptimised code (scripts/bench-api.sh, BENCH_WARMUP), so a cold process measured its start: session 11, same
# machine, 1,000 devices x 40 single readings over MQTT logged 3,217/s as the third run of a fresh process and 5,380/s
# after 80,000 readings. BENCH_WARMUP_READINGS readings per device from 100 devices over MQTT (default 200; 0 none),
# and a quarter of that over HTTP.
WARM="${BENCH_WARMUP_READINGS:-200}"
if [ "$WARM" -gt 0 ]; then
  run mqtt 100 "$WARM" | sed -n '1s/^/warm-up, not counted: /p'
  run http 100 $(( (WARM + 3) / 4 )) | sed -n '1s/^/warm-up, not counted: /p'
fi
run mqtt 100 "$R100"
run http 100 "$R100"
run mqtt 1000 "$R1000"
run http 1000 "$R1000"
curl -sf -X PUT "$URL/api/v1/alarm-rules/bench-short-weight" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
  -d '{"condition":"QuantityDeviation","severity":"Critical","assetKind":"WarehouseReceipt","deviceKind":"Weighbridge","deviationPercent":"5","readings":1}' >/dev/null
freezes mqtt
freezes http
refusals="$(psql_bench "SELECT coalesce(sum(refused), 0) FROM device_reading_refusals")"
echo "refused readings (all runs): $refusals; server errors logged: $(grep -c ' 500 [^m]\|fail: ' "$DIR/api.log" || true)"
# What they were (the log goes with the run's directory): the first five, with the lines after each.
grep -m5 -A4 ' 500 [^m]\|fail: ' "$DIR/api.log" | sed 's/^/  server error: /' || true
echo "load average after: $(load)"
