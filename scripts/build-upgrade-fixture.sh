#!/usr/bin/env bash
# Builds the "next" runtime for the runtime-upgrade test of the consortium network: the same
# runtime with spec_version one higher (cargo feature `upgrade-fixture`), as a compressed WASM
# blob. It goes through its own target folder so that the node's build is not disturbed; the
# first run compiles the runtime's dependencies once (natively checked, and for WASM), later
# runs only our crates.
#
# Prints the blob's path; tests read it from MEDCHAIN_UPGRADE_WASM (scripts/test.sh sets it).
set -euo pipefail
. "$(dirname "$0")/common.sh"

fixture_target="$MEDCHAIN_CACHE/upgrade-fixture-target"
out="$MEDCHAIN_CACHE/medchain_runtime_next.compact.compressed.wasm"
cd "$MEDCHAIN_ROOT"
log "building the upgrade fixture (spec_version + 1) in $fixture_target" >&2
# `cargo check` is enough: the runtime's build script builds the WASM blob in full.
CARGO_TARGET_DIR="$fixture_target" cargo check --release --locked -p medchain-runtime \
	--features upgrade-fixture >&2
blob="$fixture_target/release/wbuild/medchain-runtime/medchain_runtime.compact.compressed.wasm"
if [ ! -s "$blob" ]; then
	echo "error: the upgrade fixture was not built: $blob is missing" >&2
	exit 1
fi
cp "$blob" "$out"
echo "$out"
