#!/usr/bin/env bash
# Shared by the scripts: where the build goes and the toolchain environment from init.sh.
# Source it; it changes nothing on the machine.

MEDCHAIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MEDCHAIN_ROOT
MEDCHAIN_CACHE="${MEDCHAIN_CACHE:-$HOME/.cache/medchain}"
export MEDCHAIN_CACHE
# The target folder lives outside the clone so CI and later sessions reuse the ~1,000-crate
# dependency build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$MEDCHAIN_CACHE/target}"
if [ -f "$MEDCHAIN_CACHE/env.sh" ]; then
	# shellcheck disable=SC1091
	. "$MEDCHAIN_CACHE/env.sh"
fi
# One build profile for running and testing.
MEDCHAIN_PROFILE_FLAG="--release"
# run.sh and test.sh build the same set of targets, so cargo resolves the same features for
# the shared dependencies and neither script invalidates the other's build.
medchain_build() {
	cargo build $MEDCHAIN_PROFILE_FLAG --locked --workspace --all-targets "$@"
}
MEDCHAIN_NODE_BIN="${MEDCHAIN_NODE_BIN:-$CARGO_TARGET_DIR/release/medchain-node}"
export MEDCHAIN_NODE_BIN

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# Starts `medchain-node --dev` with its state in $1/node (log $1/node.log) and JSON-RPC on port
# $2, sets node_pid, and returns once the port answers (or 1, showing the log, if the node
# stopped).
# Extra node arguments may come in MEDCHAIN_NODE_ARGS (e.g. `--pool-type fork-aware`).
start_dev_node() {
	local state="$1" rpc_port="$2"
	# shellcheck disable=SC2086
	"$MEDCHAIN_NODE_BIN" --dev --base-path "$state/node" --rpc-port "$rpc_port" ${MEDCHAIN_NODE_ARGS:-} >"$state/node.log" 2>&1 &
	node_pid=$!
	for _ in $(seq 1 120); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$rpc_port") 2>/dev/null; then return 0; fi
		kill -0 "$node_pid" 2>/dev/null || { tail -n 30 "$state/node.log"; return 1; }
		sleep 0.5
	done
	echo "the node's RPC port $rpc_port did not open; log: $state/node.log" >&2
	return 1
}
