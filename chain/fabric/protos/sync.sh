#!/usr/bin/env bash
# Copies the Fabric .proto files that the C# Gateway client is generated from out of the pinned npm package
# fabric-protos (package.json / package-lock.json beside this script) into this folder, unmodified.
# gateway/gateway.proto is ours (written from the published field numbers) and is not touched.
#   chain/fabric/protos/sync.sh          copy (run after changing the pinned version)
#   chain/fabric/protos/sync.sh --check  exit 1 if a committed copy differs from the package
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/fabric-protos ] || npm ci --ignore-scripts --no-audit --no-fund >&2
FILES="common/common.proto common/policies.proto msp/identities.proto msp/msp_principal.proto
peer/chaincode.proto peer/proposal.proto peer/proposal_response.proto peer/transaction.proto"
status=0
for f in $FILES; do
  src="node_modules/fabric-protos/protos/$f"
  if [ "${1:-}" = "--check" ]; then
    cmp -s "$src" "$f" || { echo "$f differs from fabric-protos $(node -p "require('fabric-protos/package.json').version")" >&2; status=1; }
  else
    mkdir -p "$(dirname "$f")"; cp "$src" "$f"
  fi
done
exit $status
