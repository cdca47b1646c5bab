#!/usr/bin/env bash
# zombienet, pinned (zombienet/package.json, with its lock file) and local to the project.
#   ./scripts/zombienet.sh install            # npm ci in zombienet/ (idempotent)
#   ./scripts/zombienet.sh test dev|consortium # run zombienet/<name>.zndsl (native provider)
#   ./scripts/zombienet.sh spawn consortium    # start the network and keep it up (Ctrl-C stops)
# Needs the built node (scripts/run.sh or scripts/test.sh build it) and npm.
# Exit codes: 0 passed, 1 a check failed, 2 bad usage or missing tool.
set -euo pipefail
. "$(dirname "$0")/common.sh"
zdir="$MEDCHAIN_ROOT/zombienet"

install() {
	command -v npm >/dev/null || { echo "error: npm is needed (apt-get install npm)" >&2; exit 2; }
	if [ -x "$zdir/node_modules/.bin/zombienet" ] && [ "$zdir/node_modules/.package-lock.json" -nt "$zdir/package-lock.json" ]; then
		return 0
	fi
	log "installing @zombienet/cli (pinned) in zombienet/node_modules"
	# A plain install fails here: @zombienet/utils depends on toml from GitHub; package.json
	# overrides it with the registry package (shared/notes/zombienet.md).
	(cd "$zdir" && npm ci --no-audit --no-fund --loglevel=error)
}

case "${1:-}" in
install) install ;;
test | spawn)
	name="${2:-}"
	[ -n "$name" ] || { echo "usage: $0 $1 dev|consortium" >&2; exit 2; }
	install
	[ -x "$MEDCHAIN_NODE_BIN" ] || { echo "error: $MEDCHAIN_NODE_BIN is not built" >&2; exit 2; }
	export MEDCHAIN_NODE_BIN
	cd "$zdir"
	if [ "$1" = test ]; then
		[ -f "$name.zndsl" ] || { echo "error: no zombienet/$name.zndsl" >&2; exit 2; }
		start=$(date +%s)
		# zombienet stops the network when the checks end; `timeout` bounds a hung run.
		timeout 900 ./node_modules/.bin/zombienet test --provider native "$name.zndsl"
		log "zombienet $name: passed in $(($(date +%s) - start)) s"
	else
		[ -f "$name.toml" ] || { echo "error: no zombienet/$name.toml" >&2; exit 2; }
		exec ./node_modules/.bin/zombienet spawn --provider native "$name.toml"
	fi
	;;
*)
	sed -n '2,7p' "$0" >&2
	exit 2
	;;
esac
