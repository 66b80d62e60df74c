# The IoT benchmarks' cast (scripts/bench-iot.sh, scripts/profile-iot.sh): a warehouse and a trading center who confirm
# receipts, an owner, a regulator who confirms devices, and ten confirmed receipts. Needs URL and bench_token
# (scripts/lib/bench-writers.sh); defines api() and OP, OWNER, WH, TC (their tokens).
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
