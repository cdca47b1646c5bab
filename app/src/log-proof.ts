// The disclosure log as the node answered, held against the log's state that this browser's
// light client read with a proof at a finalized block (light-client.ts; docs/app.md, "The
// log's head, proved by this browser's light client").
//
// The hash chain check (log-chain.ts) proves that the entries read are one unbroken chain
// ending at the head the node reported. The light client proves the head of the log at a
// finalized block. Where the entry with that index among those read has that hash, every
// entry up to it is the chain's own (each one's hash is in its successor, up to the proven
// head); the entries after it are newer than that block and not final yet.

import { entryHash, UnencodableEntry, ZERO, type LogState } from "./log-chain";
import type { Disclosure } from "./rpc-types";

export type LogProof =
  /**
   * The entries up to `upTo` are proved (null: the log was empty at `block`); `newer` entries
   * the node showed came after that block.
   */
  | { state: "proven"; block: number; upTo: number | null; newer: number }
  /** At `block` the log's newest entry is `index`, and the node's entry `index` is not it. */
  | { state: "differs"; block: number; index: number }
  /** At `block` the log had entries up to `index`; the node's answer ends before it. */
  | { state: "behind"; block: number; index: number }
  /** The proved head is entry `index`, which is in an older page not read yet. */
  | { state: "unread"; block: number; index: number };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Holds the node's answer (`read`, the log's state on page 0, with the entries and kept
 * emergency entries read) against the state `proven` at finalized block `block`. Entries'
 * hashes are recomputed from their fields, not taken from the node.
 */
export function compareProof(
  block: number,
  proven: LogState,
  read: LogState,
  entries: ReadonlyArray<readonly [number, Disclosure]>,
  kept: ReadonlyArray<readonly [number, Disclosure]> = [],
): LogProof {
  const newest = proven.next - 1;
  if (proven.next === 0) {
    return same(proven.head, ZERO)
      ? { state: "proven", block, upTo: null, newer: read.next }
      : { state: "differs", block, index: 0 };
  }
  if (proven.next > read.next) return { state: "behind", block, index: newest };
  const byIndex = new Map<number, Disclosure>();
  for (const [i, e] of [...entries, ...kept]) byIndex.set(i, e);
  const entry = byIndex.get(newest);
  let hash: string;
  if (entry) {
    try {
      hash = entryHash(entry);
    } catch (error) {
      if (error instanceof UnencodableEntry) return { state: "differs", block, index: newest };
      throw error;
    }
  } else if (newest === read.first - 1) {
    // Pruned since: the node's pruned head is that entry's hash.
    hash = read.prunedHead;
  } else if (newest < read.first - 1) {
    // Pruned long since: more entries than a whole kept range were added after the finalized
    // block, which the pallet's rate limits make impossible within finality's few blocks.
    return { state: "differs", block, index: newest };
  } else {
    return { state: "unread", block, index: newest };
  }
  return same(hash, proven.head)
    ? { state: "proven", block, upTo: newest, newer: read.next - proven.next }
    : { state: "differs", block, index: newest };
}
