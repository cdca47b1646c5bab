#!/usr/bin/env bash
# The main job of MedChain in one command: a development chain, two hospitals' gateways
# (Hôpital Nord and Hôpital Sud) and a relay, all on 127.0.0.1; a patient of Nord, a record,
# a consent to Sud, Sud's request, Nord's end-to-end encrypted delivery through the relay, Sud's
# verification on chain and payment; each step printed with its block and the fees.
#   ./scripts/demo.sh            # one exchange, then stop
#   ./scripts/demo.sh --keep     # leave everything running (Ctrl-C stops it)
#   MEDCHAIN_DEMO_COUNT=20 ./scripts/demo.sh   # 20 exchanges, with latency p50/p95
# Set-up uses sudo (--dev only); on the consortium chain admission is a council motion.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"

keep=false
[ "${1:-}" = "--keep" ] && keep=true
count="${MEDCHAIN_DEMO_COUNT:-1}"

"$MEDCHAIN_ROOT/scripts/init.sh"
log "building (first build: about 25 min on 2 cores; later: seconds to minutes)"
medchain_build
bin="$CARGO_TARGET_DIR/release"
demo="$bin/examples/exchange-demo"

state="$(mktemp -d /tmp/medchain-demo.XXXXXX)"
pids=()
stop() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$state"
}
trap stop EXIT
trap 'exit 130' INT TERM

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rpc_port="$(port)"; relay_port="$(port)"; nord_port="$(port)"; sud_port="$(port)"
node="ws://127.0.0.1:$rpc_port"

log "starting the development chain (log: $state/node.log)"
"$MEDCHAIN_NODE_BIN" --dev --base-path "$state/node" --rpc-port "$rpc_port" >"$state/node.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$rpc_port") 2>/dev/null; then break; fi
	sleep 0.5
done

log "creating the relay and both gateways (keys, configuration, API tokens)"
"$bin/medchain-relay" init --data-dir "$state/relay" --node "$node" --listen "127.0.0.1:$relay_port" >/dev/null
for h in nord sud; do
	p="$nord_port"; [ "$h" = sud ] && p="$sud_port"
	"$bin/medchain-gateway" init --data-dir "$state/$h" --node "$node" --listen "127.0.0.1:$p" \
		--relay "http://127.0.0.1:$relay_port" >"$state/$h-init.txt"
done
nord_token="$(awk '/^API token:/ {print $3}' "$state/nord-init.txt")"
sud_token="$(awk '/^API token:/ {print $3}' "$state/sud-init.txt")"

log "admitting Hôpital Nord, Hôpital Sud and the relay operator (sudo), adding their devices, registering a patient at Nord"
"$demo" setup "$node" "$state/relay" "$state/nord" "$state/sud" | tee "$state/setup.txt"

wait_for() { # log-file pattern
	for _ in $(seq 1 240); do
		if grep -q "$2" "$1" 2>/dev/null; then return 0; fi
		sleep 0.5
	done
	echo "not started; log: $1" >&2; tail -n 20 "$1" >&2; return 1
}
log "starting the relay and the gateways"
"$bin/medchain-relay" serve --data-dir "$state/relay" >"$state/relay.log" 2>&1 &
pids+=($!)
"$bin/medchain-gateway" serve --data-dir "$state/nord" >"$state/nord.log" 2>&1 &
pids+=($!)
"$bin/medchain-gateway" serve --data-dir "$state/sud" >"$state/sud.log" 2>&1 &
pids+=($!)
wait_for "$state/relay.log" "listening on"
wait_for "$state/nord.log" "listening on"
wait_for "$state/sud.log" "listening on"

log "the exchange"
"$demo" run "$node" "$state/nord" "$nord_token@127.0.0.1:$nord_port" "$sud_token@127.0.0.1:$sud_port" "$count"

if $keep; then
	cat <<MSG

Everything is still running:
  node      $node
  relay     http://127.0.0.1:$relay_port/health
  Nord API  http://127.0.0.1:$nord_port   token $nord_token
  Sud API   http://127.0.0.1:$sud_port   token $sud_token
  logs      $state/*.log   (deleted on exit)
Stop with Ctrl-C.
MSG
	wait "${pids[0]}"
fi
