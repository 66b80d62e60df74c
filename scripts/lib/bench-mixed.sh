# The mixed load for bench-api.sh (MODE=mixed): 70 % reads of assets and trace, 30 % lifecycle commands across five
# participants (scripts/bench/wrk/mixed.lua), on one API process and then on two processes sharing the cluster.
# Needs URL, API_PID, OP and TOKEN (bench_one_instance, bench_onboard), DIR, SECS, and cpu_ticks/pg_pids/us_per.

# mixed_onboard: the trading center, the bank, the buyer and a regulator, a user each (wh-1's too); exports their tokens.
mixed_onboard() {
  local p
  for p in tc-1:TradingCenter bank-1:FinancialInstitution buyer-b:Owner reg-1:Regulator; do
    curl -sf -X POST "$URL/api/v1/participants" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
      -d "{\"id\":\"${p%%:*}\",\"name\":\"${p%%:*}\",\"roles\":[\"${p##*:}\"]}" >/dev/null
  done
  for p in wh-1 tc-1 bank-1 buyer-b reg-1; do
    curl -sf -X POST "$URL/api/v1/users" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
      -d "{\"login\":\"$p.bench\",\"participantId\":\"$p\",\"displayName\":\"bench\",\"password\":\"bench password 1\"}" >/dev/null
  done
  TOKEN_OWNER="$TOKEN"
  TOKEN_WH="$(bench_token wh-1.bench 'bench password 1')"; TOKEN_TC="$(bench_token tc-1.bench 'bench password 1')"
  TOKEN_BANK="$(bench_token bank-1.bench 'bench password 1')"; TOKEN_BUYER="$(bench_token buyer-b.bench 'bench password 1')"
  TOKEN_REG="$(bench_token reg-1.bench 'bench password 1')"
  export TOKEN_OWNER TOKEN_WH TOKEN_TC TOKEN_BANK TOKEN_BUYER TOKEN_REG
}

# mixed_run NAME CONNS PID... -- URL...: the mixed load with CONNS connections shared out over the URLs (one wrk each, at
# once); prints each wrk's line, then the total rate, the worst p99, the API processes' and PostgreSQL's CPU µs per
# request, the 5xx answers, and the trace reads told to retry because the read models had not reached the asset yet.
mixed_run() {
  local name="$1" conns="$2" pids=() urls=() runs=() i out api0 pg0 api1 pg1 n; shift 2
  while [ "$1" != -- ]; do pids+=("$1"); shift; done; shift; urls=("$@")
  profile_begin "$name" "${pids[0]}"
  counters_begin "$name" "${pids[@]}"
  slow_begin
  api0="$(cpu_ticks "${pids[@]}")"; pg0="$(cpu_ticks $(pg_pids))"
  for i in "${!urls[@]}"; do
    # BENCH_MIXED_CARRY=1: each run starts reading the assets the last run on that process read (else every run starts cold).
    MIXED_STATE="$([ "${BENCH_MIXED_CARRY:-}" != 1 ] || echo "$DIR/mixed-state.$i")" RUN_TAG="$name-$i-$(date +%s)" wrk -t2 -c"$((conns / ${#urls[@]}))" -d"${SECS}s" --timeout 10s -s scripts/bench/wrk/mixed.lua "${urls[$i]}" >"$DIR/mixed.$i" 2>&1 &
    runs+=($!)
  done
  for i in "${runs[@]}"; do wait "$i" || echo "  $name: wrk $i exited with $?"; done
  api1="$(cpu_ticks "${pids[@]}")"; pg1="$(cpu_ticks $(pg_pids))"
  grep -hv RESULT "$DIR"/mixed.* | grep -v "^Running\|^  [0-9]* threads\|^  Thread\|^    \|Latency\|Req/Sec\|requests in\|^Requests/sec\|^Transfer/sec\|Non-2xx\|Socket errors" | sed "s/^/  $name: /" || true
  out="$(cat "$DIR"/mixed.* | grep RESULT || true)"; rm -f "$DIR"/mixed.*
  [ -n "$out" ] || { echo "$name: wrk printed no result"; return 0; }
  sed "s/RESULT/  $name/" <<<"$out"
  awk -v name="$name" -v api="$((api1 - api0))" -v pg="$((pg1 - pg0))" -v hz="$(getconf CLK_TCK)" '
    { for (i = 1; i <= NF; i++) { split($i, a, "="); v[a[1]] += a[2]; if (a[1] == "p99_ms" && a[2] > p99) p99 = a[2] } }
    END { printf "%s rps=%d worst_p99_ms=%.2f commands=%d reads=%d server_errors=%d refused=%d not_yet_projected=%d api_cpu_us_per_req=%.0f pg_cpu_us_per_req=%.0f\n",
      name, v["rps"], p99, v["commands"], v["reads"], v["server_errors"], v["refused"], v["not_yet_projected"], api * 1e6 / hz / v["requests"], pg * 1e6 / hz / v["requests"] }' <<<"$out"
  n="$(awk '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == "requests") n += a[2] } } END { print n }' <<<"$out")"
  PROFILE_API_US="$(awk -v api="$((api1 - api0))" -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.0f", api * 1e6 / hz / n }')"
  profile_end "$name" "$n"
  counters_end "$name" "$n"
  slow_end "$name"
}

# mixed_split_table FILE: from split mode's three runs (commands alone; with GET asset; with GET trace), per request of each
# kind: CPU µs of the API process and of PostgreSQL, and with PROFILE=1 PostgreSQL's statements and commits. A command's
# from the first run, a read's from the others less their commands' share.
mixed_split_table() {
  awk '
    $1 ~ /^split_/ && $2 ~ /^rps=/ {
      k = substr($1, 7)
      for (i = 2; i <= NF; i++) { split($i, a, "="); v[k, a[1]] = a[2] }
    }
    $1 == "--" && $2 ~ /^split_.*:$/ && $3 == "per" { k = substr($2, 7, length($2) - 7) }
    $1 ~ /^(commits|statements)_per_req=/ { split($1, a, "="); v[k, a[1]] = a[2] }
    function per(k, f, c, r) { return (v[k, f] * (c + r) - v["commands", f] * c) / r }
    END {
      print "-- per request by kind: CPU us of the API process and of PostgreSQL (all its processes); PostgreSQL statements and commits"
      printf "   %-12s api %6.0f  pg %6.0f  statements %5.2f  commits %5.2f\n", "command", v["commands", "api_cpu_us_per_req"],
        v["commands", "pg_cpu_us_per_req"], v["commands", "statements_per_req"], v["commands", "commits_per_req"]
      n = split("asset trace", kinds, " ")
      for (j = 1; j <= n; j++) {
        k = kinds[j]; c = v[k, "commands"]; r = v[k, "reads"]; if (r == 0) continue
        printf "   %-12s api %6.0f  pg %6.0f  statements %5.2f  commits %5.2f   (run: %d commands, %d reads)\n", "GET " k,
          per(k, "api_cpu_us_per_req", c, r), per(k, "pg_cpu_us_per_req", c, r), per(k, "statements_per_req", c, r), per(k, "commits_per_req", c, r), c, r
      }
    }' "$1"
}
