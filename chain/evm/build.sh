#!/usr/bin/env bash
# Compiles the CheckpointAnchor contract with the solc pinned in package-lock.json and writes
# artifacts/CheckpointAnchor.json, which src/Infrastructure embeds. Commit the artifact with the source.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/solc ]; then npm ci --no-audit --no-fund >&2; fi
node compile.mjs "$@"
