# Local Mosquitto helpers, sourced by run.sh, test.sh and the IoT benchmark (like pg.sh for PostgreSQL).
# Each broker is private: its own config, password file, ACL and persistence in one folder, on a loopback port of its
# own, never the system service. As root, Mosquitto drops to the `mosquitto` user, so that user owns the folder.
# The folder's broker.env names its URL and the two users: `registry` (subscribes) and `devices` (publishes readings).
# A second listener, on the next port up, speaks TLS and requires a client certificate: mqtt_tls (below) makes a CA of
# the broker's own, the server's certificate and one client certificate per user with openssl, the user being the
# certificate's common name (use_identity_as_username), so the same ACL holds; broker.env names the files.

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

# mqtt_tls DIR: a CA (10 years), the broker's certificate for 127.0.0.1 and localhost, and client certificates for
# `registry` and `devices` signed by it, as PEM files in DIR/tls; and `stranger`, a certificate that also says
# `devices` but is signed by another CA, which the broker must refuse. EC P-256 keys throughout: quick to make, and what TLS 1.2 and 1.3 both take.
mqtt_tls() {
  local tls="$1/tls" who
  mkdir -p "$tls"
  command -v openssl >/dev/null || { apt-get install -y -qq openssl >&2 || { apt-get update -qq >&2 && apt-get install -y -qq openssl >&2; }; }
  for ca in ca other-ca; do
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=AssetLedger local MQTT $ca" \
      -keyout "$tls/$ca.key" -out "$tls/$ca.crt" 2>/dev/null
  done
  # sign FILE CA EXTENSIONS [NAME]: a key and a certificate (DIR/tls/FILE.key, .crt) for CN=NAME (default FILE), signed by CA.
  sign() {
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=${4:-$1}" -keyout "$tls/$1.key" -out "$tls/$1.csr" 2>/dev/null
    printf '%s\n' "$3" >"$tls/$1.ext"
    openssl x509 -req -in "$tls/$1.csr" -CA "$tls/$2.crt" -CAkey "$tls/$2.key" -CAcreateserial -days 825 -extfile "$tls/$1.ext" -out "$tls/$1.crt" 2>/dev/null
    rm -f "$tls/$1.csr" "$tls/$1.ext"
  }
  sign server ca "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
  for who in registry devices; do sign "$who" ca "extendedKeyUsage=clientAuth"; done
  sign stranger other-ca "extendedKeyUsage=clientAuth" devices
  rm -f "$tls/other-ca.key" "$tls"/*.srl
}

# mqtt_configure DIR PORT: writes (once) the broker's config, users and ACL into DIR; the TLS listener on PORT + 1.
mqtt_configure() {
  local dir="$1" port="$2" tls_port=$(($2 + 1))
  mkdir -p "$dir/data"
  [ -f "$dir/broker.env" ] && return 0
  mqtt_tls "$dir"
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
# TLS with client certificates: only a certificate signed by this broker's CA gets in, as the user its CN names.
listener $tls_port 127.0.0.1
cafile $dir/tls/ca.crt
certfile $dir/tls/server.crt
keyfile $dir/tls/server.key
require_certificate true
use_identity_as_username true
tls_version tlsv1.2
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
MQTT_TLS_URL=mqtts://127.0.0.1:$tls_port
MQTT_TLS_PORT=$tls_port
MQTT_CA_FILE=$dir/tls/ca.crt
MQTT_REGISTRY_CERT_FILE=$dir/tls/registry.crt
MQTT_REGISTRY_KEY_FILE=$dir/tls/registry.key
MQTT_DEVICES_CERT_FILE=$dir/tls/devices.crt
MQTT_DEVICES_KEY_FILE=$dir/tls/devices.key
EOF
  if [ "$(id -u)" = 0 ]; then chown -R mosquitto:mosquitto "$dir"; chmod 700 "$dir"; fi
}

# mqtt_start DIR: starts the broker configured in DIR (daemonised, its pid in DIR/mosquitto.pid) and waits for its port.
mqtt_start() {
  local dir="$1"
  # A folder configured before the TLS listener existed has none: then only the plain port is waited for.
  unset MQTT_TLS_URL MQTT_TLS_PORT MQTT_CA_FILE MQTT_REGISTRY_CERT_FILE MQTT_REGISTRY_KEY_FILE MQTT_DEVICES_CERT_FILE MQTT_DEVICES_KEY_FILE
  . "$dir/broker.env"
  rm -f "$dir/mosquitto.pid"
  "$MQTT_BIN" -c "$dir/mosquitto.conf" -d || return 1
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$MQTT_PORT") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/${MQTT_TLS_PORT:-$MQTT_PORT}") 2>/dev/null; then
      export MQTT_URL MQTT_PORT MQTT_REGISTRY_USER MQTT_REGISTRY_PASSWORD MQTT_DEVICES_USER MQTT_DEVICES_PASSWORD \
        MQTT_TLS_URL MQTT_TLS_PORT MQTT_CA_FILE MQTT_REGISTRY_CERT_FILE MQTT_REGISTRY_KEY_FILE MQTT_DEVICES_CERT_FILE MQTT_DEVICES_KEY_FILE
      return 0
    fi
    sleep 0.1
  done
  echo "Mosquitto did not open ports $MQTT_PORT and $MQTT_TLS_PORT:" >&2; cat "$dir/mosquitto.log" >&2 2>/dev/null; return 1
}

# mqtt_start_free DIR: configures DIR on a free port (pg_free_port, from pg.sh) and starts the broker there.
mqtt_start_free() {
  local dir="$1"
  for _ in 1 2 3 4 5; do
    rm -rf "$dir"; mkdir -p "$dir"
    mqtt_configure "$dir" "$(pg_free_port)" >/dev/null || return 1
    # The TLS listener takes the port after the plain one: try another pair if that one is taken.
    . "$dir/broker.env"
    if (exec 3<>"/dev/tcp/127.0.0.1/$MQTT_TLS_PORT") 2>/dev/null; then continue; fi
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

# mqtt_service_settings: the service's settings for the broker started last (environment for the API process); with
# ASSETLEDGER_MQTT_TLS=1, over its TLS listener with the registry's client certificate instead of a password.
mqtt_service_settings() {
  if [ "${ASSETLEDGER_MQTT_TLS:-}" = 1 ] && [ -n "${MQTT_TLS_URL:-}" ]; then
    export AssetLedger__Mqtt__Url="$MQTT_TLS_URL" AssetLedger__Mqtt__CaFile="$MQTT_CA_FILE" \
      AssetLedger__Mqtt__CertificateFile="$MQTT_REGISTRY_CERT_FILE" AssetLedger__Mqtt__KeyFile="$MQTT_REGISTRY_KEY_FILE"
  else
    export AssetLedger__Mqtt__Url="$MQTT_URL" AssetLedger__Mqtt__Username="$MQTT_REGISTRY_USER" AssetLedger__Mqtt__Password="$MQTT_REGISTRY_PASSWORD"
  fi
}
