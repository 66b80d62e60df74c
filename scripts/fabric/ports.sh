# fabric_free_port_base FROM: the first base (FROM, FROM+500, …) whose Fabric ports (base+50 … base+447, as
# scripts/fabric/config.sh lays them out) are all free on 127.0.0.1, so a test run or a benchmark never meets another network.
fabric_free_port_base() {
  local base off
  for base in $(seq "$1" 500 $(($1 + 5000))); do
    for off in 50 51 52 53 61 62 100 101 443 446 447; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$((base + off))") 2>/dev/null; then continue 2; fi
    done
    echo "$base"; return
  done
  echo "$1"
}
