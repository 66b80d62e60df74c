# Local PostgreSQL helpers, sourced by run.sh, test.sh and the benchmarks.
# initdb/postgres refuse to run as root, so as root they run as the `postgres` user on a data
# directory that user owns, on a loopback port of our own: never another cluster's.

pg_install() {
  if ! command -v pg_config >/dev/null 2>&1 || [ ! -x "$(pg_config --bindir 2>/dev/null)/initdb" ]; then
    echo "PostgreSQL not found: installing it with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql postgresql-contrib >&2
  fi
  PG_BIN="$(pg_config --bindir)"
  export PG_BIN
}

# as_pg CMD...: run a PostgreSQL binary as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A free loopback port below Linux's ephemeral range (32768–60999): a port in that range can be taken meanwhile by any
# outgoing connection's local end, and the server then fails to start on it.
pg_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 12000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2; return 1
}

# pg_start_free DIR [extra postgres -c options...]: start a cluster on a port picked here, trying another port if the
# server cannot bind the first (taken between the check and the start). Sets PG_PORT.
pg_start_free() {
  local dir="$1"; shift
  for _ in 1 2 3 4 5; do
    PG_PORT="$(pg_free_port)" || return 1
    if pg_start "$dir" "$PG_PORT" "$@"; then export PG_PORT; return 0; fi
    echo "PostgreSQL did not start on port $PG_PORT; trying another" >&2
  done
  return 1
}

# pg_start DIR PORT [extra postgres -c options...]: create (once) and start a cluster in DIR.
pg_start() {
  local dir="$1" port="$2"; shift 2
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
  fi
  local opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB"
  for o in "$@"; do opts="$opts -c $o"; done
  as_pg "$PG_BIN/pg_ctl" -D "$dir" -o "$opts" -l "$dir/postgres.log" -w -t 60 start >/dev/null
}

pg_stop() {
  local dir="$1"
  [ -f "$dir/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}
