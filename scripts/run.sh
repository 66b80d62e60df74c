#!/usr/bin/env bash
# Serves the AssetLedger API and Swagger UI on http://127.0.0.1:5080 (ASSETLEDGER_URL to change).
# Uses the database in ConnectionStrings__AssetLedger or ASSETLEDGER_DB when set; otherwise starts a local
# PostgreSQL in .pgdata/ (ignored by git) on 127.0.0.1:${ASSETLEDGER_PG_PORT:-25432}, as the postgres user,
# and stops it again when the service stops. Migrations run at start-up. The default port lies below Linux's ephemeral
# range (32768–60999), so no outgoing connection holds it when PostgreSQL starts. For several instances on one
# database, start the database on its own (README, "Several instances") so that no instance's exit stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
. scripts/lib/mqtt.sh
URL="${ASSETLEDGER_URL:-http://127.0.0.1:5080}"
# Where the local PostgreSQL (.pgdata), Mosquitto (.mqtt) and the keys (.data/keys) live: the checkout, unless
# ASSETLEDGER_STATE_DIR names another folder (the test of this script gives an empty one, as on a fresh machine).
STATE_DIR="$PWD"
if [ -n "${ASSETLEDGER_STATE_DIR:-}" ]; then
  mkdir -p "$ASSETLEDGER_STATE_DIR"; STATE_DIR="$(cd "$ASSETLEDGER_STATE_DIR" && pwd)"
  export AssetLedger__KeyDirectory="${AssetLedger__KeyDirectory:-$STATE_DIR/.data/keys}"
fi
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

if [ -z "${ConnectionStrings__AssetLedger:-}" ] && [ -z "${ASSETLEDGER_DB:-}" ]; then
  pg_install
  PGDATA_DIR="$STATE_DIR/.pgdata"
  PORT="${ASSETLEDGER_PG_PORT:-25432}"
  if [ -f "$PGDATA_DIR/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    PORT="$(sed -n 4p "$PGDATA_DIR/postmaster.pid")"
    echo "Using the local PostgreSQL already running in .pgdata on 127.0.0.1:$PORT"
  else
    echo "Starting a local PostgreSQL in .pgdata on 127.0.0.1:$PORT"
    pg_start "$PGDATA_DIR" "$PORT"
    STOP_PG=1
  fi
  export ASSETLEDGER_DB="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=assetledger;Maximum Pool Size=100"
fi

# Devices publish their signed readings to a local Mosquitto in .mqtt/ (ignored by git) on a port of its own, unless
# AssetLedger__Mqtt__Url names another broker. Its users' passwords are in .mqtt/broker.env (the simulator reads them).
if [ -z "${AssetLedger__Mqtt__Url:-}" ]; then
  mqtt_install
  MQTT_DIR="$STATE_DIR/.mqtt"
  # The first run writes the broker's folder; every run then reads its port and users from broker.env.
  mqtt_configure "$MQTT_DIR" "${ASSETLEDGER_MQTT_PORT:-21883}" >/dev/null
  . "$MQTT_DIR/broker.env"
  if [ -f "$MQTT_DIR/mosquitto.pid" ] && kill -0 "$(cat "$MQTT_DIR/mosquitto.pid")" 2>/dev/null; then
    echo "Using the local Mosquitto already running in .mqtt on $MQTT_URL"
  else
    echo "Starting a local Mosquitto in .mqtt on 127.0.0.1:$MQTT_PORT"
    mqtt_start "$MQTT_DIR"
    STOP_MQTT=1
  fi
  mqtt_service_settings
fi

dotnet build src/Api -c Release -nologo -v q >/dev/null
echo "AssetLedger API on $URL  (Swagger UI: $URL/swagger)"
# Request-by-request framework logs are noise for a person watching the console.
env "Logging__LogLevel__Microsoft.AspNetCore=${ASSETLEDGER_ASPNET_LOG:-Warning}" dotnet src/Api/bin/Release/net10.0/AssetLedger.Api.dll --urls "$URL" &
API_PID=$!
# However this script ends (Ctrl-C, kill, the service exiting), the service stops first, then the PostgreSQL it started.
stop() {
  kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null || true
  if [ -n "${STOP_MQTT:-}" ]; then echo "Stopping the local Mosquitto"; mqtt_stop "$MQTT_DIR"; fi
  if [ -n "${STOP_PG:-}" ]; then echo "Stopping the local PostgreSQL"; pg_stop "$PGDATA_DIR"; fi
}
trap stop EXIT
trap 'exit 130' INT TERM
wait "$API_PID"
