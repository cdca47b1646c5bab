// The node's `records_verify` answer held against what this browser's light client read of the
// record at a finalized block (light-client.ts `provenRecord`; docs/app.md, "Verify a document,
// proved by this browser's light client"). No DOM: unit-tested.

import type { ProvedRecord } from "./light-client";
import type { RecordVerifyAnswer } from "./rpc-types";
import { recordState, type RecordFacts, type RecordState } from "./words";

export type RecordProof =
  /** The light client reads the same verdict, versions and all, at finalized block `block`. */
  | { state: "proven"; block: number }
  /** The node's answer has a record or version newer than finalized block `block`; there, `proved`. */
  | { state: "newer"; block: number; proved: RecordState }
  /** At finalized block `block` the chain says `proved`, not what the node answered. */
  | { state: "differs"; block: number; proved: RecordState };

/** The facts a proved record gives, `matchesCurrent` worked out as the pallet does (query.rs). */
export function provedFacts(record: ProvedRecord): RecordFacts {
  if (!record.found) return { found: false };
  return {
    found: true,
    status: record.status,
    matchedVersion: record.matchedVersion,
    matchesCurrent: record.status === "Active" && record.matchedVersion === record.currentVersion,
  };
}

export function compareRecord(block: number, node: RecordVerifyAnswer, proved: ProvedRecord): RecordProof {
  const provedState = recordState(provedFacts(proved));
  const same =
    provedState === recordState(node) &&
    (!node.found ||
      !proved.found ||
      (node.currentVersion === proved.currentVersion && node.matchedVersion === proved.matchedVersion && node.status === proved.status));
  if (same) return { state: "proven", block };
  if (node.found && (!proved.found || proved.currentVersion < node.currentVersion)) return { state: "newer", block, proved: provedState };
  return { state: "differs", block, proved: provedState };
}
