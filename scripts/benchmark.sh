#!/usr/bin/env bash
# Generates the weights.rs of MedChain's pallets by running their benchmarks on this machine.
#   ./scripts/benchmark.sh                   # all pallets
#   ./scripts/benchmark.sh pallet_records    # one pallet
# Builds medchain-node with the runtime-benchmarks feature (a second build, kept out of CI).
# Environment: STEPS (default 50), REPEAT (default 20).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"

"$MEDCHAIN_ROOT/scripts/init.sh"
log "building medchain-node with --features runtime-benchmarks"
cargo build $MEDCHAIN_PROFILE_FLAG --locked -p medchain-node --features runtime-benchmarks

steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
all_pallets=(pallet_institutions pallet_records pallet_consent pallet_exchange pallet_consortium)
pallets=("${@:-${all_pallets[@]}}")
for pallet in "${pallets[@]}"; do
	dir="pallets/${pallet#pallet_}"
	[ -d "$dir" ] || { echo "benchmark: unknown pallet $pallet (no $dir)" >&2; exit 2; }
	log "benchmarking $pallet (steps $steps, repeat $repeat)"
	"$MEDCHAIN_NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/weight-template.hbs \
		--output "$dir/src/weights.rs" | tee "$MEDCHAIN_CACHE/benchmark-$pallet.txt"
done
log "done; weights written to pallets/*/src/weights.rs"
