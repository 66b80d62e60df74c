# Local Mosquitto helpers, sourced by run.sh, test.sh and the IoT benchmark (like pg.sh for PostgreSQL).
# Each broker is private: its own config, password file, ACL and persistence in one folder, on a loopback port of its
# own, never the system service. As root, Mosquitto drops to the `mosquitto` user, so that user owns the folder.
# The folder's broker.env names its URL and the two users: `registry` (subscribes) and `devices` (publishes readings).

mqtt_install() {
  if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
    echo "Mosquitto not found: installing it with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq mosquitto >&2 || { apt-get update -qq >&2 && apt-get install -y -qq mosquitto >&2; }
  fi
  MQTT_BIN="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
  MQTT_PASSWD="$(command -v mosquitto_passwd || echo /usr/bin/mosquitto_passwd)"
  export MQTT_BIN MQTT_PASSWD
}

# mqtt_configure DIR PORT: writes (once) the broker's config, users and ACL into DIR.
mqtt_configure() {
  local dir="$1" port="$2"
  mkdir -p "$dir/data"
  [ -f "$dir/broker.env" ] && return 0
  local registry_pw devices_pw
  registry_pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  devices_pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  : >"$dir/passwd"
  "$MQTT_PASSWD" -b "$dir/passwd" registry "$registry_pw"
  "$MQTT_PASSWD" -b "$dir/passwd" devices "$devices_pw"
  # Who may do what: devices only publish readings, the registry only reads them. The signature inside each reading is
  # what makes it count; the ACL keeps strangers from filling the registry's queue.
  cat >"$dir/acl" <<EOF
user registry
topic read assetledger/devices/+/readings

user devices
topic write assetledger/devices/+/readings
EOF
  # Persistence saves sessions and queued messages on a clean stop and every autosave_interval seconds; the queues are
  # large so that a registry away for a while finds every reading waiting (Mosquitto's default drops beyond 1,000).
  cat >"$dir/mosquitto.conf" <<EOF
per_listener_settings false
listener $port 127.0.0.1
allow_anonymous false
password_file $dir/passwd
acl_file $dir/acl
persistence true
persistence_location $dir/data/
autosave_interval 1
max_inflight_messages 1000
max_queued_messages 2000000
max_queued_bytes 0
pid_file $dir/mosquitto.pid
log_dest file $dir/mosquitto.log
log_type error
log_type warning
log_type notice
EOF
  cat >"$dir/broker.env" <<EOF
MQTT_URL=mqtt://127.0.0.1:$port
MQTT_PORT=$port
MQTT_REGISTRY_USER=registry
MQTT_REGISTRY_PASSWORD=$registry_pw
MQTT_DEVICES_USER=devices
MQTT_DEVICES_PASSWORD=$devices_pw
EOF
  if [ "$(id -u)" = 0 ]; then chown -R mosquitto:mosquitto "$dir"; chmod 700 "$dir"; fi
}

# mqtt_start DIR: starts the broker configured in DIR (daemonised, its pid in DIR/mosquitto.pid) and waits for its port.
mqtt_start() {
  local dir="$1"
  . "$dir/broker.env"
  rm -f "$dir/mosquitto.pid"
  "$MQTT_BIN" -c "$dir/mosquitto.conf" -d || return 1
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$MQTT_PORT") 2>/dev/null; then export MQTT_URL MQTT_PORT MQTT_REGISTRY_USER MQTT_REGISTRY_PASSWORD MQTT_DEVICES_USER MQTT_DEVICES_PASSWORD; return 0; fi
    sleep 0.1
  done
  echo "Mosquitto did not open port $MQTT_PORT:" >&2; cat "$dir/mosquitto.log" >&2 2>/dev/null; return 1
}

# mqtt_start_free DIR: configures DIR on a free port (pg_free_port, from pg.sh) and starts the broker there.
mqtt_start_free() {
  local dir="$1"
  for _ in 1 2 3 4 5; do
    rm -rf "$dir"; mkdir -p "$dir"
    mqtt_configure "$dir" "$(pg_free_port)" >/dev/null || return 1
    if mqtt_start "$dir"; then return 0; fi
    echo "Mosquitto did not start; trying another port" >&2
  done
  return 1
}

# mqtt_stop DIR: a clean stop (SIGTERM), so the broker saves its sessions and queues first.
mqtt_stop() {
  local dir="$1" pid
  [ -f "$dir/mosquitto.pid" ] || return 0
  pid="$(cat "$dir/mosquitto.pid" 2>/dev/null)"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/mosquitto.pid"
}

# mqtt_service_settings: the service's settings for the broker started last (environment for the API process).
mqtt_service_settings() {
  export AssetLedger__Mqtt__Url="$MQTT_URL" AssetLedger__Mqtt__Username="$MQTT_REGISTRY_USER" AssetLedger__Mqtt__Password="$MQTT_REGISTRY_PASSWORD"
}
