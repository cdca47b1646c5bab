#!/usr/bin/env bash
# Builds the "next" runtime for the runtime-upgrade test of the consortium network: the same
# runtime with spec_version one higher (its cargo feature `upgrade-fixture`), as a compressed
# WASM blob. The crate `medchain-runtime-next` (runtime/next) builds it from the runtime's own
# sources in the workspace's target folder: the blob shares every compiled dependency with the
# node's runtime (only the runtime crate is compiled again for WASM, with the feature), lands
# in its own folder (`wbuild/medchain-runtime-next/`) and never replaces the node's blob. The
# workspace build (scripts/test.sh) has built it already; then this only copies it. (It builds
# the whole workspace, as test.sh does, rather than the one crate: a build of one package
# unifies the runtime's features differently and would rebuild the node's runtime.)
#
# Prints the blob's path; tests read it from MEDCHAIN_UPGRADE_WASM (scripts/test.sh sets it).
set -euo pipefail
. "$(dirname "$0")/common.sh"

out="$MEDCHAIN_CACHE/medchain_runtime_next.compact.compressed.wasm"
cd "$MEDCHAIN_ROOT"
log "building the upgrade fixture (spec_version + 1): medchain-runtime-next" >&2
medchain_build >&2
blob="$CARGO_TARGET_DIR/release/wbuild/medchain-runtime-next/medchain_runtime_next.compact.compressed.wasm"
if [ ! -s "$blob" ]; then
	echo "error: the upgrade fixture was not built: $blob is missing" >&2
	exit 1
fi
cp "$blob" "$out"
echo "$out"
