# fabric_free_port_base FROM: the first base (FROM, FROM+500, …) whose Fabric ports (base+50 … base+447, as
# scripts/fabric/config.sh lays them out) are all free on 127.0.0.1, so a test run or a benchmark never meets another network.
fabric_free_port_base() {
  local base off
  for base in $(seq "$1" 500 $(($1 + 5000))); do
    for off in 50 51 52 53 61 62 100 101 443 446 447; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$((base + off))") 2>/dev/null; then continue 2; fi
    done
    echo "$base"; return
  done
  echo "$1"
}

# fabric_service_up DIR: brings up a network of its own under DIR/fabric (scripts/fabric-network.sh) and sets
# FABRIC_SERVICE_ENV, the service's settings to anchor on it as Org1 through Org1's peer, and FABRIC_ANCHOR, its anchor's name.
fabric_service_up() {
  export FABRIC_NET="$1/fabric" FABRIC_PORT_BASE="$(fabric_free_port_base 37000)"
  scripts/fabric-network.sh up | grep -E "up in|BatchTimeout"
  . "$FABRIC_NET/network.env"
  FABRIC_SERVICE_ENV=(AssetLedger__Chains__Fabric__Endpoint="https://$ORG1_PEER" AssetLedger__Chains__Fabric__TlsRootCertFile="$ORG1_TLS_CA"
    AssetLedger__Chains__Fabric__MspId=Org1MSP AssetLedger__Chains__Fabric__CertificateFile="$ORG1_USER_CERT"
    AssetLedger__Chains__Fabric__PrivateKeyFile="$ORG1_USER_KEY" AssetLedger__Chains__Fabric__Channel="$CHANNEL")
  FABRIC_ANCHOR="fabric:$CHANNEL/checkpoint-anchor"
}
