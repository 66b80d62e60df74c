#!/usr/bin/env bash
# A Hyperledger Fabric network without Docker, on loopback ports of its own: one orderer org (etcdraft), Org1 (the
# registry operator) and Org2 (a bank or the regulator) with one peer each, channel mychannel, and the project's
# checkpoint-anchor chaincode run as a service by each org, approved by both, its endorsement policy needing both.
# TLS on every link. Binaries from $FABRIC_BIN, else ../shared/fabric/bin beside the project, else the PATH.
#
# Usage: scripts/fabric-network.sh up | down | status | stop NODE | start NODE
#   NODE: orderer, peer0.org1, peer0.org2, cc.org1, cc.org2 (stop/start one, e.g. to test a crash)
# Settings (environment): FABRIC_NET (state folder, default .data/fabric), FABRIC_PORT_BASE (default 17000: orderer
# 17050, peers 17051/17061, …), FABRIC_BATCH_TIMEOUT (250ms), FABRIC_MAX_MESSAGE_COUNT (1), FABRIC_EXTRA_CHAINCODES
# (more names for the same chaincode, each its own world state). `up` writes $FABRIC_NET/network.env for clients.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/scripts/fabric/config.sh"
. "$ROOT/scripts/fabric/nodes.sh"
. "$ROOT/scripts/fabric/lifecycle.sh"
fabric_settings

now() { date +%s.%N; }
phase() { local t; t="$(now)"; printf '  %-34s %5.1f s\n' "$1" "$(echo "$t - $PHASE_START" | bc)"; PHASE_START="$t"; }

up() {
  if [ -f "$NET/network.env" ] && node_alive orderer; then echo "fabric-network: already up ($NET); run down first" >&2; return 1; fi
  fabric_find_bin || return 1
  fabric_find_templates || return 1
  CC_SRC="$ROOT/chain/fabric/chaincode"
  [ -d "$CC_SRC/node_modules/fabric-shim" ] || (cd "$CC_SRC" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  [ -d "$ROOT/chain/fabric/compat/node_modules" ] || (cd "$ROOT/chain/fabric/compat" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  local port
  for port in $ORDERER_PORT $ORDERER_ADMIN_PORT $ORDERER_OPS_PORT $PEER1_PORT $PEER2_PORT $PEER1_CC_PORT $PEER2_CC_PORT $PEER1_OPS_PORT $PEER2_OPS_PORT $CC1_PORT $CC2_PORT; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "fabric-network: port $port is taken (set FABRIC_PORT_BASE)" >&2; return 1; fi
  done
  local start; start="$(now)"; PHASE_START="$start"
  rm -rf "$NET" && mkdir -p "$CFG" "$NET/run" "$NET/pids" "$NET/logs" "$NET/artifacts" "$NET/orderer"
  trap 'echo "fabric-network: up failed; logs in $NET/logs (stopping what started)" >&2; stop_all' ERR
  echo "fabric-network: bringing up $NET (binaries $FABRIC_BIN)"

  write_crypto_config && write_configtx && write_node_config
  "$FABRIC_BIN/cryptogen" generate --config="$CFG/crypto-config.yaml" --output="$NET/crypto" >/dev/null
  FABRIC_CFG_PATH="$CFG" "$FABRIC_BIN/configtxgen" -configPath "$CFG" -profile TwoOrgsRaftChannel -channelID "$CHANNEL" \
    -outputBlock "$NET/artifacts/$CHANNEL.block" 2>"$NET/logs/configtxgen.log"
  write_admin_env 1 && write_admin_env 2
  phase "crypto and genesis block"

  write_orderer_run && write_peer_run 1 && write_peer_run 2
  start_node orderer && start_node peer0.org1 && start_node peer0.org2
  wait_http "http://127.0.0.1:$ORDERER_OPS_PORT/healthz" 30
  join_orderer
  wait_http "http://127.0.0.1:$PEER1_OPS_PORT/healthz" 30 && wait_http "http://127.0.0.1:$PEER2_OPS_PORT/healthz" 30
  phase "orderer, its channel, peers up"
  wait_orderer_ready
  retry_cli 1 join-org1 "$FABRIC_BIN/peer" channel join -b "$NET/artifacts/$CHANNEL.block" &
  retry_cli 2 join-org2 "$FABRIC_BIN/peer" channel join -b "$NET/artifacts/$CHANNEL.block" &
  wait_all
  phase "raft leader, peers joined"

  package_and_install 1 & package_and_install 2 &
  wait_all
  phase "packages, servers, installs"
  local name
  for name in $CHAINCODE $EXTRA_CHAINCODES; do approve "$name" 1 & approve "$name" 2 & done
  wait_all
  phase "approved by both orgs"
  for name in $CHAINCODE $EXTRA_CHAINCODES; do (check_readiness "$name" && commit "$name") & done
  wait_all
  phase "committed"
  write_network_env
  node "$ROOT/chain/fabric/compat/peer-client.js" "$NET/network.env" 1 ready $CHAINCODE $EXTRA_CHAINCODES >/dev/null 2>"$NET/logs/ready.log" \
    || { cat "$NET/logs/ready.log" >&2; false; }
  phase "both orgs' peers endorse (discovery)"
  trap - ERR
  printf 'fabric-network: up in %.1f s; clients: %s\n' "$(echo "$(now) - $start" | bc)" "$NET/network.env"
}

# Waits for every background job, failing if any failed.
wait_all() {
  local pid failed=0
  for pid in $(jobs -p); do wait "$pid" || failed=1; done
  return $failed
}

stop_all() {
  local n
  for n in cc.org1 cc.org2 peer0.org1 peer0.org2 orderer; do stop_node "$n"; done
}

down() {
  if [ ! -d "$NET/pids" ]; then echo "fabric-network: nothing at $NET"; rm -rf "$NET"; return 0; fi
  stop_all
  local left; left="$(ls "$NET/pids" 2>/dev/null || true)"
  rm -rf "$NET"
  [ -z "$left" ] || { echo "fabric-network: could not stop: $left" >&2; return 1; }
  echo "fabric-network: down (every process stopped, $NET removed)"
}

status() {
  [ -d "$NET/pids" ] || { echo "fabric-network: not up ($NET)"; return 3; }
  local n pid up=0
  printf '%-11s %8s %8s %10s\n' node pid rss_mb cpu_s
  for n in $NODES; do
    pid="$(node_pid "$n")"
    if node_alive "$n"; then
      up=$((up + 1))
      local stat; stat=($(cat "/proc/$pid/stat" | sed 's/.*) //'))
      printf '%-11s %8s %8d %10.1f\n' "$n" "$pid" "$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))" \
        "$(echo "(${stat[11]} + ${stat[12]}) / $(getconf CLK_TCK)" | bc -l)"
    else
      printf '%-11s %8s %8s %10s\n' "$n" "${pid:--}" down -
    fi
  done
  fabric_find_bin >/dev/null 2>&1 || true
  local org
  for org in 1 2; do
    node_alive "peer0.org$org" || continue
    printf 'peer0.org%s height: %s\n' "$org" "$(as_admin "$org" "$FABRIC_BIN/peer" channel getinfo -c "$CHANNEL" 2>/dev/null | sed -n 's/.*"height":\([0-9]*\).*/\1/p')"
  done
  [ "$up" -eq 5 ]
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  stop) stop_node "${2:?NODE}" ;;
  start) fabric_find_bin; start_node "${2:?NODE}"; case "$2" in
      orderer) wait_http "http://127.0.0.1:$ORDERER_OPS_PORT/healthz" 30 ;;
      peer0.org1) wait_http "http://127.0.0.1:$PEER1_OPS_PORT/healthz" 30 ;;
      peer0.org2) wait_http "http://127.0.0.1:$PEER2_OPS_PORT/healthz" 30 ;;
      cc.org1) wait_port "$CC1_PORT" 30 ;;
      cc.org2) wait_port "$CC2_PORT" 30 ;;
    esac ;;
  *) echo "usage: $0 up|down|status|stop NODE|start NODE" >&2; exit 2 ;;
esac
