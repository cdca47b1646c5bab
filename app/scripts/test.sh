#!/usr/bin/env bash
# Tests the web app end to end:
#   1. regenerates the polkadot-api descriptors from the runtime (its WASM, else the dev node's
#      metadata) and fails if the committed ones (app/.papi) are stale;
#   2. type-checks and runs the unit tests (vitest);
#   3. builds the app (vite);
#   4. starts a dev node, and prepares a relay, a hospital gateway that uses it and serves the
#      built app at /app/, and a requesting clinic's gateway (the browser tests' global setup
#      admits the relay operator, the hospital and the clinic, registers the three devices on
#      chain and starts all three), each on a free port;
#   5. runs the browser tests: Debian's Chromium driven by playwright-core (tests/e2e), against
#      the app as the gateway serves it.
# Screenshots go to app/test-results/; `--update-docs` also copies the main ones to docs/app/.
# Needs: Node >= 20.19, npm, /usr/bin/chromium (scripts/init.sh installs both the packages and
# app/node_modules), and the node, gateway and relay built (scripts/build.sh); this script never
# runs cargo. Environment: MEDCHAIN_NODE_BIN (the node), MEDCHAIN_GATEWAY_BIN (the gateway),
# MEDCHAIN_RELAY_BIN (the relay), MEDCHAIN_RUNTIME_WASM (the runtime blob), MEDCHAIN_CHROMIUM
# (the browser), MEDCHAIN_E2E_FILES (browser test files to run instead of all of them).
set -euo pipefail

started=$(date +%s)
APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../../scripts/common.sh
. "$APP_DIR/../scripts/common.sh"
cd "$APP_DIR"

update_docs=0
for arg in "$@"; do
	case "$arg" in
	--update-docs) update_docs=1 ;;
	*)
		echo "usage: app/scripts/test.sh [--update-docs]" >&2
		exit 2
		;;
	esac
done

WASM="${MEDCHAIN_RUNTIME_WASM:-$CARGO_TARGET_DIR/release/wbuild/medchain-runtime/medchain_runtime.compact.compressed.wasm}"
export MEDCHAIN_CHROMIUM="${MEDCHAIN_CHROMIUM:-/usr/bin/chromium}"
# polkadot-api's WebSocket client needs a global WebSocket: Node 22 has one, Node 20 behind a flag
# (for the browser tests' seed and papi's -w).
if [ "$(node -e 'process.stdout.write(typeof WebSocket)' 2>/dev/null)" != function ]; then
	export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-websocket --disable-warning=ExperimentalWarning"
fi

fail() {
	log "app: FAILED: $*"
	exit 1
}

# Runs "$@" with a time limit of $1 seconds, saying which step ran out of time.
bounded() {
	local limit="$1"
	shift
	local rc=0
	timeout --kill-after=10 "$limit" "$@" || rc=$?
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then fail "'$*' did not finish within $limit s"; fi
	return "$rc"
}

free_port() {
	local port
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

command -v node >/dev/null || fail "node is not installed (scripts/init.sh installs it)"
[ -x "$MEDCHAIN_CHROMIUM" ] || fail "no browser at $MEDCHAIN_CHROMIUM (scripts/init.sh installs Debian's chromium)"
[ -x "$MEDCHAIN_NODE_BIN" ] || fail "no node binary at $MEDCHAIN_NODE_BIN: build it first (scripts/build.sh)"
export MEDCHAIN_GATEWAY_BIN="${MEDCHAIN_GATEWAY_BIN:-$CARGO_TARGET_DIR/release/medchain-gateway}"
[ -x "$MEDCHAIN_GATEWAY_BIN" ] || fail "no gateway binary at $MEDCHAIN_GATEWAY_BIN: build it first (scripts/build.sh)"
export MEDCHAIN_RELAY_BIN="${MEDCHAIN_RELAY_BIN:-$CARGO_TARGET_DIR/release/medchain-relay}"
[ -x "$MEDCHAIN_RELAY_BIN" ] || fail "no relay binary at $MEDCHAIN_RELAY_BIN: build it first (scripts/build.sh)"
# npm ci when the lock file changed since the last install (the same stamp as scripts/init.sh).
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat node_modules/.medchain-lock-sha256 2>/dev/null)" != "$lock_sum" ]; then
	log "app: npm ci"
	bounded 600 npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
	echo "$lock_sum" >node_modules/.medchain-lock-sha256
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/medchain-app.XXXXXX")"
node_pid=""
cleanup() {
	local rc=$?
	# The gateway and the relay, if the browser tests' teardown did not stop them (global-setup.ts
	# writes their process ids here).
	local pidfile pid
	for pidfile in "$work"/*.pid; do
		[ -f "$pidfile" ] || continue
		pid="$(cat "$pidfile")"
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
			kill -9 "$pid" 2>/dev/null || true
		fi
	done
	if [ -n "$node_pid" ]; then
		kill "$node_pid" 2>/dev/null || true
		for _ in $(seq 1 20); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.25; done
		kill -9 "$node_pid" 2>/dev/null || true
	fi
	if [ "$rc" != 0 ] && [ -f "$work/gateway.log" ]; then
		echo "--- last lines of the gateway's log ---" >&2
		tail -n 20 "$work/gateway.log" >&2 || true
	fi
	if [ "$rc" != 0 ] && [ -f "$work/gateway2.log" ]; then
		echo "--- last lines of the requesting clinic's gateway's log ---" >&2
		tail -n 20 "$work/gateway2.log" >&2 || true
	fi
	if [ "$rc" != 0 ] && [ -f "$work/relay.log" ]; then
		echo "--- last lines of the relay's log ---" >&2
		tail -n 20 "$work/relay.log" >&2 || true
	fi
	if [ "$rc" != 0 ] && [ -f "$work/node.log" ]; then
		echo "--- last lines of the node's log ---" >&2
		tail -n 20 "$work/node.log" >&2 || true
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT INT TERM

# The dev node: state in $work (as --tmp), JSON-RPC, p2p on free ports, no Prometheus endpoint,
# so that it runs beside any other node on this machine. Its p2p listens over WebSocket: the
# browser's light client (src/light-client.ts) connects to it as a peer.
rpc_port="$(free_port)" || fail "no free port for the node's RPC"
p2p_port="$(free_port)" || fail "no free port for the node's p2p"
log "app: starting a dev node (RPC port $rpc_port, p2p over WebSocket on port $p2p_port)"
MEDCHAIN_NODE_ARGS="--listen-addr /ip4/127.0.0.1/tcp/$p2p_port/ws --no-prometheus" start_dev_node "$work" "$rpc_port" ||
	fail "the dev node did not start (log: $work/node.log)"
NODE_WS="ws://127.0.0.1:$rpc_port"

# 1. The descriptors, regenerated from scratch, must equal the committed ones.
log "app: regenerating the polkadot-api descriptors"
cp -r .papi "$work/papi-committed"
if [ -f "$WASM" ]; then
	source_desc="the runtime WASM $WASM"
	bounded 300 npx papi add medchain --wasm "$WASM" --skip-codegen >"$work/papi.log" 2>&1 ||
		{ cat "$work/papi.log"; fail "papi could not read the runtime's metadata from $WASM"; }
else
	source_desc="the dev node's runtime (no WASM at $WASM)"
	bounded 300 npx papi add medchain -w "$NODE_WS" --skip-codegen >"$work/papi.log" 2>&1 ||
		{ cat "$work/papi.log"; fail "papi could not read the dev node's metadata"; }
fi
# The config names where the metadata came from (a -w source adds the node's address): keep ours.
cp "$work/papi-committed/polkadot-api.json" .papi/polkadot-api.json
rm -rf .papi/descriptors/dist .papi/descriptors/generated.json
bounded 300 npx papi generate >>"$work/papi.log" 2>&1 || { cat "$work/papi.log"; fail "papi generate failed"; }
for f in metadata/medchain.scale descriptors/package.json descriptors/.gitignore; do
	if ! cmp -s ".papi/$f" "$work/papi-committed/$f"; then
		fail "app/.papi/$f is stale: it differs from what papi generates from $source_desc." \
			"The regenerated files are in place now: review and commit app/.papi."
	fi
done
log "app: descriptors match $source_desc"

# 2. Types and unit tests.
log "app: type check"
bounded 300 npx tsc --noEmit || fail "the type check failed"
log "app: unit tests"
bounded 300 npx vitest run --config vitest.config.ts || fail "unit tests failed"

# 3. The build.
log "app: vite build"
bounded 300 npx vite build --logLevel warn || fail "the build failed"
# The chain's specification beside the built app (docs/app.md, "The log's head, proved by this
# browser's light client"): the dev chain's, raw, with the dev node's WebSocket p2p address as
# its only boot node.
peer_id="$(grep -o 'Local node identity is: [1-9A-HJ-NP-Za-km-z]*' "$work/node.log" | head -n 1 | sed 's/.*: //')"
[ -n "$peer_id" ] || fail "the dev node's log names no peer id (log: $work/node.log)"
bounded 120 "$MEDCHAIN_NODE_BIN" build-spec --chain dev --raw >"$work/chain-spec.json" 2>"$work/build-spec.log" ||
	{ cat "$work/build-spec.log"; fail "medchain-node build-spec failed"; }
python3 - "$work/chain-spec.json" "/ip4/127.0.0.1/tcp/$p2p_port/ws/p2p/$peer_id" >dist/chain-spec.json <<'PY' ||
import json, sys
spec = json.load(open(sys.argv[1]))
spec["bootNodes"] = [sys.argv[2]]
json.dump(spec, sys.stdout)
PY
	fail "could not write dist/chain-spec.json"
log "app: dist/chain-spec.json written (boot node /ip4/127.0.0.1/tcp/$p2p_port/ws/p2p/$peer_id)"

# 4. A relay (docs/relay.md) and a hospital gateway that delivers through it and serves the built
#    app at /app/ (docs/gateway.md, "The web app"): their data directories and keys made here;
#    tests/e2e/global-setup.ts admits a relay operator and the gateway's hospital, registers and
#    funds both devices, starts both `serve`s and stops them at the end.
relay_port="$(free_port)" || fail "no free port for the relay"
"$MEDCHAIN_RELAY_BIN" init --data-dir "$work/relay" --node "$NODE_WS" --listen "127.0.0.1:$relay_port" \
	--anchor-every-secs 3600 >"$work/relay-init.log" 2>&1 || { cat "$work/relay-init.log"; fail "medchain-relay init failed"; }
relay_device="$(sed -n 's/^device address: *//p' "$work/relay-init.log")"
[ -n "$relay_device" ] || { cat "$work/relay-init.log"; fail "medchain-relay init printed no device"; }
export MEDCHAIN_RELAY_DIR="$work/relay" MEDCHAIN_RELAY_DEVICE="$relay_device" MEDCHAIN_RELAY_LOG="$work/relay.log" \
	MEDCHAIN_RELAY_PORT="$relay_port" MEDCHAIN_PID_DIR="$work"
# init_gateway NAME VAR: a gateway's data directory and keys in $work/NAME, on a free port, through
# the relay, serving the built app; exported as MEDCHAIN_<VAR>_{DIR,DEVICE,TOKEN,LOG,PORT}.
init_gateway() {
	local name="$1" var="$2" port device token
	port="$(free_port)" || fail "no free port for $name"
	"$MEDCHAIN_GATEWAY_BIN" init --data-dir "$work/$name" --node "$NODE_WS" --listen "127.0.0.1:$port" \
		--relay "http://127.0.0.1:$relay_port" --app-dir "$APP_DIR/dist" >"$work/$name-init.log" 2>&1 ||
		{ cat "$work/$name-init.log"; fail "medchain-gateway init ($name) failed"; }
	device="$(sed -n 's/^device address: *//p' "$work/$name-init.log")"
	token="$(sed -n 's/^API token: *//p' "$work/$name-init.log")"
	[ -n "$device" ] && [ -n "$token" ] || { cat "$work/$name-init.log"; fail "medchain-gateway init ($name) printed no device or token"; }
	export "MEDCHAIN_${var}_DIR=$work/$name" "MEDCHAIN_${var}_DEVICE=$device" "MEDCHAIN_${var}_TOKEN=$token" \
		"MEDCHAIN_${var}_LOG=$work/$name.log" "MEDCHAIN_${var}_PORT=$port"
}
init_gateway gateway GATEWAY
web_port="$MEDCHAIN_GATEWAY_PORT"
# A second gateway, of a requesting clinic (global-setup.ts admits it): the requester's side of
#    an exchange, asked from the portal it serves (tests/e2e/exchange.test.ts).
init_gateway gateway2 GATEWAY2

# 5. The browser tests.
log "app: browser tests (Chromium, app served by the gateway on port $web_port, relay on port $relay_port, node on port $rpc_port)"
rm -rf test-results
mkdir -p test-results
MEDCHAIN_APP_URL="http://127.0.0.1:$web_port/app/" MEDCHAIN_NODE_WS="$NODE_WS" MEDCHAIN_SHOTS="$APP_DIR/test-results" \
	bounded 900 npx vitest run --config vitest.e2e.config.ts ${MEDCHAIN_E2E_FILES:-} || fail "browser tests failed"

if [ "$update_docs" = 1 ]; then
	docs="$APP_DIR/../docs/app"
	mkdir -p "$docs"
	for name in verify-record-current-desktop patient-en-desktop verify-ko-phone patient-en-phone hospital-custodian-desktop \
		patient-live-emergency-phone live-emergency-settings-phone staff-admin-desktop consents-ko-phone consents-granted-desktop card-desktop card-phone \
		hospital-gateway-phone patient-exchange-release-desktop guardian-pending-phone guardian-acting-desktop hospital-received-desktop patient-proof-differs-desktop verify-proof-differs-desktop; do
		cp "test-results/$name.png" "$docs/$name.png"
	done
	log "app: screenshots copied to docs/app/"
fi

log "app: all passed in $(($(date +%s) - started)) s (screenshots in app/test-results/)"
