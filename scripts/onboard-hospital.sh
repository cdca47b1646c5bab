#!/usr/bin/env bash
# Onboards a hospital as a validator, end to end, where the council's keys are at hand (a local
# network from scripts/network.sh, a test network, a rehearsal). On the real consortium each
# step is run by its own person with the same medchain-admin commands (docs/governance.md,
# "Onboarding a hospital").
#
# Usage: scripts/onboard-hospital.sh --rpc HOST:PORT --node HOST:PORT --name NAME
#   --rpc   a synced node of the network (motions and extrinsics go through it)
#   --node  the new hospital's node (its keystore gets the session keys; its peer id is read)
# Environment:
#   HOSPITAL_SURI       secret URI of the hospital's admin account (also its validator account)
#   COUNCIL_SURIS_FILE  file with one council member's secret URI per line: the first proposes
#                       and closes, all vote aye
#   MEDCHAIN_ADMIN      the medchain-admin binary (default: in the build's target folder)
# Steps: admission motion (skipped if the account already administers an institution), session
# keys generated on --node and registered, allow-list motion, validator motion. Each step's
# answer is medchain-admin's JSON (--output json), read with python3.
# Exit codes: 0 done; 1 a step failed (its error is printed); 2 bad usage.
set -euo pipefail
. "$(dirname "$0")/common.sh"

usage() {
	sed -n '6,13p' "$0" >&2
	exit 2
}
rpc="" keystore_node="" name=""
while [ $# -gt 0 ]; do
	case "$1" in
	--rpc) rpc="${2:-}"; shift 2 ;;
	--node) keystore_node="${2:-}"; shift 2 ;;
	--name) name="${2:-}"; shift 2 ;;
	*) echo "error: unknown argument $1" >&2; usage ;;
	esac
done
[ -n "$rpc" ] && [ -n "$keystore_node" ] && [ -n "$name" ] || usage
[ -n "${HOSPITAL_SURI:-}" ] || { echo "error: HOSPITAL_SURI is not set" >&2; exit 2; }
[ -r "${COUNCIL_SURIS_FILE:-}" ] || { echo "error: COUNCIL_SURIS_FILE is not a readable file" >&2; exit 2; }
admin="${MEDCHAIN_ADMIN:-$CARGO_TARGET_DIR/release/medchain-admin}"
[ -x "$admin" ] || { echo "error: $admin not found: build the workspace first" >&2; exit 2; }
command -v python3 >/dev/null || { echo "error: python3 is needed to read the JSON answers" >&2; exit 2; }

proposer="$(head -n 1 "$COUNCIL_SURIS_FILE")"

# medchain-admin prints one JSON object per command with --output json; field NAME of it, or
# nothing if the field is null or absent.
field() {
	python3 -c 'import json, sys
value = json.load(sys.stdin).get(sys.argv[1])
print("" if value is None else value)' "$1"
}

admin_json() { "$admin" --output json --rpc "$rpc" "$@"; }
as_hospital() { MEDCHAIN_SURI="$HOSPITAL_SURI" admin_json "$@"; }

# A motion the listed members pass: propose, every member votes aye, the proposer closes.
motion() {
	local out hash
	out="$(MEDCHAIN_SURI="$proposer" admin_json propose "$@")"
	echo "$out"
	hash="$(field hash <<<"$out")"
	[ -n "$hash" ] || { echo "error: no proposal hash in the answer" >&2; exit 1; }
	while IFS= read -r suri; do
		[ -n "$suri" ] || continue
		MEDCHAIN_SURI="$suri" admin_json vote "$hash" aye
	done <"$COUNCIL_SURIS_FILE"
	MEDCHAIN_SURI="$proposer" admin_json close "$hash"
}

answer="$(as_hospital account)"
account="$(field account <<<"$answer")"
hospital="$(field institution <<<"$answer")"
log "hospital account $account"
if [ -z "$hospital" ]; then
	log "1/4 admission motion for \"$name\""
	motion admit-hospital "$account" "$name"
	hospital="$(as_hospital account | field institution)"
	[ -n "$hospital" ] || { echo "error: the hospital was not admitted" >&2; exit 1; }
else
	log "1/4 already admitted as institution $hospital"
fi
log "institution $hospital"

log "2/4 session keys in the keystore of $keystore_node, registered on chain"
as_hospital session-keys --node "$keystore_node"

peer="$("$admin" --output json peer-id --node "$keystore_node" | field peerId)"
[ -n "$peer" ] || { echo "error: no peer id from $keystore_node" >&2; exit 1; }
log "3/4 allow-list motion for node $peer"
motion authorize-node "$peer" "$hospital"

log "4/4 validator motion for $account"
motion add-validator "$account" "$hospital"
log "done: the node is on the allow-list now and validates from the session after next"
