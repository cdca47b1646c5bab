#!/usr/bin/env bash
# The gateway benchmark (issue 14): a development chain, one demo hospital gateway, and
# `medchain-gateway bench` posting documents of 4 KiB FHIR JSON through the REST API and
# following them to finality. Prints documents/s accepted and finalized, p50/p95 from the 202
# to finality, the chain's anchors per block and the gateway's peak memory. Outside CI; the
# figures go to docs/gateway.md and docs/benchmarks.md.
#   ./scripts/bench-gateway.sh [--count N] [--concurrency C]   (defaults 10000, 16)
# Environment: MEDCHAIN_RPC_PORT (default 19944), MEDCHAIN_GATEWAY_PORT (default 18080).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"
count=10000 concurrency=16
while [ $# -gt 0 ]; do
	case "$1" in
	--count) count="${2:?}"; shift 2 ;;
	--concurrency) concurrency="${2:?}"; shift 2 ;;
	*) echo "error: unknown argument $1" >&2; exit 2 ;;
	esac
done
"$MEDCHAIN_ROOT/scripts/init.sh"
medchain_build
rpc_port="${MEDCHAIN_RPC_PORT:-19944}"
gateway_port="${MEDCHAIN_GATEWAY_PORT:-18080}"
. "$MEDCHAIN_ROOT/scripts/dev-gateway.sh"
state="$(mktemp -d /tmp/medchain-bench.XXXXXX)"
trap 'stop_dev_gateway; rm -rf "$state"' EXIT
start_dev_gateway "$state" "$rpc_port" "$gateway_port"
log "posting $count documents with $concurrency connections"
"$CARGO_TARGET_DIR/release/medchain-gateway" bench --gateway "127.0.0.1:$gateway_port" \
	--token "$token" --patient "$patient" --node "ws://127.0.0.1:$rpc_port" \
	--count "$count" --concurrency "$concurrency" --gateway-pid "$gateway_pid"
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
