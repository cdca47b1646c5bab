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

log "building the node, the tests and the runtime-upgrade fixture (release profile, shared with run.sh)"
medchain_build

log "the runtime-upgrade fixture (the runtime with spec_version + 1, built just now)"
MEDCHAIN_UPGRADE_WASM="$("$MEDCHAIN_ROOT/scripts/build-upgrade-fixture.sh")"
export MEDCHAIN_UPGRADE_WASM

results="$MEDCHAIN_CACHE/test-output.txt"
# Everything is compiled before any test runs, so the tests never share the cores with a
# compiler: the workspace's tests (built above) and the pallets' benchmark test suites.
log "building the pallets' benchmark test suites"
bench_suites=(-p pallet-institutions -p pallet-records -p pallet-consent -p pallet-exchange -p pallet-consortium -p pallet-certificates -p pallet-prescriptions -p pallet-claims)
SKIP_WASM_BUILD=1 cargo test $MEDCHAIN_PROFILE_FLAG --locked --no-run --features runtime-benchmarks "${bench_suites[@]}"
"$MEDCHAIN_ROOT/scripts/zombienet.sh" install

# Two lanes run at once (docs/building.md): the network tests mostly wait for 6 s blocks, so
# two of them side by side take the time of one. Lane 1: every test of a four-validator
# consortium network — they all start the founders' nodes with the same node keys (the
# genesis allow-list's peer ids) on the same chain, so two at once would meet and mix (seen:
# a faults network kept from its three peers while the governance network ran) — and both
# zombienet networks (their node keys are derived from the same names); lane 2: every other
# test of the workspace (the dev-node test, the gateway's chain test, unit tests), the
# benchmark suites and the web app's tests. Each lane runs its tests one at a
# time; nodes take free ports.
# Both lanes select the whole workspace, as the build did, so cargo unifies the same features
# and compiles nothing again; they differ only in the test targets they run.
consortium_tests=(consortium_governance network_faults exchange)
other_targets=$(cargo metadata --format-version 1 --no-deps --offline | python3 -c '
import json, sys
lane1 = set(sys.argv[1:])
names = sorted({t["name"] for p in json.load(sys.stdin)["packages"] for t in p["targets"]
                if "test" in t["kind"] and t["name"] not in lane1})
print(" ".join("--test " + n for n in names))
' "${consortium_tests[@]}")
zombienet_lane() { # zombienet_lane NETWORK: one .zndsl file counts as one test
	local network="$1"
	log "zombienet: zombienet/$network.zndsl"
	if "$MEDCHAIN_ROOT/scripts/zombienet.sh" test "$network" >"$MEDCHAIN_CACHE/zombienet-$network.txt" 2>&1; then
		echo "zombienet $network.zndsl: 1 passed"
	else
		tail -n 40 "$MEDCHAIN_CACHE/zombienet-$network.txt"
		echo "zombienet $network.zndsl: 1 failed (output: $MEDCHAIN_CACHE/zombienet-$network.txt)"
		return 1
	fi
}
lane1="$MEDCHAIN_CACHE/test-lane1.txt"
lane2="$MEDCHAIN_CACHE/test-lane2.txt"
log "running the test suite in two lanes (output: $lane1, $lane2)"
(
	status=0
	# shellcheck disable=SC2046
	cargo test $MEDCHAIN_PROFILE_FLAG --locked --no-fail-fast --workspace \
		$(printf -- '--test %s ' "${consortium_tests[@]}") -- --test-threads=1 || status=1
	zombienet_lane consortium || status=1
	zombienet_lane dev || status=1
	exit $status
) >"$lane1" 2>&1 &
lane1_pid=$!
(
	status=0
	# shellcheck disable=SC2086
	cargo test $MEDCHAIN_PROFILE_FLAG --locked --no-fail-fast --workspace --lib --bins $other_targets \
		-- --test-threads=1 || status=1
	# Each pallet's benchmarks run once as tests (natively, on the mock runtime), so a
	# benchmark that no longer matches its call fails here; generating weights is
	# scripts/benchmark.sh.
	SKIP_WASM_BUILD=1 cargo test $MEDCHAIN_PROFILE_FLAG --locked --no-fail-fast --features runtime-benchmarks \
		"${bench_suites[@]}" -- bench --test-threads=1 || status=1
	# The web app (app/, docs/app.md): descriptors checked against the runtime just built, unit
	# tests, and its browser tests in Chromium against a dev node of its own.
	"$MEDCHAIN_ROOT/app/scripts/test.sh" || status=1
	exit $status
) >"$lane2" 2>&1 &
lane2_pid=$!
status=0
wait "$lane1_pid" || status=1
log "lane 1 finished"
wait "$lane2_pid" || status=1
log "lane 2 finished"
cat "$lane1" "$lane2" >"$results"
cat "$results"

passed=$(grep -Eo '[0-9]+ passed' "$results" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$results" | awk '{s+=$1} END {print s+0}')
log "test suite took $(($(date +%s) - start)) s"
echo "${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
	exit 1
fi
