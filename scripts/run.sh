#!/usr/bin/env bash
# Prepares the machine, builds the node and starts a single-node development chain, with one
# hospital gateway for a demo hospital (admitted with sudo on --dev).
#   ./scripts/run.sh                 # --dev chain + demo gateway, state in a temporary folder
#   ./scripts/run.sh --chain local   # any medchain-node arguments replace --dev (no gateway)
# Environment: MEDCHAIN_RPC_PORT (default 9944), MEDCHAIN_GATEWAY_PORT (default 8080).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"

"$MEDCHAIN_ROOT/scripts/init.sh"
log "building medchain-node and medchain-gateway (first build: about 25 min on 2 cores; later: seconds to minutes)"
medchain_build

rpc_port="${MEDCHAIN_RPC_PORT:-9944}"
if [ $# -gt 0 ]; then
	cat <<MSG

MedChain node starting ($*).
  JSON-RPC (HTTP and WebSocket): ws://127.0.0.1:${rpc_port}
  Stop with Ctrl-C.

MSG
	exec "$MEDCHAIN_NODE_BIN" "$@" --rpc-port "$rpc_port"
fi

gateway_port="${MEDCHAIN_GATEWAY_PORT:-8080}"
. "$MEDCHAIN_ROOT/scripts/dev-gateway.sh"
state="$(mktemp -d /tmp/medchain-run.XXXXXX)"
stop() {
	stop_dev_gateway
	rm -rf "$state"
}
trap stop EXIT
trap 'exit 130' INT TERM
start_dev_gateway "$state" "$rpc_port" "$gateway_port"

cat <<MSG

MedChain development chain and a demo hospital gateway are running.
  Node JSON-RPC (HTTP and WebSocket): ws://127.0.0.1:${rpc_port}
    Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${rpc_port}#/explorer
    Development accounts (Alice, Bob, ...) are funded; the token is MED with 12 decimals.
  Gateway of "Demo Hospital" (institution ${institution}): http://127.0.0.1:${gateway_port}
    API token: ${token}
    Demo patient pseudonym: ${patient}
    Try:
      curl -s -X POST -H "Authorization: Bearer ${token}" \\
        "http://127.0.0.1:${gateway_port}/records?patient=${patient}&category=Laboratory&format=FhirJson" \\
        --data-binary '{"resourceType":"Observation","status":"final","code":{"text":"HbA1c"}}'
      curl -s -H "Authorization: Bearer ${token}" http://127.0.0.1:${gateway_port}/records/<recordId>
    API description: http://127.0.0.1:${gateway_port}/openapi.json  (docs/gateway.md)
  State (deleted on exit): ${state}
  Stop with Ctrl-C.

MSG
wait "$node_pid"
