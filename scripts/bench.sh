#!/usr/bin/env bash
# The performance benchmark (issue 16): a fresh development node (6 s blocks) and
# `medchain-bench` running the standard workloads one after the other against it — the stock
# baseline (balance transfers) first — with the node's memory and CPU sampled. Prints the table
# and writes the JSON beside it. Bounded: each workload stops after --timeout-secs (default 180).
# Outside CI; the figures go to docs/performance.md.
#   ./scripts/bench.sh [medchain-bench arguments]   (default: the standard set below)
# The standard set, one after the other on the same node (about 6 minutes): transfer, remark
# and anchor (8,000 each); anchor-batch (36 × 512); anchor-root (8,000 roots of 512); exchange
# (1,000 request → deliver → confirm); consent-grant (1,216: 64 patients × the 19 fee-free
# grants left after the exchange's consents);
# consent-check (20,000 over JSON-RPC by 8 clients). Each run's JSON goes to $out-<n>.json.
# Environment: MEDCHAIN_RPC_PORT (default 19944), MEDCHAIN_BENCH_OUT (default /tmp/medchain-bench.json),
# MEDCHAIN_BENCH_TARGET=network: instead of one development node, the four-validator
# consortium network of scripts/network.sh (started from empty chain data, stopped and purged
# afterwards), measured through alice's node (its founding hospital is the bench's).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"
args=("$@")
"$MEDCHAIN_ROOT/scripts/init.sh"
medchain_build
rpc_port="${MEDCHAIN_RPC_PORT:-19944}"
out="${MEDCHAIN_BENCH_OUT:-/tmp/medchain-bench.json}"
state="$(mktemp -d /tmp/medchain-bench.XXXXXX)"
node_pid=""
if [ "${MEDCHAIN_BENCH_TARGET:-dev}" = network ]; then
	trap '"$MEDCHAIN_ROOT/scripts/network.sh" down --purge >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
	"$MEDCHAIN_ROOT/scripts/network.sh" down --purge >/dev/null 2>&1 || true
	log "starting the four-validator consortium network"
	"$MEDCHAIN_ROOT/scripts/network.sh" up
	rpc_port=9944
	node_pid="$(cat "$MEDCHAIN_CACHE/network/alice/pid")"
	# Wait for the first finalized block, so the set-up's transactions meet a running chain.
	for _ in $(seq 1 120); do
		fin=$(curl -s -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"chain_getFinalizedHead","params":[]}' http://127.0.0.1:9944 |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])')
		num=$(curl -s -H 'Content-Type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chain_getHeader\",\"params\":[\"$fin\"]}" http://127.0.0.1:9944 |
			python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"], 16))')
		[ "$num" -ge 1 ] && break
		sleep 1
	done
else
	trap '[ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$state"' EXIT
	# The node's own default pool (single-state, docs/decisions.md); MEDCHAIN_NODE_ARGS may
	# add e.g. `--pool-type fork-aware` to compare.
	log "starting a development node (${MEDCHAIN_NODE_ARGS:-default arguments}; log: $state/node.log)"
	start_dev_node "$state" "$rpc_port"
fi
bench() { # bench JSON_OUT ARGS...
	local json="$1"
	shift
	"$CARGO_TARGET_DIR/release/medchain-bench" --node "ws://127.0.0.1:$rpc_port" --node-pid "$node_pid" \
		--json "$json" "$@"
}
if [ ${#args[@]} -gt 0 ]; then
	bench "$out" "${args[@]}"
else
	n=0
	for set in "--workloads transfer,remark,anchor --count 8000" \
		"--workloads anchor-batch --count 36 --batch 512" \
		"--workloads anchor-root --count 8000 --batch 512" \
		"--workloads exchange --count 1000" \
		"--workloads consent-grant --count 1216" \
		"--workloads consent-check --count 20000 --clients 8"; do
		n=$((n + 1))
		log "standard set $n: $set"
		# shellcheck disable=SC2086
		bench "${out%.json}-$n.json" $set
	done
fi
log "figures: ${out%.json}*.json; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
