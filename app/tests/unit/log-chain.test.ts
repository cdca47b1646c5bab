import { describe, expect, test } from "vitest";
import { blake2b256 } from "@polkadot-labs/hdkd-helpers";
import { toHex } from "../../src/hash";
import { en, ko, setLang } from "../../src/i18n";
import { chainSentence } from "../../src/views/patient/chain-status";
import { CATEGORIES as CATEGORY_ORDER, PURPOSES as PURPOSE_ORDER } from "../../src/consent";
import { checkChain, encodeEntry, entryHash } from "../../src/log-chain";
import type { Disclosure, Hex } from "../../src/rpc-types";
import { chain, hex, opened, release, stateOf, ZERO } from "./log-fixtures";

describe("the SCALE encoding of an entry (pallets/consent/src/types.rs, Disclosure)", () => {
  test("a release on a consent: Some(custodian), recipient, Some(record id), codes, Consent(u64), at, previous", () => {
    const e = { ...release(7), previous: `0x${"ab".repeat(32)}` as Hex };
    expect(toHex(encodeEntry(e))).toBe(
      hex(`0x 01 01000000  02000000  01 0c 6c6162  01  00  00 0700000000000000  6b000000 ${"ab".repeat(32)}`),
    );
    expect(entryHash(e)).toBe(toHex(blake2b256(encodeEntry(e))));
  });

  test("an emergency access opened: no custodian, no record id (empty in the JSON)", () => {
    const e = { ...opened(3), previous: ZERO };
    expect(toHex(encodeEntry(e))).toBe(hex(`0x 00  01000000  00  07  01  01 0300000000000000  35000000 ${"00".repeat(32)}`));
  });

  test("the other bases: EmergencyReview(u64), Prescription, HolderShared(H256)", () => {
    const base = { ...release(1), previous: ZERO };
    // The basis starts after custodian (5 bytes), recipient (4), record id (5), codes (2).
    const basisBytes = (basis: Disclosure["basis"]) => toHex(encodeEntry({ ...base, basis })).slice(2 + 2 * 16, -2 * 36);
    expect(basisBytes({ consent: 1 })).toBe("000100000000000000");
    expect(basisBytes({ emergencyReview: 2 })).toBe("020200000000000000");
    expect(basisBytes("prescription")).toBe("03");
    expect(basisBytes({ holderShared: `0x${"cd".repeat(32)}` })).toBe(`04${"cd".repeat(32)}`);
  });

  test("category and purpose indexes follow the Rust enums' order", () => {
    expect(CATEGORY_ORDER.indexOf("EmergencyDataSet")).toBe(7);
    expect(CATEGORY_ORDER.indexOf("Other")).toBe(10);
    expect(PURPOSE_ORDER.indexOf("PatientRequest")).toBe(6);
  });
});

describe("the hash chain of a log", () => {
  test("a whole log from entry 0: intact, every entry checked", () => {
    const entries = chain([release(1), opened(1), release(2), release(3)]);
    expect(checkChain(stateOf(entries), entries)).toEqual({ state: "intact", checked: 4 });
  });

  test("an empty log is intact with nothing to check", () => {
    expect(checkChain({ first: 0, next: 0, head: ZERO, prunedHead: ZERO }, [])).toEqual({ state: "intact", checked: 0 });
  });

  test("the first entry's previous must be zero", () => {
    const entries = chain([release(1), release(2)], 0, `0x${"11".repeat(32)}`);
    expect(checkChain(stateOf(entries), entries)).toEqual({ state: "broken", index: 0, fault: "pruned" });
  });

  test("a pruned log: the oldest kept entry continues the pruned head", () => {
    const all = chain([release(1), opened(2), release(3), release(4), release(5)]);
    const kept = all.slice(0, 3); // entries 4, 3, 2
    const prunedHead = all[3][1].hash; // entry 1 (the emergency access)
    expect(checkChain(stateOf(kept, 2, prunedHead), kept)).toEqual({ state: "intact", checked: 3 });
    expect(checkChain(stateOf(kept, 2, ZERO), kept)).toEqual({ state: "broken", index: 2, fault: "pruned" });
    // The emergency entry kept outside the range is the pruned head.
    expect(checkChain(stateOf(kept, 2, prunedHead), kept, [all[3]])).toEqual({ state: "intact", checked: 3 });
    const forged: [number, Disclosure] = [1, { ...all[3][1], at: 1 }];
    forged[1].hash = entryHash(forged[1]);
    expect(checkChain(stateOf(kept, 2, prunedHead), kept, [forged])).toEqual({ state: "broken", index: 1, fault: "pruned" });
  });

  test("only the newest page read: incomplete, the pages read checked", () => {
    const entries = chain([release(1), release(2), release(3), release(4), release(5)]);
    const log = stateOf(entries);
    expect(checkChain(log, entries.slice(0, 2))).toEqual({ state: "incomplete", checked: 2, total: 5 });
    // Pages read in any order, one entry read twice (the log grew between pages).
    expect(checkChain(log, [...entries.slice(2), ...entries.slice(0, 3)])).toEqual({ state: "intact", checked: 5 });
  });

  test("a tampered field: broken at that entry, its hash does not match", () => {
    const entries = chain([release(1), release(2), release(3)]);
    const tampered = entries.map(([i, e]): [number, Disclosure] => [i, i === 1 ? { ...e, recipient: 9 } : e]);
    expect(checkChain(stateOf(entries), tampered)).toEqual({ state: "broken", index: 1, fault: "hash" });
  });

  test("a tampered entry with its hash recomputed: the next entry's link breaks", () => {
    const entries = chain([release(1), release(2), release(3)]);
    const forged = { ...entries[1][1], purpose: "Research" as const };
    forged.hash = entryHash(forged);
    const tampered = entries.map(([i, e]): [number, Disclosure] => [i, i === 1 ? forged : e]);
    expect(checkChain(stateOf(entries), tampered)).toEqual({ state: "broken", index: 2, fault: "link" });
  });

  test("an entry missing from the answer: broken, missing", () => {
    const entries = chain([release(1), release(2), release(3), release(4)]);
    const gap = entries.filter(([i]) => i !== 1);
    expect(checkChain(stateOf(entries), gap)).toEqual({ state: "broken", index: 1, fault: "missing" });
    expect(checkChain(stateOf(entries), entries.slice(1))).toEqual({ state: "broken", index: 3, fault: "missing" });
  });

  test("a newest entry that is not the head: broken, head", () => {
    const entries = chain([release(1), release(2)]);
    expect(checkChain({ ...stateOf(entries), head: `0x${"22".repeat(32)}` }, entries)).toEqual({ state: "broken", index: 1, fault: "head" });
  });

  test("an entry with a code this app does not know: broken, format", () => {
    const entries = chain([release(1)]);
    const odd = { ...entries[0][1], category: "Genomics" as Disclosure["category"] };
    expect(checkChain(stateOf(entries), [[0, odd]])).toEqual({ state: "broken", index: 0, fault: "format" });
  });
});

describe("the patient screen's line in words", () => {
  test("intact, empty, incomplete and broken, the advice only when the node is to blame", () => {
    setLang("en");
    expect(chainSentence({ state: "intact", checked: 12 })).toBe(en["patient.chain.intact"].replace("{count}", "12"));
    expect(chainSentence({ state: "intact", checked: 0 })).toBe(en["patient.chain.empty"]);
    expect(chainSentence({ state: "incomplete", checked: 20, total: 45 })).toContain("20 of 45");
    const broken = chainSentence({ state: "broken", index: 3, fault: "link" });
    expect(broken).toContain("#3");
    expect(broken).toContain(en["patient.chain.fault.link"]);
    expect(broken).toContain(en["patient.chain.brokenAdvice"]);
    expect(chainSentence({ state: "broken", index: 3, fault: "format" })).not.toContain(en["patient.chain.brokenAdvice"]);
    setLang("ko");
    expect(chainSentence({ state: "broken", index: 3, fault: "hash" })).toContain(ko["patient.chain.fault.hash"]);
    setLang("en");
  });
});
