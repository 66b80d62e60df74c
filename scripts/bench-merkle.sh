#!/usr/bin/env bash
# Merkle log benchmark on a cluster of its own with durable settings (fsync on): appends N leaves to the
# PostgreSQL-stored tree (one transaction per batch, as the builder does) and prints leaves/s, then the
# latency of inclusion- and consistency-proof generation at that size (p50/p99).
# Goals: >= 200,000 leaves/s; inclusion proof p99 < 5 ms at 1,000,000 leaves.
# Usage: scripts/bench-merkle.sh [leaves, default 1000000] [batch, default 16384] [proofs, default 5000]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
LEAVES="${1:-1000000}"
BATCH="${2:-16384}"
PROOFS="${3:-5000}"
pg_install
DIR="$(mktemp -d /tmp/assetledger-bench-pg.XXXXXX)"
trap 'pg_stop "$DIR"; rm -rf "$DIR"' EXIT
PORT="$(pg_free_port)"
pg_start "$DIR" "$PORT"
CS="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=merkle_bench;Maximum Pool Size=20"

dotnet build scripts/bench/MerkleBench -c Release -nologo -v q >/dev/null
echo "== Merkle log: append $LEAVES leaves in batches of $BATCH, then $PROOFS inclusion proofs at that size"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
dotnet scripts/bench/MerkleBench/bin/Release/net10.0/MerkleBench.dll "$CS" "$LEAVES" "$BATCH" "$PROOFS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
