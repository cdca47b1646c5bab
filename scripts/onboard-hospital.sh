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
# keys generated on --node and registered, allow-list motion, validator motion.
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

proposer="$(head -n 1 "$COUNCIL_SURIS_FILE")"

as_hospital() { MEDCHAIN_SURI="$HOSPITAL_SURI" "$admin" --rpc "$rpc" "$@"; }

# A motion the listed members pass: propose, every member votes aye, the proposer closes.
motion() {
	local out hash
	out="$(MEDCHAIN_SURI="$proposer" "$admin" --rpc "$rpc" propose "$@")"
	echo "$out"
	hash="$(awk '/^proposal /{print $2}' <<<"$out")"
	[ -n "$hash" ] || { echo "error: no proposal hash in the answer" >&2; exit 1; }
	while IFS= read -r suri; do
		[ -n "$suri" ] || continue
		MEDCHAIN_SURI="$suri" "$admin" --rpc "$rpc" vote "$hash" aye
	done <"$COUNCIL_SURIS_FILE"
	MEDCHAIN_SURI="$proposer" "$admin" --rpc "$rpc" close "$hash"
}

account="$(as_hospital account | awk '/^account /{print $2}')"
hospital="$(as_hospital account | awk '/^institution /{print $2}')"
log "hospital account $account"
if [ -z "$hospital" ]; then
	log "1/4 admission motion for \"$name\""
	motion admit-hospital "$account" "$name"
	hospital="$(as_hospital account | awk '/^institution /{print $2}')"
	[ -n "$hospital" ] || { echo "error: the hospital was not admitted" >&2; exit 1; }
else
	log "1/4 already admitted as institution $hospital"
fi
log "institution $hospital"

log "2/4 session keys in the keystore of $keystore_node, registered on chain"
as_hospital session-keys --node "$keystore_node"

peer="$("$admin" peer-id --node "$keystore_node")"
log "3/4 allow-list motion for node $peer"
motion authorize-node "$peer" "$hospital"

log "4/4 validator motion for $account"
motion add-validator "$account" "$hospital"
log "done: the node is on the allow-list now and validates from the session after next"
