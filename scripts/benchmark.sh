#!/usr/bin/env bash
# Generates the weights.rs of MedChain's pallets by running their benchmarks on this machine.
#   ./scripts/benchmark.sh                   # all pallets
#   ./scripts/benchmark.sh pallet_records    # one pallet
#   ./scripts/benchmark.sh runtime           # the runtime's own weights (runtime/src/weights/):
#     `benchmark overhead` (empty block, base extrinsic), `benchmark storage` (ParityDB read and
#     write, on a development chain first filled with anchored records by medchain-bench) and
#     the stock pallets and transaction extensions (`benchmark pallet`)
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

runtime_weights() {
	local out="runtime/src/weights" state
	state="$(mktemp -d /tmp/medchain-weights.XXXXXX)"
	log "benchmark overhead (an empty block; a remark with every transaction extension)"
	"$MEDCHAIN_NODE_BIN" benchmark overhead --dev --base-path "$state/overhead" --database paritydb \
		--weight-path "$out/" --warmup 10 --repeat 100
	log "filling a development chain with records for the storage benchmark"
	node_pid=""
	start_dev_node "$state" 19977
	"$CARGO_TARGET_DIR/release/medchain-bench" --node ws://127.0.0.1:19977 \
		--workloads anchor-batch,transfer --count 120 --batch 512 --timeout-secs 600
	kill "$node_pid"
	wait "$node_pid" 2>/dev/null || true
	log "benchmark storage (ParityDB; writes in batches of 1,000, a block's worth; average x 1.1)"
	"$MEDCHAIN_NODE_BIN" benchmark storage --dev --base-path "$state/node" --database paritydb \
		--state-version 1 --weight-path "$out/" --batch-size 1000 --mul 1.1 --warmups 1
	for pallet in frame_system frame_system_extensions pallet_balances pallet_transaction_payment \
		pallet_timestamp pallet_sudo; do
		log "benchmarking $pallet (steps $steps, repeat $repeat)"
		"$MEDCHAIN_NODE_BIN" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
			--steps "$steps" --repeat "$repeat" --wasm-execution compiled --heap-pages 4096 \
			--output "$out/$pallet.rs"
	done
	# The generated files name crates the runtime reaches through frame-support.
	sed -i 's/use sp_weights::{constants::WEIGHT_REF_TIME_PER_NANOS, Weight};/use frame_support::weights::{constants::WEIGHT_REF_TIME_PER_NANOS, Weight};/; s/\tuse sp_weights::constants;/\tuse frame_support::weights::constants;/; s/\tuse sp_weights::RuntimeDbWeight;/\tuse frame_support::weights::RuntimeDbWeight;/; s/use sp_core::parameter_types;/use frame_support::parameter_types;/' "$out"/*.rs
	# Comments inside the struct literal are not doc comments (rustc warns), and the template's
	# words about ParityDB being experimental are not ours.
	sed -i 's|^\t\t\t///|\t\t\t//|; s|`ParityDB` can be enabled with a feature flag, but is still experimental. These weights|MedChain stores state in ParityDB only; measured by scripts/benchmark.sh runtime|; s|are available for brave runtime engineers who may want to try this out as default.|(docs/performance.md).|' "$out/paritydb_weights.rs"
	rm -rf "$state"
	log "done; weights written to $out"
}

if [ "${1:-}" = runtime ]; then
	# medchain-bench fills the chain; it is built with the workspace.
	[ -x "$CARGO_TARGET_DIR/release/medchain-bench" ] || { echo "error: build the workspace first (medchain-bench)" >&2; exit 2; }
	runtime_weights
	exit 0
fi
all_pallets=(pallet_institutions pallet_records pallet_consent pallet_exchange pallet_consortium pallet_certificates pallet_prescriptions pallet_claims)
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
