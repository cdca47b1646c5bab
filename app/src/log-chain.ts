// The patient's own check of a disclosure log's hash chain (docs/consent.md, "The disclosure
// log"; docs/app.md, "The log's hash chain, checked in this browser"). The consent pallet
// chains each pseudonym's entries: an entry's `previous` is the hash of the entry before it
// (zero for the very first), the log's `head` the newest entry's hash, `prunedHead` the hash
// of the newest entry pruned from the kept range. An entry's hash is BLAKE2b-256 of the SCALE
// encoding of the pallet's `Disclosure` struct (pallets/consent/src/types.rs, log.rs
// `entry_hash`), which this module rebuilds from the JSON of `consent_disclosures`.
//
// What it proves: the entries read are, unaltered, one unbroken chain ending at the head the
// node reports. It trusts that node's head (docs/app.md).

import { blake2b256 } from "@polkadot-labs/hdkd-helpers";
import { Bytes, Option, ScaleEnum, Struct, _void, u32, u64, u8 } from "@polkadot-api/substrate-bindings";
import { CATEGORIES, PURPOSES } from "./consent";
import { parseHex, toHex } from "./hash";
import type { Disclosure, DisclosuresAnswer, Hex } from "./rpc-types";

/**
 * `Disclosure<u32, _>`: custodian `Option<u32>`, recipient `u32`, record id
 * `Option<BoundedVec<u8>>`, category and purpose (one-byte indexes), basis (`Consent(u64)`,
 * `Emergency(u64)`, `EmergencyReview(u64)`, `Prescription`, `HolderShared(H256)`), at `u32`,
 * previous `H256`.
 */
const disclosureCodec = Struct({
  custodian: Option(u32),
  recipient: u32,
  recordId: Option(Bytes()),
  category: u8,
  purpose: u8,
  basis: ScaleEnum({
    Consent: u64,
    Emergency: u64,
    EmergencyReview: u64,
    Prescription: _void,
    HolderShared: Bytes(32),
  }),
  at: u32,
  previous: Bytes(32),
});

type BasisValue = Parameters<typeof disclosureCodec.enc>[0]["basis"];

export class UnencodableEntry extends Error {}

/** The zero hash: the very first entry's `previous`, and a log's head while it has no entry. */
export const ZERO: Hex = `0x${"00".repeat(32)}`;

function bytes(hex: string, length?: number): Uint8Array {
  const b = parseHex(hex);
  if (!b || (length !== undefined && b.length !== length)) throw new UnencodableEntry(`not ${length ?? "some"} bytes of hex: ${hex}`);
  return b;
}

function index<T>(order: readonly T[], value: T): number {
  const i = order.indexOf(value);
  if (i < 0) throw new UnencodableEntry(`unknown code ${String(value)}`);
  return i;
}

function basisValue(basis: Disclosure["basis"]): BasisValue {
  if (basis === "prescription") return { tag: "Prescription", value: undefined };
  if ("consent" in basis) return { tag: "Consent", value: BigInt(basis.consent) };
  if ("emergency" in basis) return { tag: "Emergency", value: BigInt(basis.emergency) };
  if ("emergencyReview" in basis) return { tag: "EmergencyReview", value: BigInt(basis.emergencyReview) };
  if ("holderShared" in basis) return { tag: "HolderShared", value: bytes(basis.holderShared, 32) };
  throw new UnencodableEntry(`unknown basis ${JSON.stringify(basis)}`);
}

/**
 * The SCALE encoding of an entry as the pallet stores it. The JSON shows a missing record id
 * (an emergency access opened or flagged) as empty bytes: the pallet never stores an empty
 * record id (a release names an existing record, other pallets a 32-byte hash), so empty is
 * `None`. Throws UnencodableEntry for a code this app does not know.
 */
export function encodeEntry(entry: Omit<Disclosure, "hash">): Uint8Array {
  const recordId = bytes(entry.recordId);
  return disclosureCodec.enc({
    custodian: entry.custodian === null ? undefined : entry.custodian,
    recipient: entry.recipient,
    recordId: recordId.length === 0 ? undefined : recordId,
    category: index(CATEGORIES, entry.category),
    purpose: index(PURPOSES, entry.purpose),
    basis: basisValue(entry.basis),
    at: entry.at,
    previous: bytes(entry.previous, 32),
  });
}

/** An entry's hash (the next entry's `previous`), as 0x lower-case hex. */
export function entryHash(entry: Omit<Disclosure, "hash">): Hex {
  return toHex(blake2b256(encodeEntry(entry))) as Hex;
}

/** Which check an entry failed. */
export type ChainFault =
  /** Its fields do not give the hash the node reports for it. */
  | "hash"
  /** Its `previous` is not the hash of the entry before it. */
  | "link"
  /** It is the newest, and its hash is not the log's head. */
  | "head"
  /** It is the oldest kept, and its `previous` is not the pruned part's hash (zero if none). */
  | "pruned"
  /** An entry of the kept range was not in the node's answer. */
  | "missing"
  /** It has a code this app cannot encode (the app is older than the chain). */
  | "format";

export type ChainCheck =
  /** Every entry of the kept range was read and checked; the newest is the head. */
  | { state: "intact"; checked: number }
  /** The entries read form a chain up to the head, but older pages were not read. */
  | { state: "incomplete"; checked: number; total: number }
  /** Entry `index` failed the check `fault`. */
  | { state: "broken"; index: number; fault: ChainFault };

export type LogState = DisclosuresAnswer["log"];

/**
 * Checks the entries read of one pseudonym's log (any pages from 0 on, in any order; an index
 * read twice counts once) and the emergency entries kept outside the range against `log`,
 * the log's state on page 0.
 */
export function checkChain(
  log: LogState,
  entries: ReadonlyArray<readonly [number, Disclosure]>,
  kept: ReadonlyArray<readonly [number, Disclosure]> = [],
): ChainCheck {
  const byIndex = new Map<number, Disclosure>();
  for (const [i, e] of [...entries, ...kept]) byIndex.set(i, e);
  // Every entry's own hash, recomputed.
  const hashes = new Map<number, Hex>();
  for (const i of [...byIndex.keys()].sort((a, b) => b - a)) {
    const e = byIndex.get(i)!;
    let hash: Hex;
    try {
      hash = entryHash(e);
    } catch (error) {
      if (error instanceof UnencodableEntry) return { state: "broken", index: i, fault: "format" };
      throw error;
    }
    if (hash !== e.hash.toLowerCase()) return { state: "broken", index: i, fault: "hash" };
    hashes.set(i, hash);
  }
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  // The kept range, newest first: the newest is the head, each links to the one before it.
  const total = log.next - log.first;
  if (total <= 0) {
    return same(log.head, log.prunedHead) ? { state: "intact", checked: 0 } : { state: "broken", index: log.next, fault: "head" };
  }
  const newest = log.next - 1;
  if (!byIndex.has(newest)) return { state: "broken", index: newest, fault: "missing" };
  if (!same(hashes.get(newest)!, log.head)) return { state: "broken", index: newest, fault: "head" };
  const inRange = [...byIndex.keys()].filter((i) => i >= log.first && i < log.next).sort((a, b) => b - a);
  let checked = 1;
  for (let i = newest; i > log.first; i--) {
    const e = byIndex.get(i)!;
    const before = byIndex.get(i - 1);
    if (!before) {
      // Older pages not read: the rest of what was read must not be below a gap.
      if (inRange.some((j) => j < i - 1)) return { state: "broken", index: i - 1, fault: "missing" };
      return keptCheck(log, byIndex, hashes) ?? { state: "incomplete", checked, total };
    }
    if (!same(e.previous, hashes.get(i - 1)!)) return { state: "broken", index: i, fault: "link" };
    checked++;
  }
  // The oldest kept entry continues the pruned part (zero when nothing was pruned).
  const oldest = byIndex.get(log.first)!;
  const expected = log.first === 0 ? ZERO : log.prunedHead;
  if (!same(oldest.previous, expected) || (log.first === 0 && !same(log.prunedHead, ZERO))) {
    return { state: "broken", index: log.first, fault: "pruned" };
  }
  return keptCheck(log, byIndex, hashes) ?? { state: "intact", checked };
}

/**
 * The emergency entries kept after leaving the range (rule 4): the newest pruned one, if
 * kept, is the pruned head; a kept entry whose successor is also known is its `previous`.
 */
function keptCheck(log: LogState, byIndex: Map<number, Disclosure>, hashes: Map<number, Hex>): ChainCheck | null {
  for (const i of [...byIndex.keys()].filter((j) => j < log.first).sort((a, b) => b - a)) {
    if (i === log.first - 1 && hashes.get(i) !== log.prunedHead.toLowerCase()) {
      return { state: "broken", index: i, fault: "pruned" };
    }
    const after = byIndex.get(i + 1);
    if (after && after.previous.toLowerCase() !== hashes.get(i)) return { state: "broken", index: i + 1, fault: "link" };
  }
  return null;
}
