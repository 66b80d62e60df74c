# PROFILE=1 for bench-api.sh: what one request costs PostgreSQL, from pg_stat_statements and pg_stat_database, so a cut
# is confirmed by the counts it should change (round trips, commits, connection resets), not by the rate alone.
# With PROFILE_TRACE=DIR it also samples the API's threads (dotnet-trace's dotnet-sampled-thread-time, ~100 Hz) during each measured run and prints its top
# methods. Needs PG_BIN, PORT, DIR and as_pg (scripts/lib/pg.sh).

# profile_pg_options: the postgres -c options pg_start needs for the counts.
profile_pg_options() { [ "${PROFILE:-}" = 1 ] && echo "shared_preload_libraries=pg_stat_statements pg_stat_statements.max=2000" || true; }

profile_dotnet_trace() { command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace"; }

profile_sql() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At -F ' ' -c "$1"; }

# profile_begin NAME PID: zeroes the statement counts and remembers the commits so far; starts a trace of PID if asked.
profile_begin() {
  [ "${PROFILE:-}" = 1 ] || return 0
  profile_sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  profile_sql "SELECT pg_stat_statements_reset()" >/dev/null
  PROFILE_COMMITS="$(profile_sql "SELECT sum(xact_commit) FROM pg_stat_database")"
  if [ -n "${PROFILE_TRACE:-}" ]; then
    mkdir -p "$PROFILE_TRACE"
    "$(profile_dotnet_trace)" collect -p "$2" --profile dotnet-sampled-thread-time --duration "00:00:00:$SECS" -o "$PROFILE_TRACE/$1.nettrace" >/dev/null 2>&1 &
    PROFILE_TRACE_PID=$!
  fi
}

# profile_end NAME REQUESTS: per request, the commits and the calls of each statement PostgreSQL ran (top level), busiest first.
profile_end() {
  [ "${PROFILE:-}" = 1 ] || return 0
  local n="$2" commits
  commits="$(profile_sql "SELECT sum(xact_commit) FROM pg_stat_database")"
  echo "-- $1: per request (of $n)"
  awk -v a="$PROFILE_COMMITS" -v b="$commits" -v n="$n" 'BEGIN{ printf "   commits_per_req=%.2f\n", (b - a) / n }'
  profile_sql "SELECT sum(calls) FROM pg_stat_statements" | awk -v n="$n" '{ printf "   statements_per_req=%.2f\n", $1 / n }'
  profile_sql "SELECT calls, round(total_exec_time::numeric, 1), regexp_replace(left(query, 110), '\s+', ' ', 'g') FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15" |
    awk -v n="$n" '{ c = $1; t = $2; $1 = ""; $2 = ""; printf "   %6.2f calls %7.0f us %s\n", c / n, t * 1000 / n, $0 }'
  echo "   most called:"
  profile_sql "SELECT calls, round(total_exec_time::numeric, 1), regexp_replace(left(query, 110), '\s+', ' ', 'g') FROM pg_stat_statements ORDER BY calls DESC LIMIT 10" |
    awk -v n="$n" '{ c = $1; t = $2; $1 = ""; $2 = ""; printf "   %6.2f calls %7.0f us %s\n", c / n, t * 1000 / n, $0 }'
  if [ -n "${PROFILE_TRACE_PID:-}" ]; then
    wait "$PROFILE_TRACE_PID" || true
    PROFILE_TRACE_PID=""
    "$(profile_dotnet_trace)" report "$PROFILE_TRACE/$1.nettrace" topN -n 25 2>/dev/null | sed 's/^/   /' | cut -c1-170 || true
  fi
}

profile_dotnet_counters() { command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters"; }

# counters_begin NAME PID...: with PROFILE_COUNTERS=DIR, records the AssetLedger meter (the stages) and ASP.NET Core's
# of each API process to DIR/NAME.PID.csv for the run (dotnet-counters collect, one row per counter per second).
counters_begin() {
  [ -n "${PROFILE_COUNTERS:-}" ] || return 0
  local name="$1" p; shift
  mkdir -p "$PROFILE_COUNTERS"
  PROFILE_COUNTERS_PIDS=()
  for p in "$@"; do
    "$(profile_dotnet_counters)" collect -p "$p" --counters AssetLedger,Microsoft.AspNetCore.Hosting --format csv \
      -o "$PROFILE_COUNTERS/$name.$p.csv" --duration "00:00:00:$SECS" >/dev/null 2>&1 &
    PROFILE_COUNTERS_PIDS+=($!)
  done
}

# counters_end NAME REQUESTS: waits for the recordings, then prints per stage (summed over the API processes) how often it
# ran and how long it took per request of the run, and its mean: the AssetLedger meter's counters assetledger.stage.count
# and assetledger.stage.time (wall time, so a stage that waits on PostgreSQL counts its wait).
counters_end() {
  [ -n "${PROFILE_COUNTERS:-}" ] || return 0
  local p
  for p in "${PROFILE_COUNTERS_PIDS[@]}"; do wait "$p" || true; done
  PROFILE_COUNTERS_PIDS=()
  echo "-- $1: stages per request (of $2), wall time"
  cat "$PROFILE_COUNTERS/$1".*.csv | awk -F, -v n="$2" '
    $3 ~ /^assetledger\.stage\.(time|count)/ {
      match($3, /stage=[^];]*/); stage = substr($3, RSTART + 6, RLENGTH - 6)
      if ($3 ~ /stage\.time/) t[stage] += $NF; else c[stage] += $NF
    }
    END { for (s in c) printf "   %-28s %6.3f per_req %8.0f us_per_req %8.0f us_mean\n", s, c[s] / n, t[s] * 1e6 / n, c[s] ? t[s] * 1e6 / c[s] : 0 }' | sort -k4 -nr
}
