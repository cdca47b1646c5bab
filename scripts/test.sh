#!/usr/bin/env bash
# Prepares the machine, builds everything and runs the whole test suite.
# Prints a closing line "N passed, N failed" and exits non-zero if anything failed.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"

start=$(date +%s)
"$MEDCHAIN_ROOT/scripts/init.sh"

log "checking formatting"
cargo fmt --all -- --check

log "checking lints (clippy, warnings are errors)"
cargo clippy $MEDCHAIN_PROFILE_FLAG --locked --workspace --all-targets --quiet -- -D warnings

log "checking the documentation's links (cargo doc; broken or private intra-doc links are errors)"
RUSTDOCFLAGS="-D rustdoc::broken_intra_doc_links -D rustdoc::private_intra_doc_links" \
	cargo doc $MEDCHAIN_PROFILE_FLAG --locked --no-deps --workspace --quiet

log "checking that one polkadot-sdk release is used"
"$MEDCHAIN_ROOT/scripts/check-versions.sh"

log "building the node and the tests (release profile, shared with run.sh)"
medchain_build

log "building the runtime-upgrade fixture (the runtime with spec_version + 1)"
MEDCHAIN_UPGRADE_WASM="$("$MEDCHAIN_ROOT/scripts/build-upgrade-fixture.sh")"
export MEDCHAIN_UPGRADE_WASM

log "running the test suite"
results="$MEDCHAIN_CACHE/test-output.txt"
set +e
cargo test $MEDCHAIN_PROFILE_FLAG --locked --workspace --no-fail-fast -- --test-threads=1 2>&1 | tee "$results"
status=${PIPESTATUS[0]}

# Each pallet's benchmarks run once as tests (natively, on the mock runtime), so a benchmark
# that no longer matches its call fails here; generating weights is scripts/benchmark.sh.
log "running the pallets' benchmark test suites"
SKIP_WASM_BUILD=1 cargo test $MEDCHAIN_PROFILE_FLAG --locked --no-fail-fast --features runtime-benchmarks \
	-p pallet-institutions -p pallet-records -p pallet-consent -p pallet-exchange -p pallet-consortium -- bench --test-threads=1 2>&1 | tee -a "$results"
bench_status=${PIPESTATUS[0]}
set -e
if [ "$bench_status" -ne 0 ]; then status=$bench_status; fi

# The zombienet checks (native provider: nodes as local processes). Each .zndsl file counts
# as one test: it passes when all its assertions pass.
for network in dev consortium; do
	log "zombienet: zombienet/$network.zndsl"
	if "$MEDCHAIN_ROOT/scripts/zombienet.sh" test "$network" >"$MEDCHAIN_CACHE/zombienet-$network.txt" 2>&1; then
		echo "zombienet $network.zndsl: 1 passed" | tee -a "$results"
	else
		tail -n 40 "$MEDCHAIN_CACHE/zombienet-$network.txt"
		echo "zombienet $network.zndsl: 1 failed (output: $MEDCHAIN_CACHE/zombienet-$network.txt)" | tee -a "$results"
		status=1
	fi
done

passed=$(grep -Eo '[0-9]+ passed' "$results" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$results" | awk '{s+=$1} END {print s+0}')
log "test suite took $(($(date +%s) - start)) s"
echo "${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
	exit 1
fi
