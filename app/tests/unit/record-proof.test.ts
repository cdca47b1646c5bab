import { describe, expect, test } from "vitest";
import { setLang } from "../../src/i18n";
import type { ProvedRecord } from "../../src/light-client";
import { compareRecord, provedFacts } from "../../src/record-proof";
import type { RecordVerifyAnswer } from "../../src/rpc-types";
import { recordProofSentence, type RecordProofView } from "../../src/views/verify-proof";
import { recordState } from "../../src/words";

const version = { contentHash: `0x${"11".repeat(32)}`, size: 10, format: "FhirJson", anchoredAt: 5, anchoredAtMs: 1, anchoredBy: "5x", status: "Current" };

/** A node's answer: the record at `current` versions, the file matching `matched`. */
function answer(current: number, matched: number | null, status: "Active" | "Retracted" | "Erased" = "Active"): RecordVerifyAnswer {
  return {
    found: true,
    matchesCurrent: status === "Active" && matched === current,
    matchedVersion: matched,
    matched: matched === null ? null : version,
    currentVersion: current,
    current: version,
    category: "Laboratory",
    status,
  } as RecordVerifyAnswer;
}

const proved = (current: number, matched: number | null, status: "Active" | "Retracted" | "Erased" = "Active"): ProvedRecord => ({
  found: true,
  status,
  currentVersion: current,
  matchedVersion: matched,
});

describe("the node's records_verify held against the light client's reading", () => {
  test("the same verdict and versions: proven, whatever the verdict", () => {
    expect(compareRecord(9, answer(1, 1), proved(1, 1))).toEqual({ state: "proven", block: 9 });
    expect(compareRecord(9, answer(2, null), proved(2, null))).toEqual({ state: "proven", block: 9 });
    expect(compareRecord(9, answer(2, 1), proved(2, 1))).toEqual({ state: "proven", block: 9 });
    expect(compareRecord(9, { found: false }, { found: false })).toEqual({ state: "proven", block: 9 });
  });

  test("a node that calls a tampered file current: differs, the chain says altered", () => {
    expect(compareRecord(9, answer(1, 1), proved(1, null))).toEqual({ state: "differs", block: 9, proved: "altered" });
  });

  test("a node that hides a retraction or an erasure: differs", () => {
    expect(compareRecord(9, answer(1, 1), proved(1, 1, "Retracted"))).toEqual({ state: "differs", block: 9, proved: "retracted" });
    expect(compareRecord(9, answer(1, 1), proved(1, 1, "Erased"))).toEqual({ state: "differs", block: 9, proved: "erased" });
  });

  test("a node that says unknown of a record the chain has: differs", () => {
    expect(compareRecord(9, { found: false }, proved(1, 1))).toEqual({ state: "differs", block: 9, proved: "current" });
  });

  test("a version or a record anchored after the finalized block: newer, with what the chain says there", () => {
    expect(compareRecord(9, answer(2, 2), proved(1, null))).toEqual({ state: "newer", block: 9, proved: "altered" });
    expect(compareRecord(9, answer(1, 1), { found: false })).toEqual({ state: "newer", block: 9, proved: "unknown" });
  });

  test("the same verdict with other version numbers is not proven", () => {
    expect(compareRecord(9, answer(3, 1), proved(3, 2))).toEqual({ state: "differs", block: 9, proved: "older" });
  });

  test("matchesCurrent is worked out as the pallet does: active and the current version", () => {
    expect(recordState(provedFacts(proved(2, 2)))).toBe("current");
    expect(recordState(provedFacts(proved(2, 2, "Retracted")))).toBe("retracted");
    expect(recordState(provedFacts(proved(2, 1)))).toBe("older");
    expect(recordState(provedFacts({ found: false }))).toBe("unknown");
  });
});

describe("the record's proof in words", () => {
  test("each state has its own sentence in both languages", () => {
    const views: RecordProofView[] = [
      { state: "checking" },
      { state: "proven", block: 9 },
      { state: "newer", block: 9, proved: "unknown" },
      ...(["current", "older", "retracted", "erased", "altered", "unknown"] as const).map((proved) => ({ state: "differs", block: 9, proved }) as const),
      ...(["noSpec", "badSpec", "otherChain", "notSynced", "failed"] as const).map((reason) => ({ state: "none", reason }) as const),
    ];
    for (const lang of ["en", "ko"] as const) {
      setLang(lang);
      const sentences = views.map(recordProofSentence);
      expect(new Set(sentences).size, lang).toBe(views.length);
      for (const s of sentences) expect(s, lang).not.toMatch(/[{}]|verify\.proof|proof\.none/);
    }
    setLang("en");
    expect(recordProofSentence({ state: "differs", block: 9, proved: "altered" })).toContain("no version has this content (altered)");
  });
});
