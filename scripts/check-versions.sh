#!/usr/bin/env bash
# Fails if any polkadot-sdk crate (sc-, sp-, frame-, pallet-, substrate-) is in the build in
# more than one version: that means two releases are mixed and the node stack compiles twice.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$MEDCHAIN_ROOT"

dups=$(cargo tree --locked --workspace -e normal,build --prefix none --format '{p}' 2>/dev/null |
	awk '{print $1, $2}' | grep -E '^(sc|sp|frame|pallet|substrate|polkadot|cumulus)-' | sort -u |
	awk '{print $1}' | uniq -d || true)
if [ -n "$dups" ]; then
	echo "check-versions: these polkadot-sdk crates appear in more than one version:" >&2
	for d in $dups; do
		cargo tree --locked --workspace -e normal,build --prefix none --format '{p}' 2>/dev/null |
			awk -v n="$d" '$1 == n {print "  " $1, $2}' | sort -u >&2
	done
	exit 1
fi
echo "check-versions: one version of each polkadot-sdk crate"
