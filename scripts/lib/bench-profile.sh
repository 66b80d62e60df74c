# PROFILE=1 for bench-api.sh: what one request costs PostgreSQL, from pg_stat_statements and pg_stat_database, so a cut
# is confirmed by the counts it should change (round trips, commits, connection resets), not by the rate alone.
# With PROFILE_TRACE=DIR it also samples the API's threads (dotnet-trace's dotnet-sampled-thread-time, ~100 Hz) during each measured run and prints its top
# methods. PROFILE_PERF=DIR records the API process with perf during each measured run (JIT-compiled methods named through
# the runtime's perf map, which bench_api_process then switches on) and prints its top functions, self and with children.
# PROFILE_WAITS=1 samples pg_stat_activity every 0.1 s during each measured run and prints what the busy backends were
# doing: waiting on what (lock, LWLock, IO, client) and in which statement, as shares of the samples.
# Needs PG_BIN, PORT, DIR and as_pg (scripts/lib/pg.sh).

# profile_pg_options: the postgres -c options pg_start needs for the counts.
profile_pg_options() { [ "${PROFILE:-}" = 1 ] && echo "shared_preload_libraries=pg_stat_statements pg_stat_statements.max=2000 pg_stat_statements.track_planning=on" || true; }

profile_dotnet_trace() { command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace"; }

profile_sql() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -At -F ' ' -c "$1"; }

# profile_begin NAME PID: zeroes the statement counts and remembers the commits so far; starts a trace of PID if asked.
profile_begin() {
  perf_begin "$@"
  waits_begin "$@"
  [ "${PROFILE:-}" = 1 ] || return 0
  profile_sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  profile_sql "SELECT pg_stat_statements_reset()" >/dev/null
  PROFILE_COMMITS="$(profile_sql "SELECT sum(xact_commit) FROM pg_stat_database")"
  PROFILE_WAL="$(profile_sql "SELECT wal_bytes, wal_fpi, wal_write, wal_sync, (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter) FROM pg_stat_wal")"
  if [ -n "${PROFILE_TRACE:-}" ]; then
    mkdir -p "$PROFILE_TRACE"
    "$(profile_dotnet_trace)" collect -p "$2" --profile dotnet-sampled-thread-time --duration "00:00:00:$SECS" -o "$PROFILE_TRACE/$1.nettrace" >/dev/null 2>&1 &
    PROFILE_TRACE_PID=$!
  fi
}

# profile_end NAME REQUESTS: per request, the commits and the calls of each statement PostgreSQL ran (top level), busiest first.
profile_end() {
  perf_end "$@"
  waits_end "$@"
  [ "${PROFILE:-}" = 1 ] || return 0
  local n="$2" commits
  commits="$(profile_sql "SELECT sum(xact_commit) FROM pg_stat_database")"
  echo "-- $1: per request (of $n)"
  awk -v a="$PROFILE_COMMITS" -v b="$commits" -v n="$n" 'BEGIN{ printf "   commits_per_req=%.2f\n", (b - a) / n }'
  # The WAL written per request, how much of it full-page images, the WAL writes and flushes (a commit waits for one), and
  # the checkpoints begun during the run (their writes and the full-page images after them are the usual cause of slow commits).
  profile_sql "SELECT wal_bytes, wal_fpi, wal_write, wal_sync, (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter) FROM pg_stat_wal" |
    awk -v n="$n" -v a="$PROFILE_WAL" 'BEGIN { split(a, b, " ") }
      { printf "   wal_bytes_per_req=%.0f wal_fpi_per_req=%.3f wal_writes_per_req=%.3f wal_syncs_per_req=%.3f checkpoints=%d\n", ($1 - b[1]) / n, ($2 - b[2]) / n, ($3 - b[3]) / n, ($4 - b[4]) / n, $5 - b[5] }'
  profile_sql "SELECT sum(calls) FROM pg_stat_statements" | awk -v n="$n" '{ printf "   statements_per_req=%.2f\n", $1 / n }'
  profile_sql "SELECT calls, round(total_exec_time::numeric, 1), regexp_replace(left(query, 110), '\s+', ' ', 'g') FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15" |
    awk -v n="$n" '{ c = $1; t = $2; $1 = ""; $2 = ""; printf "   %6.2f calls %7.0f us %s\n", c / n, t * 1000 / n, $0 }'
  echo "   most planned (plans and planning time per request, of all calls):"
  profile_sql "SELECT plans, calls, round(total_plan_time::numeric, 1), regexp_replace(left(query, 110), '\s+', ' ', 'g') FROM pg_stat_statements ORDER BY total_plan_time DESC LIMIT 10" |
    awk -v n="$n" '{ p = $1; c = $2; t = $3; $1 = ""; $2 = ""; $3 = ""; printf "   %6.2f plans %6.2f calls %5.0f us %s\n", p / n, c / n, t * 1000 / n, $0 }'
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
      -o "$PROFILE_COUNTERS/$name.$p.csv" --duration "$(printf '00:%02d:%02d:%02d' $((SECS / 3600)) $((SECS / 60 % 60)) $((SECS % 60)))" >/dev/null 2>&1 &
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
  ls "$PROFILE_COUNTERS/$1".*.csv >/dev/null 2>&1 || { echo "-- $1: dotnet-counters recorded nothing"; return 0; }
  echo "-- $1: stages per request (of $2), wall time"
  cat "$PROFILE_COUNTERS/$1".*.csv | awk -F, -v n="$2" '
    $3 ~ /^assetledger\.stage\.(time|count)/ {
      match($3, /stage=[^];]*/); stage = substr($3, RSTART + 6, RLENGTH - 6)
      if ($3 ~ /stage\.time/) t[stage] += $NF; else c[stage] += $NF
    }
    END { for (s in c) printf "   %-28s %6.3f per_req %8.0f us_per_req %8.0f us_mean\n", s, c[s] / n, t[s] * 1e6 / n, c[s] ? t[s] * 1e6 / c[s] : 0 }' | sort -k4 -nr
  # The trace's kept timelines (assetledger.trace.cache): served (hit), served with unfinished proofs read again (proofs), read whole again (stale) or first (miss).
  cat "$PROFILE_COUNTERS/$1".*.csv | awk -F, -v n="$2" '
    $3 ~ /^assetledger\.trace\.cache/ { match($3, /outcome=[^];]*/); o[substr($3, RSTART + 8, RLENGTH - 8)] += $NF }
    END { for (k in o) printf "   trace cache %-12s %6.3f per_req %8d in all\n", k, o[k] / n, o[k] }' | sort
}

# perf_env: the settings an API process needs for perf to name its JIT-compiled code (with W^X on, that code runs from a
# double mapping perf cannot match to it); printed as env arguments, nothing without PROFILE_PERF.
perf_env() { [ -n "${PROFILE_PERF:-}" ] && echo "DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0" || true; }

# perf_begin NAME PID: with PROFILE_PERF=DIR, samples PID (999 Hz, call graphs) for the run's SECS into DIR/NAME.perf.data.
perf_begin() {
  [ -n "${PROFILE_PERF:-}" ] || return 0
  mkdir -p "$PROFILE_PERF"
  perf record -F 999 -g -p "$2" -o "$PROFILE_PERF/$1.perf.data" -- sleep "$SECS" >"$PROFILE_PERF/$1.perf.log" 2>&1 &
  PROFILE_PERF_PID=$!
}

# perf_end NAME: waits for the recording and writes DIR/NAME.txt: the shares by library, the top functions by their own
# samples, and by their samples with their callees'; and prints the API's CPU by part (PROFILE_API_US: the run's API CPU
# µs per request, set by the caller).
perf_end() {
  [ -n "${PROFILE_PERF:-}" ] && [ -n "${PROFILE_PERF_PID:-}" ] || return 0
  wait "$PROFILE_PERF_PID" || true
  PROFILE_PERF_PID=""
  local d="$PROFILE_PERF/$1.perf.data"
  {
    perf report -i "$d" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15 || true
    echo "-- self"
    perf report -i "$d" --no-children --sort symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -70 || true
    echo "-- with children"
    perf report -i "$d" --children --sort symbol --stdio -g none --percent-limit 0.7 2>/dev/null | grep -v '^#' | grep -v '^$' | grep -v '0x0000' | head -250 || true
  } >"$PROFILE_PERF/$1.txt"
  echo "   perf: $PROFILE_PERF/$1.txt"
  # The API's CPU by part (scripts/lib/perf-stages.py), in µs per request at the run's API CPU per request.
  { perf script -i "$d" -F comm,tid,ip,sym,dso 2>/dev/null || true; } | python3 scripts/lib/perf-stages.py "${PROFILE_API_US:-0}" | tee -a "$PROFILE_PERF/$1.txt" || true
}

# waits_begin NAME: with PROFILE_WAITS=1, samples the active backends (not this sampler's) into $DIR/NAME.waits for SECS.
waits_begin() {
  [ "${PROFILE_WAITS:-}" = 1 ] || return 0
  local until=$(( $(date +%s) + SECS ))
  (
    while [ "$(date +%s)" -lt "$until" ]; do
      profile_sql "SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-'), regexp_replace(left(query, 90), '\s+', ' ', 'g')
                   FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'" 2>/dev/null || true
      echo "--sample"
      sleep 0.1
    done
  ) >"$DIR/$1.waits" &
  PROFILE_WAITS_PID=$!
}

# waits_end NAME: the busy backends per sample, and the shares of (wait, statement) among them, most first.
waits_end() {
  [ "${PROFILE_WAITS:-}" = 1 ] && [ -n "${PROFILE_WAITS_PID:-}" ] || return 0
  wait "$PROFILE_WAITS_PID" || true
  PROFILE_WAITS_PID=""
  echo "-- $1: active backends (pg_stat_activity every 0.1 s)"
  awk '$0 == "--sample" { n++; next } { busy++; c[$0]++ }
    END { printf "   samples=%d busy_backends_per_sample=%.2f\n", n, n ? busy / n : 0
          for (k in c) printf "   %6.2f per sample  %s\n", c[k] / n, k | "sort -nr | head -25" }' "$DIR/$1.waits"
}
