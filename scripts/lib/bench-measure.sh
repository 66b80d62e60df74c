# Shared by the benchmarks that compare with PostgreSQL's own write rate and count CPU per request.
# Needs PG_BIN, PORT, DIR (scripts/lib/pg.sh) and a database `bench` whose `events` table exists.

# pgbench_insert_rate SECONDS: pgbench's single-row INSERT into a table shaped like events, 32 clients; prints inserts/s.
pgbench_insert_rate() {
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d bench -q -c "CREATE SEQUENCE IF NOT EXISTS bench_pos; CREATE TABLE IF NOT EXISTS bench_events (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);"
  cat > "$DIR/insert.sql" <<'SQL'
INSERT INTO bench_events (position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash)
VALUES (nextval('bench_pos'), md5(random()::text), 1, gen_random_uuid(), 'asset-transferred-out', 1,
 '{"asset":"0193a5f0000070008000000000000001","venue":"bank-1","purpose":"Financing","by":"owner-1","at":"2026-11-25T08:00:00+00:00"}',
 '{"participant":"owner-1","correlationId":"0193a5f0-0000-7000-8000-0000000000cc"}', sha256('x'), NULL);
SQL
  chmod 644 "$DIR/insert.sql"
  as_pg "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -n -c 32 -j 2 -T "$1" -f "$DIR/insert.sql" bench 2>/dev/null | awk '/^tps = /{print $3; exit}'
}

# cpu_ticks PID...: user+system clock ticks those processes used so far, with their children that ended (cutime+cstime):
# a PostgreSQL backend that closes between two readings leaves the list, and its time moves to the postmaster's children's
# time, so a difference of two readings still counts it (without that, a run whose connections closed came out negative).
cpu_ticks() { local p; for p in "$@"; do awk '{print $14+$15+$16+$17}' "/proc/$p/stat" 2>/dev/null || true; done | awk '{s+=$1} END{print s+0}'; }

# pg_pids: the cluster's postmaster on $DIR/pg and its backends and workers.
pg_pids() { local pm; pm="$(head -1 "$DIR/pg/postmaster.pid")"; echo "$pm" $(pgrep -P "$pm"); }

# us_per TICKS COUNT: microseconds of CPU per unit.
us_per() { awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN{ if (n>0) printf "%.0f", t*1e6/hz/n; else print "n/a" }'; }

# slow_begin / slow_end NAME: the requests the API processes logged as slow during the run (AssetLedger:SlowRequestMilliseconds,
# 200 ms by default: Api/Hosting/SlowRequests), counted by method, route (ids as {id}) and the stage that took most of each,
# with the mean of their times, and each stage's mean over them all: which kind of request makes the tail, and where it waited.
slow_begin() {
  local f; SLOW_FROM=()
  for f in "$DIR"/api*.log; do SLOW_FROM+=("$f:$(wc -l <"$f")"); done
}
slow_end() {
  local e f from
  for e in "${SLOW_FROM[@]}"; do
    f="${e%:*}"; from="${e##*:}"
    tail -n +"$((from + 1))" "$f"
  done | { grep -a "Slow request " || true; } | sed -E 's/[0-9a-f]{32}/{id}/g' | awk -v name="$1" '
    {
      match($0, /Slow request [A-Z]+ [^ ]+ [0-9]+: [0-9.]+ ms/); split(substr($0, RSTART, RLENGTH), w, " ")
      key = w[3] " " w[4] " " w[5]; ms = w[6] + 0
      top = "none"; best = -1
      if (match($0, /stages: [^;]*/)) {
        n = split(substr($0, RSTART + 8, RLENGTH - 8), st, ", ")
        for (i = 1; i <= n; i++) {
          k = split(st[i], p, " "); v = p[k - 1] + 0; if (v > best) { best = v; top = p[1] }
          if (p[1] == "none") continue
          if (!(p[1] in sum)) order[++stages] = p[1]
          sum[p[1]] += v
        }
      }
      if (match($0, /paused [0-9.]+ ms/)) { split(substr($0, RSTART, RLENGTH), g, " "); gc += g[2]; if (g[2] + 0 > best) top = "gc-pause" }
      c[key " top=" top]++; t[key " top=" top] += ms; total++
    }
    END {
      printf "-- %s: requests logged slow (>= the API'"'"'s SlowRequestMilliseconds): %d\n", name, total
      if (total > 0) {
        printf "   each stage, its mean ms over all %d (0 where it did not run):", total
        for (i = 1; i <= stages; i++) printf " %s %.1f", order[i], sum[order[i]] / total
        printf " gc-pause %.1f\n", gc / total
      }
      for (k in c) printf "   %6d  mean %7.0f ms  %s\n", c[k], t[k] / c[k], k | "sort -nr | head -12"
    }'
}
