#!/usr/bin/env bash
# Prepares the machine, builds the node and starts a single-node development chain.
#   ./scripts/run.sh                 # --dev chain, state in a temporary folder
#   ./scripts/run.sh --chain local   # any medchain-node arguments replace --dev
# Environment: MEDCHAIN_RPC_PORT (default 9944).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"

"$MEDCHAIN_ROOT/scripts/init.sh"
log "building medchain-node (first build: about 25 min on 2 cores; later: seconds to minutes)"
medchain_build

rpc_port="${MEDCHAIN_RPC_PORT:-9944}"
args=("$@")
if [ ${#args[@]} -eq 0 ]; then args=(--dev); fi

cat <<MSG

MedChain node starting (${args[*]}).
  JSON-RPC (HTTP and WebSocket): ws://127.0.0.1:${rpc_port}
  Polkadot.js Apps: open https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${rpc_port}#/explorer
    (or a locally served copy of Apps, then Settings > custom endpoint ws://127.0.0.1:${rpc_port})
  Development accounts (Alice, Bob, ...) are funded; the token is MED with 12 decimals.
  Stop with Ctrl-C.

MSG
exec "$MEDCHAIN_NODE_BIN" "${args[@]}" --rpc-port "$rpc_port"
