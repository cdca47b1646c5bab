#!/usr/bin/env bash
# A local four-hospital consortium network for people to use: four validators (Alice, Bob,
# Charlie, Dave stand in for the hospitals' nodes) on 127.0.0.1, data kept between runs.
#   ./scripts/network.sh up               # start (prints the JSON-RPC URLs)
#   ./scripts/network.sh status           # per node: pid, best/finalized, peers, memory
#   ./scripts/network.sh measure [SECS]   # finality lag p50/p95 over SECS (default 300), memory
#   ./scripts/network.sh down [--purge]   # stop (SIGTERM, then SIGKILL after 30 s); --purge
#                                         # also deletes the chain data
# Ports: JSON-RPC 9944-9947, p2p 30333-30336, Prometheus 9615-9618.
# Exit codes: 0 done; 1 a node failed to start or stop; 2 bad usage or not built.
set -euo pipefail
. "$(dirname "$0")/common.sh"

names=(alice bob charlie dave)
net_dir="$MEDCHAIN_CACHE/network"

rpc_port() { echo $((9944 + $1)); }
p2p_port() { echo $((30333 + $1)); }
# The founders' node keys: SHA-256 of the node's name, whose peer ids the consortium chain's
# genesis allow-list holds (as zombienet derives them; runtime/src/genesis_config_presets.rs).
node_key() { printf '%s' "${names[$1]}" | sha256sum | cut -c1-64; }

pid_of() {
	local f="$net_dir/${names[$1]}/pid"
	[ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

rpc() { # rpc PORT METHOD [PARAMS_JSON]
	curl -s --max-time 5 -H 'Content-Type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":${3:-[]}}" "http://127.0.0.1:$1"
}

number_of() { # number_of PORT [best|finalized]
	local port=$1 which=$2 hash=null
	if [ "$which" = finalized ]; then
		hash="\"$(rpc "$port" chain_getFinalizedHead | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])')\""
	fi
	rpc "$port" chain_getHeader "[$hash]" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"], 16))'
}

rss_mib() { awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

up() {
	[ -x "$MEDCHAIN_NODE_BIN" ] || { echo "error: $MEDCHAIN_NODE_BIN is not built (./scripts/run.sh builds it)" >&2; exit 2; }
	local bootnode=""
	for i in 0 1 2 3; do
		local name=${names[$i]} dir="$net_dir/${names[$i]}"
		if pid=$(pid_of "$i"); then
			log "$name is already running (pid $pid)"
		else
			mkdir -p "$dir"
			local args=(--chain consortium "--$name" --base-path "$dir/data" --node-key "$(node_key "$i")"
				--rpc-port "$(rpc_port "$i")" --prometheus-port $((9615 + i))
				--listen-addr "/ip4/127.0.0.1/tcp/$(p2p_port "$i")" --no-mdns --no-telemetry)
			[ -n "$bootnode" ] && args+=(--bootnodes "$bootnode")
			nohup "$MEDCHAIN_NODE_BIN" "${args[@]}" >>"$dir/node.log" 2>&1 &
			echo $! >"$dir/pid"
			log "$name started (pid $!), log $dir/node.log"
		fi
		if [ -z "$bootnode" ]; then
			local peer=""
			for _ in $(seq 1 120); do
				peer=$(rpc "$(rpc_port 0)" system_localPeerId 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])' 2>/dev/null) && break
				pid_of 0 >/dev/null || { echo "error: alice exited; see $net_dir/alice/node.log" >&2; exit 1; }
				sleep 1
			done
			[ -n "$peer" ] || { echo "error: alice's JSON-RPC did not answer within 120 s" >&2; exit 1; }
			bootnode="/ip4/127.0.0.1/tcp/$(p2p_port 0)/p2p/$peer"
		fi
	done
	for i in 0 1 2 3; do
		for _ in $(seq 1 120); do
			rpc "$(rpc_port "$i")" system_health >/dev/null 2>&1 && break
			pid_of "$i" >/dev/null || { echo "error: ${names[$i]} exited; see $net_dir/${names[$i]}/node.log" >&2; exit 1; }
			sleep 1
		done
	done
	echo "The consortium network is up (no sudo; council: Alice, Bob, Charlie, Dave):"
	for i in 0 1 2 3; do
		echo "  ${names[$i]}  ws://127.0.0.1:$(rpc_port "$i")  (http on the same port)"
	done
	echo "Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A9944"
	echo "Stop with ./scripts/network.sh down"
}

status() {
	printf '%-8s %-8s %-8s %-10s %-6s %s\n' node pid best finalized peers memory
	for i in 0 1 2 3; do
		local port pid
		port=$(rpc_port "$i")
		if pid=$(pid_of "$i"); then
			local best fin peers
			best=$(number_of "$port" best 2>/dev/null || echo "?")
			fin=$(number_of "$port" finalized 2>/dev/null || echo "?")
			peers=$(rpc "$port" system_health 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["peers"])' 2>/dev/null || echo "?")
			printf '%-8s %-8s %-8s %-10s %-6s %s MiB\n' "${names[$i]}" "$pid" "$best" "$fin" "$peers" "$(rss_mib "$pid")"
		else
			printf '%-8s %s\n' "${names[$i]}" "not running"
		fi
	done
}

measure() {
	local secs=${1:-300} samples=() end
	pid_of 0 >/dev/null || { echo "error: the network is not up" >&2; exit 2; }
	end=$(($(date +%s) + secs))
	log "sampling best - finalized on alice every 2 s for $secs s"
	while [ "$(date +%s)" -lt "$end" ]; do
		local b f
		b=$(number_of "$(rpc_port 0)" best) && f=$(number_of "$(rpc_port 0)" finalized) && samples+=($((b - f)))
		sleep 2
	done
	printf '%s\n' "${samples[@]}" | python3 -c '
import sys
v = sorted(int(x) for x in sys.stdin if x.strip())
pick = lambda p: v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
print(f"finality lag over {len(v)} samples: p50 {pick(50)}, p95 {pick(95)}, max {v[-1]} blocks")'
	for i in 0 1 2 3; do
		local pid
		pid=$(pid_of "$i") && echo "resident memory of ${names[$i]}: $(rss_mib "$pid") MiB"
	done
}

down() {
	local failed=0
	for i in 0 1 2 3; do
		local pid
		if pid=$(pid_of "$i"); then
			kill -TERM "$pid"
			for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
			if kill -0 "$pid" 2>/dev/null; then
				kill -KILL "$pid"; failed=1
				echo "warning: ${names[$i]} ignored SIGTERM for 30 s and was killed" >&2
			fi
			log "${names[$i]} stopped"
		fi
		rm -f "$net_dir/${names[$i]}/pid"
	done
	if [ "${1:-}" = "--purge" ]; then
		rm -rf "$net_dir"
		log "chain data deleted ($net_dir)"
	fi
	return $failed
}

case "${1:-}" in
up) up ;;
status) status ;;
measure) measure "${2:-300}" ;;
down) down "${2:-}" ;;
*)
	sed -n '2,10p' "$0" >&2
	exit 2
	;;
esac
