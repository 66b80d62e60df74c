#!/usr/bin/env bash
# A PostgreSQL with a synchronous standby and automatic failover (pg_auto_failover): a monitor and two nodes, each a
# PostgreSQL of its own on 127.0.0.1, run as the postgres user on directories it owns under $HA_DIR (default .data/ha).
#
#   scripts/ha.sh up         create (first time) and start the monitor, then node1 (primary) and node2 (its standby)
#   scripts/ha.sh down       stop the nodes and the monitor (data kept; `down --purge` removes it)
#   scripts/ha.sh status     the formation's state, the current primary and the service's connection string
#   scripts/ha.sh failover   a planned switch-over: the standby becomes primary, the primary its standby
#   scripts/ha.sh primary    the port of the current primary (empty when there is none)
#   scripts/ha.sh kill-primary   kill -9 the primary node (its pg_autoctl and PostgreSQL), as a machine loss; prints its
#                            name. `up` starts it again: it rejoins as the standby of the new primary (pg_rewind).
#
# Ports (outside Linux's ephemeral range 32768–60999): monitor $HA_MONITOR_PORT (26000), nodes $HA_NODE1_PORT (26001)
# and $HA_NODE2_PORT (26002). The service connects to both nodes and writes to whichever is primary:
#   Host=127.0.0.1:26001,127.0.0.1:26002;Username=postgres;Database=assetledger;Target Session Attributes=primary
# Failure detection is tuned for a demonstration on one machine (a failover in seconds, README "High availability").
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
pg_install

HA_DIR="$(realpath -m "${HA_DIR:-.data/ha}")"
MONITOR_PORT="${HA_MONITOR_PORT:-26000}"
NODE_PORTS=("${HA_NODE1_PORT:-26001}" "${HA_NODE2_PORT:-26002}")
DB=assetledger

if ! command -v pg_autoctl >/dev/null 2>&1 || [ ! -f "$(pg_config --sharedir)/extension/pgautofailover.control" ]; then
  echo "pg_auto_failover not found: installing it with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq "postgresql-$(pg_config --version | sed -E 's/PostgreSQL ([0-9]+).*/\1/')-auto-failover" >&2
fi

# pg_autoctl as the postgres user, its configuration and state kept inside $HA_DIR (not in the user's home).
autoctl() {
  as_pg env PATH="$PG_BIN:$PATH" XDG_CONFIG_HOME="$HA_DIR/config" XDG_DATA_HOME="$HA_DIR/state" pg_autoctl "$@"
}
monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable"; }
running() { [ -f "$HA_DIR/$1.pid" ] && kill -0 "$(cat "$HA_DIR/$1.pid")" 2>/dev/null; }

# start NAME: the node's pg_autoctl service (it supervises its PostgreSQL), in the background, logging to NAME.log.
start() {
  local name="$1"
  running "$name" && return 0
  # Its own session, and no descriptor of ours: it outlives this script and holds no pipe of a caller open.
  (cd "$HA_DIR"; exec setsid runuser -u postgres -- env PATH="$PG_BIN:$PATH" XDG_CONFIG_HOME="$HA_DIR/config" XDG_DATA_HOME="$HA_DIR/state" \
      pg_autoctl run --pgdata "$HA_DIR/$name") >>"$HA_DIR/$name.log" 2>&1 </dev/null &
  echo $! > "$HA_DIR/$name.pid"
}

wait_ready() {
  local port="$1" what="$2"
  for _ in $(seq 1 600); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && return 0; sleep 0.2; done
  echo "$what did not come up on port $port (see $HA_DIR/*.log)" >&2; return 1
}

psql_at() { "$PG_BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d "$2" -Atqc "$3"; }

# The formation's states, from the monitor: node name, port, reported state, goal state.
states() { psql_at "$MONITOR_PORT" pg_auto_failover "SELECT nodename, nodeport, reportedstate, goalstate FROM pgautofailover.node ORDER BY nodeid" 2>/dev/null; }

# The node taking writes: "primary", or "wait_primary"/"single" while it has no healthy standby (then it commits alone).
primary_port() {
  states | awk -F'|' '$3 == $4 && ($3 == "primary" || $3 == "wait_primary" || $3 == "single") { print $2 }' | head -1
}

wait_for() {
  local want="$1" seconds="$2"
  for _ in $(seq 1 $((seconds * 5))); do
    [ "$(states | awk -F'|' '$3 == $4 { print $3 }' | sort | tr '\n' ' ')" = "$want" ] && return 0
    sleep 0.2
  done
  echo "the formation did not reach: $want; it is:" >&2; states >&2; return 1
}

up() {
  mkdir -p "$HA_DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$HA_DIR"; fi
  chmod 755 "$HA_DIR"
  if [ ! -f "$HA_DIR/monitor/PG_VERSION" ]; then
    autoctl create monitor --pgdata "$HA_DIR/monitor" --pgport "$MONITOR_PORT" --hostname 127.0.0.1 --auth trust --no-ssl >>"$HA_DIR/monitor.log" 2>&1
    # Loopback only; failure detection in seconds (the defaults take ~50 s: 20 s unhealthy, 30 s to let the primary drain).
    cat >>"$HA_DIR/monitor/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 3000
pgautofailover.primary_demote_timeout = 6000
pgautofailover.startup_grace_period = 3000
CONF
  fi
  start monitor
  wait_ready "$MONITOR_PORT" monitor
  for i in 0 1; do
    local name="node$((i + 1))" port="${NODE_PORTS[$i]}"
    if [ ! -f "$HA_DIR/$name/PG_VERSION" ] && [ ! -f "$HA_DIR/config/pg_autoctl$HA_DIR/$name/pg_autoctl.cfg" ]; then
      autoctl create postgres --pgdata "$HA_DIR/$name" --pgport "$port" --listen 127.0.0.1 --hostname 127.0.0.1 \
        --name "$name" --dbname "$DB" --monitor "$(monitor_uri)" --auth trust --no-ssl --replication-quorum true --candidate-priority 50 >>"$HA_DIR/$name.log" 2>&1
      # The primary stops itself when it has lost both the monitor and its standby this long (before the monitor promotes
      # the standby: primary_demote_timeout above is longer), so two primaries never take writes at once.
      autoctl config set --pgdata "$HA_DIR/$name" timeout.network_partition_timeout 3 >/dev/null
      if [ "$i" = 0 ]; then
        # Room for several API instances' pools; node2 copies these settings from node1 when it is built.
        as_pg tee -a "$HA_DIR/$name/postgresql.auto.conf" >/dev/null <<CONF
max_connections = 300
shared_buffers = '256MB'
CONF
      fi
    fi
    start "$name"
    # node2 is built from node1 (pg_basebackup), so node1 must be serving first.
    if [ "$i" = 0 ]; then wait_ready "$port" "$name"; fi
  done
  wait_for "primary secondary " 180
  status
}

down() {
  for name in node2 node1 monitor; do
    if running "$name"; then
      autoctl stop --pgdata "$HA_DIR/$name" >/dev/null 2>&1 || kill "$(cat "$HA_DIR/$name.pid")" 2>/dev/null || true
      for _ in $(seq 1 100); do running "$name" || break; sleep 0.2; done
    fi
    rm -f "$HA_DIR/$name.pid"
  done
  if [ "${1:-}" = "--purge" ]; then rm -rf "$HA_DIR"; fi
}

status() {
  states | awk -F'|' 'BEGIN { printf "%-8s %-6s %-16s %s\n", "node", "port", "state", "goal" } { printf "%-8s %-6s %-16s %s\n", $1, $2, $3, $4 }'
  local p; p="$(primary_port)"
  if [ -n "$p" ]; then
    echo "primary: 127.0.0.1:$p   synchronous_standby_names: $(psql_at "$p" postgres "SHOW synchronous_standby_names")"
  fi
  echo "ASSETLEDGER_DB=\"Host=127.0.0.1:${NODE_PORTS[0]},127.0.0.1:${NODE_PORTS[1]};Username=postgres;Database=$DB;Target Session Attributes=primary;Maximum Pool Size=100\""
}

kill_primary() {
  local port name
  port="$(primary_port)"; [ -n "$port" ] || { echo "no primary" >&2; return 1; }
  name="$(states | awk -F'|' -v p="$port" '$2 == p { print $1 }')"
  # The node's pg_autoctl runs in a session of its own (start): its process group holds it and its PostgreSQL.
  kill -9 -- "-$(cat "$HA_DIR/$name.pid")"
  rm -f "$HA_DIR/$name.pid"
  echo "$name"
}

failover() {
  autoctl perform failover --pgdata "$HA_DIR/monitor" >/dev/null 2>&1 || autoctl perform switchover --pgdata "$HA_DIR/monitor"
  wait_for "primary secondary " 120
  status
}

case "${1:-}" in
  up) up ;;
  down) shift; down "$@" ;;
  status) status ;;
  failover) failover ;;
  primary) primary_port ;;
  kill-primary) kill_primary ;;
  *) sed -n 2,16p "$0" >&2; exit 2 ;;
esac
