#!/usr/bin/env bash
# The performance benchmark (issue 16): a fresh development node (6 s blocks) and
# `medchain-bench` running the standard workloads one after the other against it — the stock
# baseline (balance transfers) first — with the node's memory and CPU sampled. Prints the table
# and writes the JSON beside it. Bounded: each workload stops after --timeout-secs (default 180).
# Outside CI; the figures go to docs/performance.md.
#   ./scripts/bench.sh [medchain-bench arguments]   (default: --workloads transfer,remark --count 5000)
# Environment: MEDCHAIN_RPC_PORT (default 19944), MEDCHAIN_BENCH_OUT (default /tmp/medchain-bench.json).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--workloads transfer,remark --count 5000)
"$MEDCHAIN_ROOT/scripts/init.sh"
medchain_build
rpc_port="${MEDCHAIN_RPC_PORT:-19944}"
out="${MEDCHAIN_BENCH_OUT:-/tmp/medchain-bench.json}"
state="$(mktemp -d /tmp/medchain-bench.XXXXXX)"
node_pid=""
trap '[ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$state"' EXIT
log "starting a development node (log: $state/node.log)"
start_dev_node "$state" "$rpc_port"
"$CARGO_TARGET_DIR/release/medchain-bench" --node "ws://127.0.0.1:$rpc_port" --node-pid "$node_pid" \
	--json "$out" "${args[@]}"
log "figures: $out; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
