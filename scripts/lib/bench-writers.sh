# Shared by bench-db-restart.sh and bench-failover.sh: two API instances on one database and WRITERS writer loops that
# retry a failed request with the same Idempotency-Key until it is answered. Needs DIR, PIDS (an array), WRITERS and
# pg_free_port (scripts/lib/pg.sh); sets URLS, URL, TOKEN and RUN. bench-api.sh and bench-webhooks.sh use bench_one_instance and bench_onboard. Each answer is logged to $DIR/log.<n> as
# "completion-time status key assetId-or-code".

# bench_two_instances CONNECTION_STRING: builds the API, starts two instances, onboards owner-a and wh-1 and a user.
bench_two_instances() {
  local db="$1"
  dotnet build src/Api -c Release -nologo -v q >/dev/null
  URLS=("http://127.0.0.1:$(pg_free_port)" "http://127.0.0.1:$(pg_free_port)")
  for i in 0 1; do
    ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning AssetLedger__OperatorPassword=bench-operator-password \
      AssetLedger__KeyDirectory="$DIR/keys" \
      ASSETLEDGER_DB="$db" \
      dotnet src/Api/bin/Release/net10.0/AssetLedger.Api.dll --urls "${URLS[$i]}" >"$DIR/api$i.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 90); do curl -sf "${URLS[$i]}/health/ready" >/dev/null && break; sleep 1; done
  done
  URL="${URLS[0]}"
  bench_onboard
  RUN="$(date +%s)"
}

# bench_one_instance: builds the API and starts one instance on a free loopback port against the cluster on $PORT
# (database bench, pool BENCH_POOL, default 100), logging to $DIR/api.log; sets URL and API_PID and waits until it is ready. With
# ASSETLEDGER_API_DLL set it runs that build instead (another commit's, to compare before and after in one load window).
bench_one_instance() {
  [ -n "${ASSETLEDGER_API_DLL:-}" ] || dotnet build src/Api -c Release -nologo -v q >/dev/null
  bench_api_process api
  URL="$STARTED_URL"; API_PID="$STARTED_PID"
}

# bench_api_process LOG: starts one more API process of that build on the same cluster and keys (logging to $DIR/LOG.log);
# sets STARTED_URL and STARTED_PID once it is ready.
bench_api_process() {
  local dll="${ASSETLEDGER_API_DLL:-src/Api/bin/Release/net10.0/AssetLedger.Api.dll}"
  STARTED_URL="http://127.0.0.1:$(pg_free_port)"
  # shellcheck disable=SC2046
  env $(declare -F perf_env >/dev/null && perf_env) ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning AssetLedger__OperatorPassword=bench-operator-password \
    AssetLedger__KeyDirectory="$DIR/keys" \
    ASSETLEDGER_DB="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=${BENCH_POOL:-100}" \
    dotnet "$dll" --urls "$STARTED_URL" >"$DIR/$1.log" 2>&1 &
  STARTED_PID=$!
  for _ in $(seq 1 60); do curl -sf "$STARTED_URL/health/ready" >/dev/null && break; sleep 1; done
}

# bench_onboard: on the API at $URL (operator password bench-operator-password), registers owner-a and wh-1 and owner-a's
# user owner-a.bench; sets OP (the operator's token) and TOKEN (that user's).
bench_onboard() {
  local p
  OP="$(bench_token operator bench-operator-password)"
  for p in owner-a:Owner wh-1:Warehouse; do
    curl -sf -X POST "$URL/api/v1/participants" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
      -d "{\"id\":\"${p%%:*}\",\"name\":\"${p%%:*}\",\"roles\":[\"${p##*:}\"]}" >/dev/null
  done
  curl -sf -X POST "$URL/api/v1/users" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
    -d '{"login":"owner-a.bench","participantId":"owner-a","displayName":"bench","password":"bench password 1"}' >/dev/null
  TOKEN="$(bench_token owner-a.bench 'bench password 1')"
}

bench_token() { curl -sf -X POST "$URL/api/v1/auth/token" -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"$2\"}" | jq -r .accessToken; }

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

# bench_start_writers: WRITERS writers, half on each instance, until $DIR/stop exists.
bench_start_writers() {
  for n in $(seq 1 "$WRITERS"); do writer "$n" & PIDS+=($!); done
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
}
