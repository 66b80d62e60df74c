#!/usr/bin/env bash
# Webhook delivery under command load (issue 19): the real service (Release, PostgreSQL with fsync on, a cluster of its
# own) and 32 wrk connections registering assets for N seconds, first with no subscriber, then with 10 subscriptions
# (the operator's: they receive every event) on a local receiver (scripts/bench/WebhookReceiver, Kestrel). Prints the command rate with and without subscribers,
# deliveries/s and commit → delivered p50/p99 (from the event's recorded time to its arrival at the receiver).
# Usage: scripts/bench-webhooks.sh [seconds, default 20] [connections, default 32] [subscriptions, default 10]
#        [events per request, default 1: one CloudEvent per request; 2-100: each subscription takes CloudEvents batches
#        of up to that many (maxEventsPerRequest), and requests= says how many requests carried the deliveries]
# ASSETLEDGER_API_DLL=path runs another build of the API (e.g. main's, for before and after in one load window);
# AssetLedger__Webhooks__InFlight=4 (any setting, as the environment) reaches the API.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
SECS="${1:-20}"; CONNS="${2:-32}"; SUBS="${3:-10}"; BATCH="${4:-1}"
pg_install
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
DIR="$(mktemp -d /tmp/assetledger-bench-webhooks.XXXXXX)"; chmod 755 "$DIR"
PORT="$(pg_free_port)"; HOOK_PORT="$(pg_free_port)"
API_PID=""; HOOK_PID=""
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null; [ -n "$HOOK_PID" ] && kill "$HOOK_PID" 2>/dev/null; wait 2>/dev/null; pg_stop "$DIR/pg"; rm -rf "$DIR"; }
trap cleanup EXIT
pg_start "$DIR/pg" "$PORT"
. scripts/lib/bench-writers.sh
bench_one_instance
bench_onboard
export TOKEN
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$CONNS" -d5s -s scripts/bench/wrk/post-assets.lua "$URL" >/dev/null
echo "== POST /api/v1/assets, no subscriber: $CONNS connections, ${SECS}s"
wrk -t2 -c"$CONNS" -d"${SECS}s" -s scripts/bench/wrk/post-assets.lua "$URL" | tee "$DIR/wrk1.txt" | grep RESULT | sed "s/^RESULT/without_subscribers/" || { cat "$DIR/wrk1.txt"; tail -20 "$DIR/api.log"; exit 1; }

dotnet build scripts/bench/WebhookReceiver -c Release -nologo -v q >/dev/null
dotnet scripts/bench/WebhookReceiver/bin/Release/net10.0/WebhookReceiver.dll "$HOOK_PORT" "$DIR/deliveries.txt" & HOOK_PID=$!
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$HOOK_PORT/" && break; sleep 0.5; done
for i in $(seq 1 "$SUBS"); do
  curl -sf -X POST "$URL/api/v1/webhooks" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$HOOK_PORT/s$i\",\"maxEventsPerRequest\":$BATCH}" >/dev/null
done
echo "== POST /api/v1/assets, $SUBS subscriptions receiving every event (up to $BATCH per request): $CONNS connections, ${SECS}s"
START=$(date +%s.%N)
wrk -t2 -c"$CONNS" -d"${SECS}s" -s scripts/bench/wrk/post-assets.lua "$URL" | grep RESULT | sed 's/^RESULT/with_subscribers/'
LOAD_END=$(date +%s.%N)
lag() { curl -sf "$URL/api/v1/webhooks" -H "Authorization: Bearer $OP" | jq '[.subscriptions[].lag.events] | add'; }
for _ in $(seq 1 600); do [ "$(lag)" = "0" ] && break; sleep 0.5; done
END=$(date +%s.%N)
N=$(wc -l < "$DIR/deliveries.txt")
sort -n -k3,3 "$DIR/deliveries.txt" | awk -v n="$N" -v start="$START" -v load_end="$LOAD_END" -v end="$END" '
  NR == int(n * 0.5) + 1 { p50 = $3 } NR == int(n * 0.99) + 1 { p99 = $3 } { max = $3 }
  END { printf "deliveries=%d deliveries_per_s=%.0f drain_after_load_s=%.1f commit_to_delivered_p50_ms=%.0f p99_ms=%.0f max_ms=%.0f\n",
    n, n / (end - start), end - load_end, p50, p99, max }'
echo "requests=$(curl -sf "http://127.0.0.1:$HOOK_PORT/requests") remaining_lag_events=$(lag)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
