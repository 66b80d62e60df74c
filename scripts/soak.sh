#!/usr/bin/env bash
# A soak: MINUTES of mixed load on two API instances, one PostgreSQL (fsync on) and one witness, all of the script's
# own, plus a Fabric network of its own (scripts/fabric-network.sh) that the service anchors checkpoints on, with a fault
# every FAULT_EVERY seconds, in turn: an API instance killed (-9) and started again, PostgreSQL stopped (-m immediate)
# and started again, the witness killed (-9) and started again, a chain node (Org1's peer, the service's gateway) killed
# (-9) and started again. Writers register assets and
# have the warehouse confirm them (each request retried with its Idempotency-Key until answered, as a client should);
# readers follow the latest checkpoint and read acknowledged assets back.
# Prints: resident memory of each process at the start and at the end; answers by status; acknowledged commands lost
# (must be 0); keys written twice (must be 0); the checkpoint reader's sizes never going back and every checkpoint it saw
# unchanged at the end; every acknowledged asset readable (projections gap-free); the witness caught up; the integrity
# check of every event hash, chain, the tree and every checkpoint; the Fabric anchor caught up.
# Usage: scripts/soak.sh [minutes, 10] [fault every seconds, 120] [writers, 8]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
MINUTES="${1:-10}"; FAULT_EVERY="${2:-120}"; WRITERS="${3:-8}"
pg_install
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }
DIR="$(mktemp -d /tmp/assetledger-soak.XXXXXX)"; chmod 755 "$DIR"
declare -A PID
LOADERS=()
cleanup() {
  touch "$DIR/stop"; for p in "${LOADERS[@]}" "${PID[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null
  FABRIC_NET="$DIR/fabric" scripts/fabric-network.sh down >/dev/null 2>&1 || true
  pg_stop "$DIR/pg"; rm -rf "$DIR"
}
trap cleanup EXIT
pg_start_free "$DIR/pg"; PORT="$PG_PORT"
psql_soak() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d soak -At "$@"; }
dotnet build src/Api -c Release -nologo -v q >/dev/null; dotnet build src/Cli -c Release -nologo -v q >/dev/null
CLI=(dotnet src/Cli/bin/Release/net10.0/assetledger.dll)
URLS=("http://127.0.0.1:$(pg_free_port)" "http://127.0.0.1:$(pg_free_port)")
WITNESS_PORT="$(pg_free_port)"
. scripts/fabric/ports.sh
fabric_service_up "$DIR"

start_api() {
  local i="$1"
  env "${FABRIC_SERVICE_ENV[@]}" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning AssetLedger__OperatorPassword=soak-operator-password \
    AssetLedger__KeyDirectory="$DIR/keys" \
    ASSETLEDGER_DB="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=soak;Maximum Pool Size=50" \
    dotnet src/Api/bin/Release/net10.0/AssetLedger.Api.dll --urls "${URLS[$i]}" >>"$DIR/api$i.log" 2>&1 &
  PID[api$i]=$!
  for _ in $(seq 1 120); do curl -sf "${URLS[$i]}/health/live" >/dev/null && return 0; kill -0 "${PID[api$i]}" 2>/dev/null || break; sleep 0.5; done
  echo "$(date -u +%T) api$i did not come up: $(kill -0 "${PID[api$i]}" 2>/dev/null && echo 'still starting after 60 s' || echo "it exited: $(grep -m1 'Unhandled exception' "$DIR/api$i.log" || echo 'see its log')")"
}
start_witness() {
  "${CLI[@]}" witness serve --dir "$DIR/witness" --port "$WITNESS_PORT" --log-key "$LEDGER_KEY" >>"$DIR/witness.log" 2>&1 &
  PID[witness]=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$WITNESS_PORT/key" >/dev/null && return 0; sleep 0.5; done
}
postmaster() { head -1 "$DIR/pg/postmaster.pid"; }
# Resident memory: each API instance and the witness; PostgreSQL's postmaster and all its processes together.
memory() {
  local rss
  rss() { awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "gone"; }
  echo "api0 $(rss "${PID[api0]}"), api1 $(rss "${PID[api1]}"), witness $(rss "${PID[witness]}"), postgres postmaster $(rss "$(postmaster)") (all its processes $(ps -o rss= --ppid "$(postmaster)" | awk -v m="$(awk '/VmRSS/ {print $2}' "/proc/$(postmaster)/status")" '{s += $1} END {printf "%.0f MiB", (s + m) / 1024}'))"
}

start_api 0; start_api 1
URL="${URLS[0]}"; API="$URL/api/v1"
LEDGER_KEY="$(curl -sf "$API/ledger/keys" | jq -r .ledgerVerifierKey)"
WITNESS_KEY="$("${CLI[@]}" witness key --dir "$DIR/witness")"
start_witness
token() { curl -sf -X POST "$API/auth/token" -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"$2\"}" | jq -r .accessToken; }
OP="$(token operator soak-operator-password)"
post() { curl -sf -X POST "$API$1" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' -d "$2" >/dev/null; }
post /chains/witnesses "{\"name\":\"w1\",\"url\":\"http://127.0.0.1:$WITNESS_PORT\",\"verifierKey\":\"$WITNESS_KEY\"}"
for p in owner-a:Owner wh-1:Warehouse; do post /participants "{\"id\":\"${p%%:*}\",\"name\":\"${p%%:*}\",\"roles\":[\"${p##*:}\"]}"; done
for p in owner-a wh-1; do post /users "{\"login\":\"$p.soak\",\"participantId\":\"$p\",\"displayName\":\"soak\",\"password\":\"soak password $p\"}"; done
RUN="$(date +%s)"
echo "$(token owner-a.soak 'soak password owner-a')" >"$DIR/owner.token"; echo "$(token wh-1.soak 'soak password wh-1')" >"$DIR/wh.token"
# Tokens last 15 minutes: refreshed every 10 by a loop of their own, so a long soak keeps writing.
( while [ ! -f "$DIR/stop" ]; do for _ in $(seq 1 120); do [ -f "$DIR/stop" ] && exit 0; sleep 5; done; t="$(token owner-a.soak 'soak password owner-a')" && [ -n "$t" ] && echo "$t" >"$DIR/owner.token"
    t="$(token wh-1.soak 'soak password wh-1')" && [ -n "$t" ] && echo "$t" >"$DIR/wh.token"; done ) & LOADERS+=($!)

# send N KIND URL KEY BODY: POST until answered (2xx/4xx) or the run ends; logs "time status kind key id-or-code".
send() {
  local n="$1" kind="$2" url="$3" key="$4" body="$5" tok="$6" code
  while :; do
    rm -f "$DIR/body.$n"  # an answer that never came must not log the previous one's id
    code="$(curl -s --max-time 30 -o "$DIR/body.$n" -w '%{http_code}' -X POST "$url" -H "Authorization: Bearer $(cat "$DIR/$tok")" \
      -H 'Content-Type: application/json' -H "Idempotency-Key: $key" -d "$body")" || true
    echo "$(date +%s.%N) ${code:-000} $kind $key $(grep -o '"\(assetId\|code\)":"[^"]*"' "$DIR/body.$n" 2>/dev/null | head -1 | cut -d'"' -f4)" >>"$DIR/log.$n"
    case "$code" in 2*|4*) return 0 ;; esac
    [ -f "$DIR/stop" ] && return 1
    sleep 0.5
  done
}
writer() {
  local n="$1" url="${URLS[$(( $1 % 2 ))]}/api/v1" i=0 id
  while [ ! -f "$DIR/stop" ]; do
    i=$((i + 1))
    send "$n" register "$url/assets" "r$n-$i-$RUN" "{\"kind\":\"WarehouseReceipt\",\"ownerId\":\"owner-a\",\"warehouseId\":\"wh-1\",\"receiptNumber\":\"R-$n-$i-$RUN\",\"commodity\":\"crude oil\",\"quantity\":\"1\",\"unit\":\"bbl\"}" owner.token || break
    id="$(tail -1 "$DIR/log.$n" | awk '$2 == 201 {print $5}')"
    [ -n "$id" ] && { send "$n" confirm "$url/assets/$id/confirmations" "c$n-$i-$RUN" '{"approve":true}' wh.token || break; }
  done
}
# The checkpoint reader: every latest checkpoint it sees, "size rootHash" (a 503 during a fault is no checkpoint).
reader() {
  while [ ! -f "$DIR/stop" ]; do
    curl -s --max-time 10 "${URLS[$1]}/api/v1/ledger/checkpoints/latest" | jq -r 'select(.treeSize != null) | "\(.treeSize) \(.rootHash)"' 2>/dev/null >>"$DIR/checkpoints.$1" || true
    sleep 0.5
  done
}
for n in $(seq 1 "$WRITERS"); do writer "$n" & LOADERS+=($!); done
for r in 0 1; do reader "$r" & LOADERS+=($!); done
echo "== soak: $MINUTES min, $WRITERS writers and 2 readers on two instances, a fault every ${FAULT_EVERY}s"
echo "memory at the start: $(memory)"
END=$(( $(date +%s) + MINUTES * 60 )); FAULT=0
while [ "$(date +%s)" -lt "$END" ]; do
  sleep "$(( FAULT_EVERY < END - $(date +%s) ? FAULT_EVERY : END - $(date +%s) ))"
  [ "$(date +%s)" -ge "$END" ] && break
  case $(( FAULT % 4 )) in
    0) kill -9 "${PID[api1]}"; wait "${PID[api1]}" 2>/dev/null || true; start_api 1; echo "$(date -u +%T) fault: api1 killed (-9) and started again" ;;
    1) as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -m immediate -w stop >/dev/null; sleep 3; pg_start "$DIR/pg" "$PORT"; echo "$(date -u +%T) fault: PostgreSQL stopped (-m immediate) for 3 s and started again" ;;
    2) kill -9 "${PID[witness]}"; wait "${PID[witness]}" 2>/dev/null || true; sleep 3; start_witness; echo "$(date -u +%T) fault: the witness killed (-9) for 3 s and started again" ;;
    3) kill -9 "$(cat "$FABRIC_NET/pids/peer0.org1.pid")"; sleep 3; scripts/fabric-network.sh start peer0.org1 >/dev/null
       echo "$(date -u +%T) fault: Fabric peer0.org1 (the service's gateway) killed (-9) for 3 s and started again" ;;
  esac
  FAULT=$((FAULT + 1))
done
echo "memory at the end:   $(memory)   (api1 and the witness are new processes after their faults)"
touch "$DIR/stop"
for p in "${LOADERS[@]}"; do wait "$p" 2>/dev/null || true; done

cat "$DIR"/log.* | sort -n >"$DIR/all"
echo "answers by status: $(awk '{print $2}' "$DIR/all" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
echo "failed answers by status and code: $(awk '$2 !~ /^2/ {print $2 ":" $5}' "$DIR/all" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
awk '$2 ~ /^2/ {print $4}' "$DIR/all" | sort -u >"$DIR/acked"
KEYS="$(sed "s/.*/'&'/" "$DIR/acked" | paste -sd,)"
echo "acknowledged commands: $(wc -l <"$DIR/acked"); lost: $(psql_soak -c "SELECT count(*) FROM unnest(ARRAY[${KEYS:-NULL}]::text[]) AS k(s) WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.metadata->>'idempotencyKey' = k.s)")"
echo "keys written twice: $(psql_soak -c "SELECT count(*) FROM (SELECT metadata->>'idempotencyKey' k FROM events WHERE metadata->>'idempotencyKey' LIKE '%-$RUN' GROUP BY 1 HAVING count(*) > 1) d")"
HEAD="$(psql_soak -c "SELECT last_position FROM event_sequence")"
for _ in $(seq 1 240); do [ "$(psql_soak -c "SELECT coalesce(max(tree_size), 0) FROM checkpoints")" -ge "$HEAD" ] && break; sleep 0.5; done
back=0; changed=0
for r in 0 1; do
  back=$(( back + $(awk 'NF == 2 { if ($1 < last) n++; last = $1 } END { print n + 0 }' "$DIR/checkpoints.$r") ))
  while read -r size root; do
    [ "$(psql_soak -c "SELECT encode(root_hash, 'hex') FROM checkpoints WHERE tree_size = $size")" = "$root" ] || changed=$((changed + 1))
  done < <(awk 'NF == 2' "$DIR/checkpoints.$r" | sort -u)
done
echo "checkpoint readers: $(cat "$DIR"/checkpoints.* | awk 'NF == 2' | sort -u | wc -l) checkpoints seen; sizes going back: $back; seen but not the same at the end: $changed"
OWNER_TOKEN="$(token owner-a.soak 'soak password owner-a')"
unreadable=0
for id in $(awk '$2 == 201 && $3 == "register" {print $5}' "$DIR/all" | sort -u); do
  curl -sf "$API/assets/$id" -H "Authorization: Bearer $OWNER_TOKEN" >/dev/null || unreadable=$((unreadable + 1))
done
echo "acknowledged assets not readable back (projections): $unreadable; projections behind the head: $(psql_soak -c "SELECT $HEAD - min(position) FROM projection_checkpoints")"
for _ in $(seq 1 120); do [ "$(psql_soak -c "SELECT last_size FROM anchor_cursors WHERE anchor = 'witness:w1'")" -ge "$(psql_soak -c "SELECT max(tree_size) FROM checkpoints")" ] && break; sleep 0.5; done
echo "witness: cosigned up to $(psql_soak -c "SELECT last_size FROM anchor_cursors WHERE anchor = 'witness:w1'") of $(psql_soak -c "SELECT max(tree_size) FROM checkpoints"); cosignatures stored: $(psql_soak -c "SELECT count(*) FROM witness_cosignatures")"
for _ in $(seq 1 240); do [ "$(psql_soak -c "SELECT coalesce(max(last_size), 0) FROM anchor_cursors WHERE anchor = '$FABRIC_ANCHOR'")" -ge "$(psql_soak -c "SELECT max(tree_size) FROM checkpoints")" ] && break; sleep 0.5; done
echo "fabric: anchored up to $(psql_soak -c "SELECT coalesce(max(last_size), 0) FROM anchor_cursors WHERE anchor = '$FABRIC_ANCHOR'") of $(psql_soak -c "SELECT max(tree_size) FROM checkpoints")"
INTEGRITY="$(curl -s "$API/ledger/integrity?from=1&to=$HEAD" -H "Authorization: Bearer $(token operator soak-operator-password)")"
echo "integrity over positions 1..$HEAD: ok=$(jq -r .ok <<<"$INTEGRITY") problems=$(jq -c '.problems | length' <<<"$INTEGRITY")"
echo "errors logged by the instances: $(cat "$DIR"/api*.log | grep -c 'fail: ' || true) (unhandled: $(cat "$DIR"/api*.log | grep -c 'Unhandled' || true)); by source and first line:"
# What each error was: its logger and the line after it (the message), counted, so a fault's expected noise (a worker
# that cannot reach PostgreSQL or the chain while it is down) is told apart from anything a client could have caused.
cat "$DIR"/api*.log | awk '/^fail: / { src = $2; getline; sub(/^ +/, ""); print src " " substr($0, 1, 110) }' | sed 's/[0-9a-f]\{16,\}/…/g; s/[0-9]\+/N/g' | sort | uniq -c | sort -rn | head -12 | sed 's/^/  /'
