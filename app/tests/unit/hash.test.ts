import { describe, expect, test } from "vitest";
import { contentHash, parseHex, parseRecordId, parseSalt, toHex } from "../../src/hash";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("the content hash: SHA-256(salt ‖ document) with WebCrypto", () => {
  test("the example of docs/records.md", async () => {
    const salt = new Uint8Array(32).fill(7);
    const document = utf8('{"resourceType":"DiagnosticReport","status":"final","code":{"text":"CBC"}}');
    expect(await contentHash(salt, document)).toBe("0x88d7755f66071105cffda08ca123f99c5ad81031f79437455442d3270027d7eb");
  });

  test("the salt comes first: SHA-256 of the concatenation", async () => {
    // SHA-256("abc") (FIPS 180-2 test vector), split between salt and document.
    const expected = "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    expect(await contentHash(utf8("a"), utf8("bc"))).toBe(expected);
    expect(await contentHash(utf8(""), utf8("abc"))).toBe(expected);
    expect(await contentHash(utf8("abc"), utf8(""))).toBe(expected);
    expect(await contentHash(utf8("b"), utf8("ac"))).not.toBe(expected);
  });

  test("an empty document is hashed too", async () => {
    // SHA-256 of 32 zero bytes.
    expect(await contentHash(new Uint8Array(32), new Uint8Array())).toBe(
      "0x66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925",
    );
  });
});

describe("parsing what the user typed", () => {
  test("hex with or without 0x, spaces ignored", () => {
    expect(parseHex("0x0aFF")).toEqual(new Uint8Array([10, 255]));
    expect(parseHex("0a ff\n")).toEqual(new Uint8Array([10, 255]));
    expect(parseHex("")).toEqual(new Uint8Array());
    expect(parseHex("0xabc")).toBeNull();
    expect(parseHex("zz")).toBeNull();
    expect(toHex(new Uint8Array([0, 1, 254]))).toBe("0x0001fe");
  });

  test("the salt is exactly 32 bytes", () => {
    expect(parseSalt("07".repeat(32))).toEqual(new Uint8Array(32).fill(7));
    expect(parseSalt(`0x${"07".repeat(32)}`)).toEqual(new Uint8Array(32).fill(7));
    expect(parseSalt("07".repeat(31))).toBeNull();
    expect(parseSalt("07".repeat(33))).toBeNull();
    expect(parseSalt("not hex at all")).toBeNull();
  });

  test("a record id is text or 0x-hex, 1 to 64 bytes", () => {
    expect(parseRecordId("lab-2026-000001")).toEqual(utf8("lab-2026-000001"));
    expect(parseRecordId("  lab-1 ")).toEqual(utf8("lab-1"));
    expect(parseRecordId("0x6c6162")).toEqual(utf8("lab"));
    expect(parseRecordId("검사-1")).toEqual(utf8("검사-1"));
    expect(parseRecordId("")).toBeNull();
    expect(parseRecordId("0x")).toBeNull();
    expect(parseRecordId("0xzz")).toBeNull();
    expect(parseRecordId("x".repeat(64))).not.toBeNull();
    expect(parseRecordId("x".repeat(65))).toBeNull();
  });
});
