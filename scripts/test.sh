#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL cluster and ends with one line:
#   N passed, M failed
# Usage: scripts/test.sh [extra dotnet test arguments]
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
. scripts/fabric/ports.sh
. scripts/lib/mqtt.sh

pg_install
mqtt_install
# The README walk-through test runs the README's curl commands, which use jq (and unzip, to show a bundle's receipt).
if ! command -v jq >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1 || ! command -v unzip >/dev/null 2>&1; then
  echo "installing jq, curl and unzip with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq curl unzip >&2 || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq curl unzip >&2; }
fi
# The timeline page test renders HTML in a real browser: Debian's chromium, run headless by the test itself.
# The console's screenshots show Chinese: a CJK font (WenQuanYi Micro Hei, 1.6 MB) where the machine has none.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  echo "installing a CJK font (fonts-wqy-microhei) with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >&2 || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >&2; }
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2; }
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "installing nodejs and npm with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2 || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2; }
fi
# The EVM anchor tests run a real Anvil node from npm (chain/evm); npm ci installs the pinned packages where missing.
for dir in chain/evm; do
  if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" ]; then
    echo "installing $dir's npm packages (npm ci)" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || echo "npm ci failed in $dir" >&2
  fi
done
# The Fabric tests run Node (tests/Infrastructure.Tests/Ledger/Fabric): the chaincode's unit tests, the official Fabric
# Gateway client for the compatibility test, and the pinned fabric-protos package the committed .proto copies are
# checked against. Each folder is installed from its lock file where node_modules is missing (no install scripts).
for d in chain/fabric/chaincode chain/fabric/compat chain/fabric/protos; do
  [ -d "$d/node_modules" ] || (cd "$d" && npm ci --ignore-scripts --no-audit --no-fund >&2) || echo "npm ci failed in $d" >&2
done
PGDIR="$(mktemp -d /tmp/assetledger-test-pg.XXXXXX)"
RESULTS="$(mktemp -d /tmp/assetledger-test-results.XXXXXX)"
MQTTDIR="$(mktemp -d /tmp/assetledger-test-mqtt.XXXXXX)"
# One real Fabric network for the whole run (scripts/fabric-network.sh), brought up while the solution builds, on
# free loopback ports and in a folder of its own; each Fabric test class anchors on a chaincode name of its own.
export FABRIC_NET="$(mktemp -d /tmp/assetledger-test-fabric.XXXXXX)"
export FABRIC_EXTRA_CHAINCODES="anchor-worker anchor-faults anchor-bundle anchor-managed anchor-compat anchor-cli"
FABRIC_PORT_BASE="$(fabric_free_port_base 27000)"; export FABRIC_PORT_BASE
export ASSETLEDGER_TEST_FABRIC="$FABRIC_NET/network.env"
cleanup() { scripts/fabric-network.sh down >/dev/null 2>&1 || scripts/fabric-network.sh down; mqtt_stop "$MQTTDIR"; pg_stop "$PGDIR"; rm -rf "$PGDIR" "$RESULTS" "$FABRIC_NET" "$MQTTDIR"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Durability is not under test here; fsync off keeps the suite fast. The port is picked below the ephemeral range, and another tried if it is taken.
pg_start_free "$PGDIR" fsync=off synchronous_commit=off full_page_writes=off || { echo "could not start PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }
PORT="$PG_PORT"
export ASSETLEDGER_TEST_PG="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=100"
echo "PostgreSQL for tests on 127.0.0.1:$PORT"
# One Mosquitto for the run (device readings over MQTT); the tests read its URL and users from $MQTTDIR/broker.env.
mqtt_start_free "$MQTTDIR" || { echo "could not start Mosquitto"; echo "0 passed, 1 failed"; exit 1; }
export ASSETLEDGER_TEST_MQTT="$MQTTDIR"
echo "Mosquitto for tests on $MQTT_URL"

# A focused run that needs no Fabric test may leave the network down with ASSETLEDGER_TEST_NO_FABRIC=1 (its Fabric
# tests then fail, saying the network is not configured); CI and full runs never set it.
if [ "${ASSETLEDGER_TEST_NO_FABRIC:-}" = 1 ]; then
  unset ASSETLEDGER_TEST_FABRIC; echo "the Fabric network is left down (ASSETLEDGER_TEST_NO_FABRIC=1)" >"$RESULTS/fabric-up.log"; true &
else
  scripts/fabric-network.sh up >"$RESULTS/fabric-up.log" 2>&1 &
fi
FABRIC_UP=$!
if ! dotnet build AssetLedger.sln -c Release -nologo -v q; then
  wait "$FABRIC_UP"; echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi
# A network that did not come up is not skipped: its tests fail, saying why (the log is printed here).
wait "$FABRIC_UP" || { echo "the Fabric network did not come up:"; cat "$RESULTS/fabric-up.log"; }
grep "up in" "$RESULTS/fabric-up.log" | tail -1
dotnet test AssetLedger.sln -c Release --no-build -nologo --logger "trx" --logger "console;verbosity=minimal" --results-directory "$RESULTS" "$@"
status=$?

passed=0; failed=0; total=0
for f in "$RESULTS"/*.trx; do
  [ -f "$f" ] || continue
  line="$(grep -o '<Counters [^>]*>' "$f" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$line")"
  fl="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$line")"
  t="$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$line")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${fl:-0})); total=$((total + ${t:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test exited with $status (a test host crashed or a project did not run)"; fi
if [ "$total" -eq 0 ]; then failed=$((failed + 1)); echo "no test ran"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
