# The kernel's DAMON monitor, which some hosts of this kind run (a kdamond thread; /sys/kernel/mm/damon/admin). Seen on
# this machine in session 21: a kdamond on physical memory with a "pageout" scheme, sampling every 500 ms. Each sample
# checks and clears the accessed bit of a page in each of up to 8,192 regions, through every process that maps it, and
# here (a paravirtualised VM) it ran for about 0.1 s every 0.6 s and the load stalled meanwhile, though its own CPU was
# only ~3 % of the machine (perf; the stall is larger than that CPU). Under load that is a stall every 0.6 s:
# at 128 connections the mixed load's requests over 100 ms came in bursts 0.6 s apart, all of them waiting in the
# admission line while kdamond ran (perf, 50 ms buckets), and p99 was 149-178 ms with it on against 89-91 ms off
# (scripts/bench/results/bench-s21.txt).
# So the benches say whether it was on, and BENCH_DAMON=off pauses it for the run (as root; the state is put back when the
# bench ends, however it ends). The default leaves the machine as it is: a figure is the machine's as found, and says so.

DAMON_ADMIN=/sys/kernel/mm/damon/admin/kdamonds
DAMON_PAUSED=()

# damon_describe: one line, e.g. "kdamond: 1 on (paddr, pageout, sampling every 500 ms)", or "kdamond: none".
damon_describe() {
  local k on=0 what=""
  [ -r "$DAMON_ADMIN/nr_kdamonds" ] && [ "$(cat "$DAMON_ADMIN/nr_kdamonds")" -gt 0 ] || { echo "kdamond: none"; return 0; }
  for k in "$DAMON_ADMIN"/[0-9]*; do
    [ "$(cat "$k/state" 2>/dev/null)" = on ] || continue
    on=$((on + 1))
    what="$what${what:+; }$(cat "$k/contexts/0/operations" 2>/dev/null || echo '?'), $(cat "$k/contexts/0/schemes/0/action" 2>/dev/null || echo 'no scheme'), sampling every $(($(cat "$k/contexts/0/monitoring_attrs/intervals/sample_us" 2>/dev/null || echo 0) / 1000)) ms"
  done
  if [ "$on" -eq 0 ]; then echo "kdamond: $(cat "$DAMON_ADMIN/nr_kdamonds") off${DAMON_PAUSED:+ (paused for this bench: BENCH_DAMON=off)}"
  else echo "kdamond: $on on ($what)"; fi
}

# damon_pause_if_asked: with BENCH_DAMON=off, turns off every kdamond that is on, remembering which; damon_restore turns
# them on again (call it from the bench's exit trap).
damon_pause_if_asked() {
  local k
  [ "${BENCH_DAMON:-}" = off ] && [ -d "$DAMON_ADMIN" ] || return 0
  for k in "$DAMON_ADMIN"/[0-9]*; do
    [ "$(cat "$k/state" 2>/dev/null)" = on ] || continue
    if echo off > "$k/state" 2>/dev/null; then DAMON_PAUSED+=("$k"); else echo "BENCH_DAMON=off: could not pause $k (not root?)" >&2; fi
  done
}

damon_restore() {
  local k
  for k in "${DAMON_PAUSED[@]}"; do echo on > "$k/state" 2>/dev/null || echo "could not turn $k on again: echo on > $k/state" >&2; done
  DAMON_PAUSED=()
}
