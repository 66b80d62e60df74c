#!/usr/bin/env bash
# HTTP load on the real service (Release build, durable PostgreSQL with fsync on, a cluster of its own):
# wrk with 32 connections for 30 s each on POST /api/v1/assets and GET /api/v1/assets/{id}; prints p50/p99 and requests/s.
# Usage: scripts/bench-api.sh [seconds, default 30] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
SECS="${1:-30}"; CONNS="${2:-32}"
pg_install
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
DIR="$(mktemp -d /tmp/assetledger-bench-api.XXXXXX)"; chmod 755 "$DIR"
PORT="$(pg_free_port)"
API_PID=""
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null; wait 2>/dev/null; pg_stop "$DIR/pg"; rm -rf "$DIR"; }
trap cleanup EXIT
pg_start "$DIR/pg" "$PORT"
. scripts/lib/bench-writers.sh
bench_one_instance
bench_onboard
export TOKEN
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== warm-up (5 s)"
wrk -t2 -c"$CONNS" -d5s -s scripts/bench/wrk/post-assets.lua "$URL" | grep RESULT
echo "== POST /api/v1/assets: $CONNS connections, ${SECS}s"
wrk -t2 -c"$CONNS" -d"${SECS}s" -s scripts/bench/wrk/post-assets.lua "$URL" | grep RESULT | sed 's/^RESULT/post_assets/'
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At -c \
  "SELECT DISTINCT substring(stream_id from 7) FROM events WHERE stream_id LIKE 'asset-%' AND version = 1 ORDER BY 1 LIMIT 20000" > "$DIR/ids.txt"
echo "== GET /api/v1/assets/{id}: $CONNS connections, ${SECS}s over $(wc -l < "$DIR/ids.txt") assets"
IDS_FILE="$DIR/ids.txt" wrk -t2 -c"$CONNS" -d"${SECS}s" -s scripts/bench/wrk/get-assets.lua "$URL" | grep RESULT | sed 's/^RESULT/get_asset/'
grep -c " 500 \|fail: " "$DIR/api.log" | sed 's/^/server_errors_logged=/' || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
