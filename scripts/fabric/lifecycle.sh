# The channel and the chaincode's lifecycle (sourced by scripts/fabric-network.sh).

# retry_cli ORG LOG COMMAND...: the peer CLI as that org's admin, its output in logs/LOG.log, tried 3 times. On a busy
# machine (2 shared cores) a dial or an event wait can time out once; each lifecycle step is safe to repeat.
retry_cli() {
  local n="$1" log="$NET/logs/$2.log" attempt; shift 2
  for attempt in 1 2 3; do
    as_admin "$n" "$@" --connTimeout 30s >>"$log" 2>&1 && return 0
    # A step that did succeed before its answer was lost says so when repeated.
    [ "$attempt" -gt 1 ] && tail -3 "$log" | grep -q "already successfully installed\|ledger \[.*\] already exists\|redefine uncommitted sequence .* with unchanged content\|requested sequence is 1, but new definition must be sequence 2" && return 0
    echo "fabric-network: attempt $attempt of $(basename "$log" .log) failed" >>"$log"
    sleep 1
  done
  echo "fabric-network: $(basename "$log" .log) failed 3 times; the end of $log:" >&2; tail -5 "$log" >&2
  return 1
}

orderer_admin() { # osnadmin as the orderer org's admin (mutual TLS)
  local admin="$ORD/users/Admin@example.com/tls"
  "$FABRIC_BIN/osnadmin" "$@" -o "127.0.0.1:$ORDERER_ADMIN_PORT" --ca-file "$ORDERER_CA" \
    --client-cert "$admin/client.crt" --client-key "$admin/client.key"
}

join_orderer() {
  orderer_admin channel join --channelID "$CHANNEL" --config-block "$NET/artifacts/$CHANNEL.block" >"$NET/logs/osnadmin.log" 2>&1 \
    || { cat "$NET/logs/osnadmin.log" >&2; return 1; }
}

# "active" is not "ready": Deliver answers SERVICE_UNAVAILABLE until the Raft leader exists.
wait_orderer_ready() {
  local i
  for i in $(seq 1 100); do
    as_admin 1 "$FABRIC_BIN/peer" channel fetch oldest "$NET/artifacts/probe.block" -c "$CHANNEL" -o "127.0.0.1:$ORDERER_PORT" \
      --tls --cafile "$ORDERER_CA" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "fabric-network: the orderer did not serve $CHANNEL within 20 s" >&2; return 1
}

# Each org packages its own connection.json (its server's address and TLS material), so the package ids differ:
# the id in approveformyorg is a local choice; name, version, sequence and policy must match across orgs.
package_and_install() {
  local n="$1"
  local dir="$NET/chaincode/org$n" port; port=$([ "$n" = 1 ] && echo "$CC1_PORT" || echo "$CC2_PORT")
  local p; p="$(peer_dir "$n")"
  mkdir -p "$dir/pkg"
  jq -n --arg address "127.0.0.1:$port" --rawfile root "$(org_tls_ca "$n")" --rawfile cert "$p/tls/server.crt" --rawfile key "$p/tls/server.key" \
    '{address: $address, dial_timeout: "10s", tls_required: true, client_auth_required: true, root_cert: $root, client_cert: $cert, client_key: $key}' \
    >"$dir/pkg/connection.json"
  echo '{"type":"ccaas","label":"checkpoint-anchor_1.0"}' >"$dir/pkg/metadata.json"
  (cd "$dir/pkg" && tar -czf code.tar.gz connection.json && tar -czf "$dir/checkpoint-anchor.tgz" metadata.json code.tar.gz)
  local package_id; package_id="$(FABRIC_CFG_PATH="$CFG" "$FABRIC_BIN/peer" lifecycle chaincode calculatepackageid "$dir/checkpoint-anchor.tgz")"
  echo "$package_id" >"$dir/package-id"
  write_cc_run "$n" "$package_id"
  start_node "cc.org$n"     # Node starts slowly: in parallel with the install
  retry_cli "$n" "install-org$n" "$FABRIC_BIN/peer" lifecycle chaincode install "$dir/checkpoint-anchor.tgz" || return 1
  wait_port "$port" 30
}

# Both orgs' peers must endorse every transaction of the chaincode: a checkpoint is vouched for by an org other than the operator.
POLICY="AND('Org1MSP.peer','Org2MSP.peer')"

approve() { # NAME ORG
  local name="$1" n="$2"
  retry_cli "$n" "approve-$name-org$n" "$FABRIC_BIN/peer" lifecycle chaincode approveformyorg -o "127.0.0.1:$ORDERER_PORT" --tls --cafile "$ORDERER_CA" \
    --channelID "$CHANNEL" --name "$name" --version 1.0 --sequence 1 --package-id "$(cat "$NET/chaincode/org$n/package-id")" \
    --signature-policy "$POLICY" --waitForEventTimeout 60s
}

check_readiness() { # NAME: both orgs approved the same definition
  local answer
  answer="$(as_admin 1 "$FABRIC_BIN/peer" lifecycle chaincode checkcommitreadiness --channelID "$CHANNEL" --name "$1" --version 1.0 \
    --sequence 1 --signature-policy "$POLICY" --output json 2>>"$NET/logs/cli.log")"
  [ "$(jq -r '.approvals.Org1MSP and .approvals.Org2MSP' <<<"$answer")" = true ] \
    || { echo "fabric-network: $1 is not approved by both orgs: $answer" >&2; return 1; }
}

# LifecycleEndorsement (MAJORITY of two) needs both orgs' peers for the commit too.
commit() { # NAME
  retry_cli 1 "commit-$1" "$FABRIC_BIN/peer" lifecycle chaincode commit -o "127.0.0.1:$ORDERER_PORT" --tls --cafile "$ORDERER_CA" \
    --channelID "$CHANNEL" --name "$1" --version 1.0 --sequence 1 --signature-policy "$POLICY" \
    --peerAddresses "127.0.0.1:$PEER1_PORT" --tlsRootCertFiles "$(org_tls_ca 1)" \
    --peerAddresses "127.0.0.1:$PEER2_PORT" --tlsRootCertFiles "$(org_tls_ca 2)" --waitForEventTimeout 60s
}

# What a client needs (KEY=VALUE, also sourceable): addresses, TLS roots, each org's User1 and its MSP root CA.
write_network_env() {
  local n
  {
    echo "FABRIC_NET=$NET"
    echo "PORT_BASE=$PORT_BASE"
    echo "CHANNEL=$CHANNEL"
    echo "CHAINCODE=$CHAINCODE"
    echo "EXTRA_CHAINCODES=\"$EXTRA_CHAINCODES\""
    echo "ORDERER_ADDRESS=127.0.0.1:$ORDERER_PORT"
    echo "ORDERER_TLS_CA=$ORDERER_CA"
    echo "BATCH_TIMEOUT=$BATCH_TIMEOUT"
    echo "MAX_MESSAGE_COUNT=$MAX_MESSAGE_COUNT"
    for n in 1 2; do
      local user; user="$(org_dir $n)/users/User1@org$n.example.com"
      echo "ORG${n}_MSP_ID=Org${n}MSP"
      echo "ORG${n}_PEER=127.0.0.1:$(peer_port $n)"
      echo "ORG${n}_TLS_CA=$(org_tls_ca $n)"
      echo "ORG${n}_MSP_CA=$(org_dir $n)/msp/cacerts/ca.org$n.example.com-cert.pem"
      echo "ORG${n}_USER_CERT=$user/msp/signcerts/User1@org$n.example.com-cert.pem"
      echo "ORG${n}_USER_KEY=$user/msp/keystore/priv_sk"
      echo "ORG${n}_USER_TLS_CERT=$user/tls/client.crt"
      echo "ORG${n}_USER_TLS_KEY=$user/tls/client.key"
    done
  } >"$NET/network.env"
}
