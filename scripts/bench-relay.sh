#!/usr/bin/env bash
# The relay benchmark (issue 15): `medchain-relay bench` sends one package through a relay on
# loopback (a child process with the default configuration over a chain of the bench's making)
# and prints upload and download MB/s and the relay's memory sampled throughout. Run at two
# sizes to show that memory does not grow with the package. Outside CI; the figures go to
# docs/relay.md and docs/benchmarks.md.
#   ./scripts/bench-relay.sh [size MiB ...]     (default: 64 1024)
# Environment: MEDCHAIN_BENCH_DIR (default /tmp) for the package, the relay's data and the
# download (three times the largest size is written, then removed).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(64 1024)
"$MEDCHAIN_ROOT/scripts/init.sh"
medchain_build
for size in "${sizes[@]}"; do
	log "package of $size MiB"
	"$CARGO_TARGET_DIR/release/medchain-relay" bench --size-mib "$size" --dir "${MEDCHAIN_BENCH_DIR:-/tmp}"
done
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(df -h "${MEDCHAIN_BENCH_DIR:-/tmp}" | awk 'NR==2 {print $1}') disk"
