// Synthetic disclosure logs for the unit tests of log-chain.ts and log-proof.ts: entries
// chained as the consent pallet chains them, and the log's state over them.

import { entryHash, ZERO, type LogState } from "../../src/log-chain";
import type { Disclosure, Hex } from "../../src/rpc-types";

export { ZERO };
export const hex = (s: string) => s.replace(/\s+/g, "");

/** A release by the hospital (1) to the clinic (2) of record "lab", on consent `n`. */
export function release(n: number): Omit<Disclosure, "hash" | "previous"> {
  return {
    custodian: 1,
    recipient: 2,
    recordId: "0x6c6162",
    category: "Laboratory",
    purpose: "Treatment",
    basis: { consent: n },
    at: 100 + n,
  };
}

export function opened(id: number): Omit<Disclosure, "hash" | "previous"> {
  return { custodian: null, recipient: 1, recordId: "0x", category: "EmergencyDataSet", purpose: "EmergencyTreatment", basis: { emergency: id }, at: 50 + id };
}

/** Entries `from..from+bodies.length` chained after `previous`, newest first as the node answers. */
export function chain(bodies: Array<Omit<Disclosure, "hash" | "previous">>, from = 0, previous: Hex = ZERO): Array<[number, Disclosure]> {
  const out: Array<[number, Disclosure]> = [];
  let prev = previous;
  bodies.forEach((b, k) => {
    const e = { ...b, previous: prev };
    const hash = entryHash(e);
    out.push([from + k, { ...e, hash }]);
    prev = hash;
  });
  return out.reverse();
}

export function stateOf(entries: Array<[number, Disclosure]>, first = entries[entries.length - 1][0], prunedHead: Hex = ZERO): LogState {
  return { first, next: entries[0][0] + 1, head: entries[0][1].hash, prunedHead };
}
