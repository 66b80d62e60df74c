# The network's processes (sourced by scripts/fabric-network.sh). Each node has a launch script in $NET/run/ that
# writes its own PID and then execs the binary, so the PID file names the very process (not a wrapper shell) and
# `down` or `stop` can signal exactly what `up` or `start` started.

NODES="orderer peer0.org1 peer0.org2 cc.org1 cc.org2"

# write_run NAME DIR VAR=VALUE... -- COMMAND...
write_run() {
  local name="$1" dir="$2"; shift 2
  local file="$NET/run/$name.sh"
  {
    echo '#!/usr/bin/env bash'
    printf 'cd %q || exit 1\n' "$dir"
    printf 'echo $$ >%q\n' "$NET/pids/$name.pid"
    while [ "$1" != "--" ]; do printf 'export %q\n' "$1"; shift; done
    shift
    printf 'exec'; printf ' %q' "$@"; printf ' >>%q 2>&1 </dev/null\n' "$NET/logs/$name.log"
  } >"$file"
  chmod +x "$file"
}

write_orderer_run() {
  local o="$ORDERER_DIR"
  write_run orderer "$NET" FABRIC_CFG_PATH="$CFG" \
    ORDERER_GENERAL_LISTENADDRESS=127.0.0.1 ORDERER_GENERAL_LISTENPORT="$ORDERER_PORT" \
    ORDERER_GENERAL_LOCALMSPID=OrdererMSP ORDERER_GENERAL_LOCALMSPDIR="$o/msp" \
    ORDERER_GENERAL_TLS_ENABLED=true ORDERER_GENERAL_TLS_CERTIFICATE="$o/tls/server.crt" \
    ORDERER_GENERAL_TLS_PRIVATEKEY="$o/tls/server.key" ORDERER_GENERAL_TLS_ROOTCAS="[$o/tls/ca.crt]" \
    ORDERER_GENERAL_BOOTSTRAPMETHOD=none ORDERER_CHANNELPARTICIPATION_ENABLED=true \
    ORDERER_FILELEDGER_LOCATION="$NET/orderer/ledger" ORDERER_CONSENSUS_WALDIR="$NET/orderer/wal" \
    ORDERER_CONSENSUS_SNAPDIR="$NET/orderer/snap" \
    ORDERER_OPERATIONS_LISTENADDRESS="127.0.0.1:$ORDERER_OPS_PORT" ORDERER_METRICS_PROVIDER=disabled \
    ORDERER_ADMIN_LISTENADDRESS="127.0.0.1:$ORDERER_ADMIN_PORT" \
    ORDERER_ADMIN_TLS_ENABLED=true ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true \
    ORDERER_ADMIN_TLS_CERTIFICATE="$o/tls/server.crt" ORDERER_ADMIN_TLS_PRIVATEKEY="$o/tls/server.key" \
    ORDERER_ADMIN_TLS_ROOTCAS="[$o/tls/ca.crt]" ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$o/tls/ca.crt]" \
    -- "$FABRIC_BIN/orderer"
}

write_peer_run() {
  local n="$1" p; p="$(peer_dir "$n")"
  local port cc ops
  if [ "$n" = 1 ]; then port=$PEER1_PORT cc=$PEER1_CC_PORT ops=$PEER1_OPS_PORT; else port=$PEER2_PORT cc=$PEER2_CC_PORT ops=$PEER2_OPS_PORT; fi
  # The external endpoint is what gossip discloses to the other org; without it the Gateway never finds a second
  # endorser. A 5 s reconnect (default 25 s) lets cross-org gossip recover quickly from bring-up's rejected dials.
  write_run "peer0.org$n" "$NET" FABRIC_CFG_PATH="$CFG" \
    CORE_PEER_ID="peer0.org$n.example.com" CORE_PEER_LOCALMSPID="Org${n}MSP" CORE_PEER_MSPCONFIGPATH="$p/msp" \
    CORE_PEER_LISTENADDRESS="127.0.0.1:$port" CORE_PEER_ADDRESS="127.0.0.1:$port" \
    CORE_PEER_CHAINCODELISTENADDRESS="127.0.0.1:$cc" CORE_PEER_CHAINCODEADDRESS="127.0.0.1:$cc" \
    CORE_PEER_GOSSIP_EXTERNALENDPOINT="127.0.0.1:$port" CORE_PEER_GOSSIP_BOOTSTRAP="127.0.0.1:$port" \
    CORE_PEER_GOSSIP_RECONNECTINTERVAL=5s \
    CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_CERT_FILE="$p/tls/server.crt" CORE_PEER_TLS_KEY_FILE="$p/tls/server.key" \
    CORE_PEER_TLS_ROOTCERT_FILE="$p/tls/ca.crt" \
    CORE_PEER_FILESYSTEMPATH="$NET/org$n-peer0" CORE_LEDGER_SNAPSHOTS_ROOTDIR="$NET/org$n-peer0/snapshots" \
    CORE_OPERATIONS_LISTENADDRESS="127.0.0.1:$ops" CORE_METRICS_PROVIDER=disabled \
    CORE_PEER_GATEWAY_ENABLED=true CORE_PEER_DISCOVERY_ENABLED=true \
    -- "$FABRIC_BIN/peer" node start
}

# The chaincode server of org n, run from the project's chaincode folder; it must be started with its org's package id.
write_cc_run() {
  local n="$1" package_id="$2" port; port=$([ "$n" = 1 ] && echo "$CC1_PORT" || echo "$CC2_PORT")
  local tls; tls="$(org_dir "$n")/peers/ccaas.org$n.example.com/tls"
  write_run "cc.org$n" "$CC_SRC" NODE_OPTIONS=--no-deprecation -- \
    node node_modules/fabric-shim/cli.js server --chaincode-address "127.0.0.1:$port" --chaincode-id "$package_id" \
    --chaincode-tls-cert-file "$tls/server.crt" --chaincode-tls-key-file "$tls/server.key" \
    --chaincode-tls-client-cacert-file "$(org_tls_ca "$n")" --module-path "$CC_SRC"
}

node_pid() { cat "$NET/pids/$1.pid" 2>/dev/null || true; }
node_alive() { local pid; pid="$(node_pid "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# Starts a node in its own session, detached from the caller's terminal and pipes.
start_node() {
  [ -x "$NET/run/$1.sh" ] || { echo "fabric-network: no node $1" >&2; return 1; }
  if node_alive "$1"; then return 0; fi
  rm -f "$NET/pids/$1.pid"
  # Started from a subshell that exits at once, so the node is nobody's job (and setsid makes it a session leader).
  ( setsid "$NET/run/$1.sh" >/dev/null 2>&1 </dev/null & )
  local i
  for i in $(seq 1 50); do [ -s "$NET/pids/$1.pid" ] && return 0; sleep 0.1; done
  echo "fabric-network: $1 did not start" >&2; return 1
}

# Stops a node by its recorded PID: TERM, then KILL after 10 s.
stop_node() {
  local pid; pid="$(node_pid "$1")"
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    local i
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$NET/pids/$1.pid"
}

wait_http() { # URL SECONDS
  local i
  for i in $(seq 1 $(($2 * 10))); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "fabric-network: $1 did not answer within $2 s" >&2; return 1
}

wait_port() { # PORT SECONDS
  local i
  for i in $(seq 1 $(($2 * 10))); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "fabric-network: nothing listens on 127.0.0.1:$1 after $2 s" >&2; return 1
}

# An org admin's CLI environment, written once by up (sourced in a subshell).
write_admin_env() {
  local n="$1"
  {
    printf 'export FABRIC_CFG_PATH=%q\n' "$CFG"
    printf 'export CORE_PEER_LOCALMSPID=%q\n' "Org${n}MSP"
    printf 'export CORE_PEER_MSPCONFIGPATH=%q\n' "$(org_dir "$n")/users/Admin@org$n.example.com/msp"
    printf 'export CORE_PEER_ADDRESS=%q\n' "127.0.0.1:$(peer_port "$n")"
    printf 'export CORE_PEER_TLS_ENABLED=true\n'
    printf 'export CORE_PEER_TLS_ROOTCERT_FILE=%q\n' "$(org_tls_ca "$n")"
  } >"$NET/org$n.env"
}

as_admin() { # ORG COMMAND... (the peer CLI as that org's admin)
  local n="$1"; shift
  (. "$NET/org$n.env" && "$@")
}
