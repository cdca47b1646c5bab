import { describe, expect, test } from "vitest";
import { en, ko, setLang } from "../../src/i18n";
import { entryHash, type LogState } from "../../src/log-chain";
import { compareProof } from "../../src/log-proof";
import type { Disclosure, Hex } from "../../src/rpc-types";
import { proofSentence, proofWarns, type ProofView } from "../../src/views/patient/proof";
import { chain, opened, release, stateOf, ZERO } from "./log-fixtures";

/** The log's state as it was when only the entries up to `index` existed. */
function stateAt(entries: Array<[number, Disclosure]>, index: number, first = 0, prunedHead: Hex = ZERO): LogState {
  const entry = entries.find(([i]) => i === index)!;
  return { first, next: index + 1, head: entry[1].hash, prunedHead };
}

describe("the node's log held against the light client's proved state", () => {
  const entries = chain([release(1), opened(1), release(2), release(3), release(4)]);
  const read = stateOf(entries);

  test("the proved head is the node's newest entry: proven, nothing newer", () => {
    expect(compareProof(40, read, read, entries)).toEqual({ state: "proven", block: 40, upTo: 4, newer: 0 });
  });

  test("the node shows two entries after the finalized block: proven up to the older one, two newer", () => {
    expect(compareProof(38, stateAt(entries, 2), read, entries)).toEqual({ state: "proven", block: 38, upTo: 2, newer: 2 });
  });

  test("an empty log at the finalized block: proven empty, every entry shown newer", () => {
    const empty = { first: 0, next: 0, head: ZERO, prunedHead: ZERO };
    expect(compareProof(3, empty, read, entries)).toEqual({ state: "proven", block: 3, upTo: null, newer: 5 });
    expect(compareProof(3, empty, empty, [])).toEqual({ state: "proven", block: 3, upTo: null, newer: 0 });
    // An empty log whose head is not zero is not a log the pallet writes.
    expect(compareProof(3, { ...empty, head: entries[0][1].hash }, read, entries)).toEqual({ state: "differs", block: 3, index: 0 });
  });

  test("a node that rewrote an entry and every hash after it consistently: its chain holds, the proof differs", () => {
    // The node changed entry 3's purpose and recomputed entry 3's and entry 4's hashes and the
    // head: the hash chain check passes, the proved head is the real one.
    const forged = chain([release(1), opened(1), release(2), { ...release(3), purpose: "Research" }, release(4)]);
    const forgedState = stateOf(forged);
    expect(forgedState.head).not.toBe(read.head);
    expect(compareProof(40, read, forgedState, forged)).toEqual({ state: "differs", block: 40, index: 4 });
    // Proved at a block before the forged entry, the older entries are still the chain's.
    expect(compareProof(38, stateAt(entries, 2), forgedState, forged)).toEqual({ state: "proven", block: 38, upTo: 2, newer: 2 });
  });

  test("the node's reported hash is not trusted: the entry's hash is recomputed from its fields", () => {
    const lying = entries.map(([i, e]) => [i, i === 4 ? { ...e, purpose: "Research" as const } : e] as [number, Disclosure]);
    // Entry 4 changed, its reported hash kept: the node's head equals the proved head.
    expect(compareProof(40, read, read, lying)).toEqual({ state: "differs", block: 40, index: 4 });
  });

  test("the node's answer ends before the finalized block's log: behind", () => {
    const older = entries.slice(2);
    expect(compareProof(41, read, stateOf(older), older)).toEqual({ state: "behind", block: 41, index: 4 });
  });

  test("the proved head is in a page not read: unread", () => {
    const newestOnly = entries.slice(0, 2);
    expect(compareProof(38, stateAt(entries, 2), read, newestOnly)).toEqual({ state: "unread", block: 38, index: 2 });
  });

  test("the proved head was pruned since: the node's pruned head is its hash", () => {
    const kept = entries.slice(0, 2); // entries 4 and 3 kept, 0..2 pruned
    const pruned = { ...read, first: 3, prunedHead: entries[2][1].hash };
    expect(compareProof(38, stateAt(entries, 2), pruned, kept)).toEqual({ state: "proven", block: 38, upTo: 2, newer: 2 });
    expect(compareProof(38, stateAt(entries, 2), { ...pruned, prunedHead: entries[3][1].hash }, kept)).toEqual({
      state: "differs",
      block: 38,
      index: 2,
    });
    // More than the kept range after a finalized block cannot happen: the node's answer is wrong.
    expect(compareProof(30, stateAt(entries, 0), pruned, kept)).toEqual({ state: "differs", block: 30, index: 0 });
  });

  test("an emergency entry kept outside the range is used for the proved head", () => {
    const withPruned = chain([opened(1), release(1), release(2)]);
    const pruned = { ...stateOf(withPruned), first: 2, prunedHead: withPruned[1][1].hash };
    const keptEmergency = withPruned.slice(2); // entry 0, an emergency access opened
    expect(compareProof(5, stateAt(withPruned, 0), pruned, withPruned.slice(0, 1), keptEmergency)).toEqual({
      state: "proven",
      block: 5,
      upTo: 0,
      newer: 2,
    });
    expect(entryHash(keptEmergency[0][1])).toBe(keptEmergency[0][1].hash);
  });
});

describe("the proof in words", () => {
  test("each state has its sentence in both languages, warnings for a log that is not the chain's", () => {
    const views: ProofView[] = [
      { state: "checking" },
      { state: "proven", block: 40, upTo: 4, newer: 0 },
      { state: "proven", block: 38, upTo: 2, newer: 2 },
      { state: "proven", block: 3, upTo: null, newer: 5 },
      { state: "proven", block: 3, upTo: null, newer: 0 },
      { state: "differs", block: 40, index: 4 },
      { state: "behind", block: 41, index: 4 },
      { state: "unread", block: 38, index: 2 },
      ...(["noSpec", "badSpec", "otherChain", "notSynced", "failed"] as const).map((reason) => ({ state: "none", reason }) as const),
    ];
    for (const lang of ["en", "ko"] as const) {
      setLang(lang);
      const sentences = views.map(proofSentence);
      expect(new Set(sentences).size, lang).toBe(views.length);
      for (const s of sentences) expect(s, lang).not.toMatch(/[{}]|patient\.proof/);
    }
    setLang("en");
    expect(proofSentence({ state: "proven", block: 38, upTo: 2, newer: 2 })).toBe(
      en["patient.proof.provenNewer"].replace("{index}", "2").replace("{block}", "38").replace("{newer}", "2"),
    );
    expect(ko["patient.proof.differs"]).toContain("{block}");
    expect(views.filter(proofWarns).map((v) => v.state)).toEqual(["differs", "behind"]);
    expect(proofWarns(null)).toBe(false);
  });
});
