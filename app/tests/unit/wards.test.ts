// A guardian's wards in this browser (src/wards.ts): checking a ward before it is stored, the
// storage (per chain, bad entries skipped, removal), the ward's state on chain in words, and
// which wards the emergency watch follows.

import { DEV_PHRASE } from "@polkadot-labs/hdkd-helpers";
import { describe, expect, test } from "vitest";
import { address, miniSecretOf, pseudonymKey, publicKeyText } from "../../src/keyring";
import {
  addWard,
  checkWard,
  publicKeyOfAddress,
  readWards,
  removeWard,
  wardNameOf,
  wardsOf,
  wardState,
  wardsToWatch,
  WARDS_STORAGE_KEY,
  type Ward,
  type WardStorage,
} from "../../src/wards";

const G7 = `0x${"07".repeat(32)}`;
const G8 = `0x${"08".repeat(32)}`;
const WARD_KEY = pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 0).publicKey;
const WARD = address(WARD_KEY); // 5H3K…, the hospital's SS58 (generic prefix 42)
const OWN = publicKeyText(pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 1).publicKey);
const GUARDIAN = address(pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 9).publicKey);
const OTHER = address(pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 8).publicKey);

function memory(): WardStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe("adding a ward", () => {
  test("a hospital, a valid address and a short label make a ward; the label is tidied", () => {
    const r = checkWard({ custodian: 0, address: ` ${WARD} `, label: "  Minji   Kim " }, G7, [], [OWN]);
    expect(r).toEqual({ ok: true, ward: { genesis: G7, custodian: 0, ward: publicKeyText(WARD_KEY), label: "Minji Kim" } });
    // Any SS58 network prefix names the same account.
    expect(checkWard({ custodian: 0, address: address(WARD_KEY, 0), label: "" }, G7, [], []).ok).toBe(true);
  });

  test("each wrong field has its error and nothing is made", () => {
    expect(checkWard({ custodian: null, address: "", label: "x".repeat(41) }, G7, [], [])).toEqual({
      ok: false,
      errors: { hospital: "wards.error.hospital", address: "wards.error.addressMissing", label: "wards.error.label" },
    });
    const bad = WARD.slice(0, -1) + (WARD.endsWith("a") ? "b" : "a"); // checksum broken
    expect(checkWard({ custodian: 0, address: bad, label: "" }, G7, [], [])).toEqual({ ok: false, errors: { address: "wards.error.address" } });
    expect(checkWard({ custodian: 0, address: "not an address", label: "" }, G7, [], [])).toEqual({ ok: false, errors: { address: "wards.error.address" } });
    expect(checkWard({ custodian: 0, address: "0x1234", label: "" }, G7, [], [])).toEqual({ ok: false, errors: { address: "wards.error.address" } });
    expect(checkWard({ custodian: 1, address: address(pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 1).publicKey), label: "" }, G7, [], [OWN])).toEqual({
      ok: false,
      errors: { address: "wards.error.own" },
    });
    const existing: Ward = { genesis: G7, custodian: 0, ward: publicKeyText(WARD_KEY), label: "" };
    expect(checkWard({ custodian: 0, address: WARD, label: "" }, G7, [existing], [])).toEqual({ ok: false, errors: { address: "wards.error.duplicate" } });
    expect(checkWard({ custodian: 2, address: WARD, label: "" }, G7, [existing], []).ok).toBe(true); // another hospital: another guardian key
  });

  test("publicKeyOfAddress: 32-byte SS58 accounts only", () => {
    expect(publicKeyOfAddress(WARD)).toEqual(WARD_KEY);
    expect(publicKeyOfAddress("")).toBeNull();
    expect(publicKeyOfAddress("5")).toBeNull();
  });
});

describe("the wards kept in the browser", () => {
  test("added per chain, removed one by one, bad entries skipped", () => {
    const s = memory();
    expect(readWards(s)).toEqual([]);
    const a: Ward = { genesis: G7, custodian: 0, ward: publicKeyText(WARD_KEY), label: "Minji" };
    const b: Ward = { ...a, custodian: 2 };
    const c: Ward = { ...a, genesis: G8 };
    addWard(s, a);
    addWard(s, b);
    addWard(s, c);
    expect(wardsOf(s, G7)).toEqual([a, b]);
    expect(wardsOf(s, G8)).toEqual([c]);
    removeWard(s, b);
    expect(wardsOf(s, G7)).toEqual([a]);
    expect(JSON.parse(s.items.get(WARDS_STORAGE_KEY)!)).toMatchObject({ v: 1 });
    s.setItem(WARDS_STORAGE_KEY, JSON.stringify({ v: 1, wards: [a, { ...a, ward: "0x12" }, null, { label: 3 }] }));
    expect(readWards(s)).toEqual([a]);
    s.setItem(WARDS_STORAGE_KEY, "{not json");
    expect(readWards(s)).toEqual([]);
  });
});

describe("a ward's state on chain", () => {
  const ward: Ward = { genesis: G7, custodian: 0, ward: publicKeyText(WARD_KEY), label: "Minji" };
  const none = { patient: null, pending: null };
  test("each case in turn", () => {
    expect(wardState(ward, none, GUARDIAN, 10)).toBe("none");
    expect(wardState(ward, { patient: null, pending: { custodian: 0, guardian: GUARDIAN, expiresAt: 11 } }, GUARDIAN, 10)).toBe("pending");
    expect(wardState(ward, { patient: null, pending: { custodian: 0, guardian: GUARDIAN, expiresAt: 10 } }, GUARDIAN, 10)).toBe("expired");
    expect(wardState(ward, { patient: null, pending: { custodian: 0, guardian: OTHER, expiresAt: 99 } }, GUARDIAN, 10)).toBe("pendingOther");
    expect(wardState(ward, { patient: null, pending: { custodian: 0, guardian: undefined, expiresAt: 99 } }, GUARDIAN, 10)).toBe("pendingOther");
    expect(wardState(ward, { patient: null, pending: { custodian: 3, guardian: GUARDIAN, expiresAt: 99 } }, GUARDIAN, 10)).toBe("otherCustodian");
    expect(wardState(ward, { patient: { custodian: 0, guardian: GUARDIAN }, pending: null }, GUARDIAN, 10)).toBe("registered");
    // The chain's SS58 prefix may differ from the one the app formats with: the same key.
    const g = publicKeyOfAddress(GUARDIAN)!;
    expect(wardState(ward, { patient: { custodian: 0, guardian: address(g, 0) }, pending: null }, GUARDIAN, 10)).toBe("registered");
    expect(wardState(ward, { patient: { custodian: 0, guardian: OTHER }, pending: null }, GUARDIAN, 10)).toBe("otherGuardian");
    expect(wardState(ward, { patient: { custodian: 0, guardian: undefined }, pending: null }, GUARDIAN, 10)).toBe("otherGuardian");
    expect(wardState(ward, { patient: { custodian: 5, guardian: GUARDIAN }, pending: null }, GUARDIAN, 10)).toBe("otherCustodian");
    // Ever a patient (PseudonymCustodians) and no longer: ended at its custodian; another's
    // custodian is another hospital's; a registration or a new one waiting comes first.
    expect(wardState(ward, { ...none, everAt: 0 }, GUARDIAN, 10)).toBe("ended");
    expect(wardState(ward, { ...none, everAt: 4 }, GUARDIAN, 10)).toBe("otherCustodian");
    expect(wardState(ward, { ...none, everAt: null }, GUARDIAN, 10)).toBe("none");
    expect(wardState(ward, { patient: null, pending: { custodian: 0, guardian: GUARDIAN, expiresAt: 11 }, everAt: 0 }, GUARDIAN, 10)).toBe("pending");
    expect(wardState(ward, { patient: { custodian: 0, guardian: GUARDIAN }, pending: null, everAt: 0 }, GUARDIAN, 10)).toBe("registered");
    // A guardian address that does not parse never matches (not even a registration naming none).
    expect(wardState(ward, { patient: { custodian: 0, guardian: undefined }, pending: null }, "garbage", 10)).toBe("otherGuardian");
  });
});

describe("the wards the emergency watch follows", () => {
  const ward: Ward = { genesis: G7, custodian: 0, ward: publicKeyText(WARD_KEY), label: "Minji" };
  const row = (patch: Partial<Parameters<typeof wardsToWatch>[0][number]>) => ({
    ward,
    address: WARD,
    guardian: GUARDIAN,
    patient: { custodian: 0, guardian: GUARDIAN },
    pending: null,
    ...patch,
  });

  test("only a ward registered with this guardian key, named by its label and custodian", () => {
    expect(wardsToWatch([row({})], 12)).toEqual([{ address: WARD, whose: { from: "ward", custodian: 0, label: "Minji" }, since: 12 }]);
    // Waiting for the confirmation, another guardian, another hospital, left (nothing on chain): not watched.
    expect(wardsToWatch([row({ patient: null, pending: { custodian: 0, guardian: GUARDIAN, expiresAt: 99 } })], 12)).toEqual([]);
    expect(wardsToWatch([row({ patient: { custodian: 0, guardian: OTHER } })], 12)).toEqual([]);
    expect(wardsToWatch([row({ patient: { custodian: 4, guardian: GUARDIAN } })], 12)).toEqual([]);
    expect(wardsToWatch([row({ patient: null })], 12)).toEqual([]);
  });

  test("a ward's name: the guardian's label, else its address shortened", () => {
    expect(wardNameOf("Minji", WARD)).toBe("Minji");
    expect(wardNameOf("", WARD)).toBe(`Ward ${WARD.slice(0, 6)}…${WARD.slice(-4)}`);
  });
});
