# The IoT benchmarks' cast (scripts/bench-iot.sh, scripts/profile-iot.sh): a warehouse and a trading center who confirm
# receipts, an owner, a regulator who confirms devices, and ten confirmed receipts. Needs URL and bench_token
# (scripts/lib/bench-writers.sh); defines api() and OP, OWNER, WH, TC (their tokens). iot_logged_* count the readings
# logged, with psql_bench.
api() { curl -sf -X POST "$URL$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }

iot_cast() {
  local p i id
  OP="$(bench_token operator bench-operator-password)"
  for p in owner-a:Owner wh-1:Warehouse tc-1:TradingCenter reg-1:Regulator; do
    api /api/v1/participants "$OP" "{\"id\":\"${p%%:*}\",\"name\":\"${p%%:*}\",\"roles\":[\"${p##*:}\"]}" >/dev/null
    api /api/v1/users "$OP" "{\"login\":\"${p%%:*}.bench\",\"participantId\":\"${p%%:*}\",\"displayName\":\"bench\",\"password\":\"bench password 1\"}" >/dev/null
  done
  OWNER="$(bench_token owner-a.bench 'bench password 1')"; WH="$(bench_token wh-1.bench 'bench password 1')"; TC="$(bench_token tc-1.bench 'bench password 1')"
  for i in $(seq 1 10); do
    id="$(api /api/v1/assets "$OWNER" "{\"kind\":\"WarehouseReceipt\",\"ownerId\":\"owner-a\",\"warehouseId\":\"wh-1\",\"receiptNumber\":\"WR-IOT-$i\",\"commodity\":\"nickel\",\"quantity\":\"1200.5\",\"unit\":\"t\"}" | jq -r .assetId)"
    api "/api/v1/assets/$id/confirmations" "$WH" '{"approve":true}' >/dev/null
    api "/api/v1/assets/$id/confirmations" "$TC" '{"approve":true}' >/dev/null
  done
}

# Readings logged since iot_logged_start, counted as they come: iot_logged_poll adds those of the events after the last
# one it counted (a delivery's readings are one device-readings-recorded event; before batching, one event each) and
# sets LOGGED. Each poll reads only the new events: summing over all of them every 0.25 s cost PostgreSQL 114 ms a poll
# by the end of a 1,000-device run (the top statement in profile-iot.sh), CPU taken from the registry it measures.
# Positions are taken under a row lock held to commit (event_sequence), so they become visible in order and none is
# passed over.
iot_logged_start() { LOGGED_AFTER="$(psql_bench "SELECT coalesce(max(position), 0) FROM events")"; LOGGED=0; }
iot_logged_poll() {
  local last n
  IFS='|' read -r last n <<<"$(psql_bench "SELECT coalesce(max(position), $LOGGED_AFTER), coalesce(sum(CASE WHEN type = 'device-reading-recorded' THEN 1 ELSE jsonb_array_length(data->'readings') END), 0) FROM events WHERE position > $LOGGED_AFTER AND type IN ('device-reading-recorded', 'device-readings-recorded')")"
  LOGGED_AFTER="$last"; LOGGED=$((LOGGED + n))
}
