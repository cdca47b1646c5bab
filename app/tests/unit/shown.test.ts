import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { freshSalt, normaliseName, recallShown, rememberShown, shownName, verifierCommitment, type Memory } from "../../src/shown";

const memory = (): Memory & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
};
const DOC = `0x${"ab".repeat(32)}`;

describe("the verifier commitment of a shown certificate", () => {
  test("SHA-256(salt ‖ UTF-8 name): deterministic given the salt and the name", async () => {
    const salt = new Uint8Array(32).fill(7);
    const expected = `0x${createHash("sha256").update(salt).update("한빛 보험 인사팀", "utf8").digest("hex")}`;
    expect(await verifierCommitment(salt, "한빛 보험 인사팀")).toBe(expected);
    expect(await verifierCommitment(salt, "  한빛   보험 인사팀 ")).toBe(expected); // spacing does not matter
  });

  test("different salts give different commitments for the same name; fresh salts differ", async () => {
    const a = freshSalt();
    const b = freshSalt();
    expect(a).toHaveLength(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(await verifierCommitment(a, "Hanbit Insurance")).not.toBe(await verifierCommitment(b, "Hanbit Insurance"));
    expect(await verifierCommitment(a, "Hanbit Insurance")).not.toBe(await verifierCommitment(a, "Hanbit Insurer"));
  });

  test("a salt that is not 32 bytes is refused", async () => {
    await expect(verifierCommitment(new Uint8Array(16), "x")).rejects.toThrow();
  });

  test("names are normalised (NFC, single spaces)", () => {
    expect(normaliseName(" a\u0301  b ")).toBe("\u00e1 b");
  });
});

describe("this browser's memory of to whom", () => {
  test("remembered by document hash and commitment, read back by the timeline", () => {
    const m = memory();
    const commitment = `0x${"cd".repeat(32)}`;
    rememberShown(m, DOC, commitment, { name: " Hanbit  Insurance ", salt: `0x${"07".repeat(32)}` });
    expect(recallShown(m, DOC.toUpperCase().replace("0X", "0x"), commitment)).toEqual({ name: "Hanbit Insurance", salt: `0x${"07".repeat(32)}` });
    expect(shownName(DOC, { holderShared: commitment }, m)).toBe("Hanbit Insurance");
    // Another certificate, another commitment, another basis: not known.
    expect(shownName(`0x${"00".repeat(32)}`, { holderShared: commitment }, m)).toBeNull();
    expect(shownName(DOC, { holderShared: `0x${"ee".repeat(32)}` }, m)).toBeNull();
    expect(shownName(DOC, { consent: 3 }, m)).toBeNull();
    expect(shownName(DOC, { holderShared: commitment }, null)).toBeNull();
  });

  test("an empty name keeps nothing; what is not ours is ignored", () => {
    const m = memory();
    rememberShown(m, DOC, "0x01", { name: "   ", salt: "0x00" });
    expect(m.map.size).toBe(0);
    m.setItem(`medchain-shown:${DOC}:0x02`, "not json");
    expect(recallShown(m, DOC, "0x02")).toBeNull();
    m.setItem(`medchain-shown:${DOC}:0x03`, JSON.stringify({ name: 3 }));
    expect(recallShown(m, DOC, "0x03")).toBeNull();
  });
});
