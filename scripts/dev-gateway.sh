#!/usr/bin/env bash
# Sourced by run.sh and bench-gateway.sh: a development chain with one demo hospital gateway.
#   start_dev_gateway STATE RPC_PORT GATEWAY_PORT
# starts `medchain-node --dev` (base path STATE/node, log STATE/node.log), creates the
# gateway in STATE/gateway, admits "Demo Hospital" with sudo and registers the gateway's
# device and a demo patient (examples/dev-hospital), starts `medchain-gateway serve` (log
# STATE/gateway.log), and sets node_pid, gateway_pid, token, patient, institution.
# stop_dev_gateway stops both. Needs the build (medchain_build) and common.sh.

start_dev_gateway() {
	local state="$1" rpc_port="$2" gateway_port="$3"
	local gateway_bin="$CARGO_TARGET_DIR/release/medchain-gateway"
	local demo_bin="$CARGO_TARGET_DIR/release/examples/dev-hospital"
	log "starting the development chain (log: $state/node.log)"
	start_dev_node "$state" "$rpc_port" || return 1
	log "creating the demo hospital's gateway (keys, configuration, API token)"
	"$gateway_bin" init --data-dir "$state/gateway" --node "ws://127.0.0.1:$rpc_port" \
		--listen "127.0.0.1:$gateway_port" >"$state/init.txt"
	token="$(awk '/^API token:/ {print $3}' "$state/init.txt")"
	log "admitting the demo hospital, registering the gateway's device and a demo patient"
	"$demo_bin" "ws://127.0.0.1:$rpc_port" "$state/gateway" >"$state/demo.txt"
	institution="$(sed -n 's/^institution=//p' "$state/demo.txt")"
	patient="$(sed -n 's/^patient=//p' "$state/demo.txt")"
	log "starting the gateway (log: $state/gateway.log)"
	"$gateway_bin" serve --data-dir "$state/gateway" >"$state/gateway.log" 2>&1 &
	gateway_pid=$!
	for _ in $(seq 1 120); do
		if grep -q "listening on" "$state/gateway.log" 2>/dev/null; then return 0; fi
		kill -0 "$gateway_pid" 2>/dev/null || { tail -n 30 "$state/gateway.log"; return 1; }
		sleep 0.5
	done
	echo "the gateway did not start listening; log: $state/gateway.log" >&2
	return 1
}

stop_dev_gateway() {
	if [ -n "${gateway_pid:-}" ]; then kill "$gateway_pid" 2>/dev/null || true; fi
	if [ -n "${node_pid:-}" ]; then kill "$node_pid" 2>/dev/null || true; fi
	wait 2>/dev/null || true
}
