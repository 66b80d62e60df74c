# The network's settings and generated configuration (sourced by scripts/fabric-network.sh).
# Every path is absolute: configtxgen resolves MSPDir relative to configtx.yaml, the nodes relative to FABRIC_CFG_PATH.

fabric_settings() {
  NET="${FABRIC_NET:-$ROOT/.data/fabric}"
  mkdir -p "$NET" && NET="$(cd "$NET" && pwd)"
  CFG="$NET/config"
  CHANNEL="${FABRIC_CHANNEL:-mychannel}"
  CHAINCODE="checkpoint-anchor"
  # More names for the same chaincode package: each name is its own world state (tests take one each).
  EXTRA_CHAINCODES="${FABRIC_EXTRA_CHAINCODES:-}"
  local base="${FABRIC_PORT_BASE:-17000}"; PORT_BASE=$base
  ORDERER_PORT=$((base + 50)); ORDERER_ADMIN_PORT=$((base + 53)); ORDERER_OPS_PORT=$((base + 443))
  PEER1_PORT=$((base + 51)); PEER2_PORT=$((base + 61))
  PEER1_CC_PORT=$((base + 52)); PEER2_CC_PORT=$((base + 62))
  PEER1_OPS_PORT=$((base + 446)); PEER2_OPS_PORT=$((base + 447))
  CC1_PORT=$((base + 100)); CC2_PORT=$((base + 101))
  # One transaction per block: the anchor's submits are strictly sequential (each names the previous root), so a
  # block never gets a second anchor transaction and waiting for one would only add latency (RECIPE.md §8).
  BATCH_TIMEOUT="${FABRIC_BATCH_TIMEOUT:-250ms}"
  MAX_MESSAGE_COUNT="${FABRIC_MAX_MESSAGE_COUNT:-1}"
  ORD="$NET/crypto/ordererOrganizations/example.com"
  ORDERER_DIR="$ORD/orderers/orderer.example.com"
  ORDERER_CA="$ORDERER_DIR/tls/ca.crt"
}

# The binaries: $FABRIC_BIN, else ../shared/fabric/bin beside the project root, else the PATH.
fabric_find_bin() {
  local dir
  for dir in "${FABRIC_BIN:-}" "$ROOT/../shared/fabric/bin"; do
    if [ -n "$dir" ] && [ -x "$dir/peer" ]; then FABRIC_BIN="$(cd "$dir" && pwd)"; return 0; fi
  done
  if command -v peer >/dev/null 2>&1; then FABRIC_BIN="$(dirname "$(command -v peer)")"; return 0; fi
  echo "fabric-network: no Fabric binaries (peer, orderer, configtxgen, osnadmin, cryptogen): set FABRIC_BIN, put them in ../shared/fabric/bin, or on the PATH (Fabric's release archive, v2.5)" >&2
  return 1
}

fabric_find_templates() {
  local dir
  for dir in "${FABRIC_CFG_TEMPLATES:-}" "$ROOT/../shared/fabric/config" "$FABRIC_BIN/../config"; do
    if [ -n "$dir" ] && [ -f "$dir/core.yaml" ] && [ -f "$dir/orderer.yaml" ]; then FABRIC_CFG_TEMPLATES="$(cd "$dir" && pwd)"; return 0; fi
  done
  echo "fabric-network: no core.yaml/orderer.yaml templates: set FABRIC_CFG_TEMPLATES (Fabric's sampleconfig or the release archive's config/)" >&2
  return 1
}

org_dir() { echo "$NET/crypto/peerOrganizations/org$1.example.com"; }
peer_dir() { echo "$(org_dir "$1")/peers/peer0.org$1.example.com"; }
org_tls_ca() { echo "$(org_dir "$1")/tlsca/tlsca.org$1.example.com-cert.pem"; }
peer_port() { if [ "$1" = 1 ]; then echo "$PEER1_PORT"; else echo "$PEER2_PORT"; fi; }

write_crypto_config() {
  cat >"$CFG/crypto-config.yaml" <<EOF
OrdererOrgs:
  - Name: Orderer
    Domain: example.com
    EnableNodeOUs: true
    Specs:
      - Hostname: orderer
        SANS: [127.0.0.1, localhost]
PeerOrgs:
EOF
  local n
  for n in 1 2; do
    cat >>"$CFG/crypto-config.yaml" <<EOF
  - Name: Org$n
    Domain: org$n.example.com
    EnableNodeOUs: true
    Template: { Count: 1, SANS: [127.0.0.1, localhost] }
    Specs:
      - Hostname: ccaas
        SANS: [127.0.0.1, localhost]
    Users: { Count: 1 }
EOF
  done
}

# Org1 runs the registry; Org2 stands for a bank or the regulator. MAJORITY of two organisations is both.
write_configtx() {
  local n
  {
    cat <<EOF
Organizations:
  - &OrdererOrg
    Name: OrdererOrg
    ID: OrdererMSP
    MSPDir: $ORD/msp
    Policies:
      Readers: { Type: Signature, Rule: "OR('OrdererMSP.member')" }
      Writers: { Type: Signature, Rule: "OR('OrdererMSP.member')" }
      Admins: { Type: Signature, Rule: "OR('OrdererMSP.admin')" }
    OrdererEndpoints: [127.0.0.1:$ORDERER_PORT]
EOF
    for n in 1 2; do
      cat <<EOF
  - &Org$n
    Name: Org${n}MSP
    ID: Org${n}MSP
    MSPDir: $(org_dir $n)/msp
    Policies:
      Readers: { Type: Signature, Rule: "OR('Org${n}MSP.admin', 'Org${n}MSP.peer', 'Org${n}MSP.client')" }
      Writers: { Type: Signature, Rule: "OR('Org${n}MSP.admin', 'Org${n}MSP.client')" }
      Admins: { Type: Signature, Rule: "OR('Org${n}MSP.admin')" }
      Endorsement: { Type: Signature, Rule: "OR('Org${n}MSP.peer')" }
    AnchorPeers: [{ Host: 127.0.0.1, Port: $(peer_port $n) }]
EOF
    done
    cat <<EOF
Profiles:
  TwoOrgsRaftChannel:
    Policies:
      Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
      Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
      Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
    Capabilities: { V2_0: true }
    Orderer:
      OrdererType: etcdraft
      EtcdRaft:
        Consenters:
          - { Host: 127.0.0.1, Port: $ORDERER_PORT, ClientTLSCert: $ORDERER_DIR/tls/server.crt, ServerTLSCert: $ORDERER_DIR/tls/server.crt }
      BatchTimeout: $BATCH_TIMEOUT
      BatchSize: { MaxMessageCount: $MAX_MESSAGE_COUNT, AbsoluteMaxBytes: 10 MB, PreferredMaxBytes: 2 MB }
      Organizations: [*OrdererOrg]
      Policies:
        Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
        Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
        Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
        BlockValidation: { Type: ImplicitMeta, Rule: "ANY Writers" }
      Capabilities: { V2_0: true }
    Application:
      Organizations: [*Org1, *Org2]
      Policies:
        Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
        Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
        Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
        LifecycleEndorsement: { Type: ImplicitMeta, Rule: "MAJORITY Endorsement" }
        Endorsement: { Type: ImplicitMeta, Rule: "MAJORITY Endorsement" }
      Capabilities: { V2_5: true }
EOF
  } >"$CFG/configtx.yaml"
}

# core.yaml: no Docker endpoint (its health check would fail /healthz) and the project's ccaas builder.
write_node_config() {
  cp "$FABRIC_CFG_TEMPLATES/orderer.yaml" "$CFG/orderer.yaml"
  mkdir -p "$NET/builders/ccaas"
  cp -R "$ROOT/scripts/fabric/builder/bin" "$NET/builders/ccaas/"
  sed -e 's#^\(    endpoint:\) unix:///var/run/docker.sock#\1 ""#' \
      -e "s#^\(         path:\) /opt/hyperledger/ccaas_builder#\1 $NET/builders/ccaas#" \
      "$FABRIC_CFG_TEMPLATES/core.yaml" >"$CFG/core.yaml"
  grep -q "path: $NET/builders/ccaas" "$CFG/core.yaml" || { echo "fabric-network: core.yaml template has no ccaas_builder entry" >&2; return 1; }
}
