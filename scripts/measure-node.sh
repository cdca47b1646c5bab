#!/usr/bin/env bash
# Measures a development node: time to the first finalized block, and resident memory after
# DURATION seconds of block production (default 300). Bounded in time; stops the node itself.
#   ./scripts/measure-node.sh            # uses the node built by run.sh/test.sh
set -euo pipefail
. "$(dirname "$0")/common.sh"

duration="${DURATION:-300}"
port="${MEDCHAIN_RPC_PORT:-19944}"
base=$(mktemp -d)
[ -x "$MEDCHAIN_NODE_BIN" ] || { echo "measure-node: build the node first (scripts/run.sh or test.sh)" >&2; exit 2; }

"$MEDCHAIN_NODE_BIN" --dev --base-path "$base" --rpc-port "$port" --listen-addr /ip4/127.0.0.1/tcp/0 --prometheus-port 0 \
	--no-mdns --no-telemetry >"$base/node.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$base"' EXIT

rpc() {
	curl -s -m 5 -H 'Content-Type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":${2:-[]}}" "http://127.0.0.1:$port"
}
finalized_number() {
	local hash
	hash=$(rpc chain_getFinalizedHead | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])' 2>/dev/null) || return 1
	rpc chain_getHeader "[\"$hash\"]" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"],16))'
}

start=$(date +%s.%N)
first=""
end=$(( $(date +%s) + duration ))
while [ "$(date +%s)" -lt "$end" ]; do
	if [ -z "$first" ]; then
		n=$(finalized_number 2>/dev/null || echo 0)
		if [ "${n:-0}" -ge 1 ]; then
			first=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
			echo "first finalized block after ${first} s (from process start)"
		fi
	fi
	kill -0 $pid 2>/dev/null || { echo "measure-node: the node exited" >&2; tail -20 "$base/node.log" >&2; exit 1; }
	sleep 2
done
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
best=$(rpc chain_getHeader | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"],16))')
fin=$(finalized_number)
echo "after ${duration} s: best #${best}, finalized #${fin}, resident memory $((rss / 1024)) MiB"
