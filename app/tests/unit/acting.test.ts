// Whom the signing screen acts for (views/consents/acting.ts): an own registered pseudonym, or a
// ward registered with this guardian key, and never a ward by itself after a read.

import { beforeAll, describe, expect, test } from "vitest";
import type { Data, Mine, WardRow } from "../../src/views/consents/state";

type Acting = typeof import("../../src/views/consents/acting");
let acting: Acting;

beforeAll(async () => {
  // patient-keys.ts (the page's keyring) listens on `document` when loaded: a stand-in.
  (globalThis as { document?: unknown }).document ??= { addEventListener: () => {} };
  acting = await import("../../src/views/consents/acting");
});

const G = `0x${"07".repeat(32)}`;
const OWN_A = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"; // //Alice, standing for own pseudonyms
const OWN_B = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"; // //Bob
const WARD = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y"; // //Charlie
const GUARDIAN = "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy"; // //Dave
const OTHER = "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw"; // //Eve

const mine = (address: string, custodian: number, registered: boolean): Mine => ({ custodian, address, registered, pending: null });
const wardRow = (guardianOnChain: string | undefined, custodian = 0): WardRow => ({
  ward: { genesis: G, custodian: 0, ward: `0x${"90".repeat(32)}`, label: "Minji" },
  address: WARD,
  guardian: GUARDIAN,
  patient: { custodian, guardian: guardianOnChain },
  pending: null,
});
const data = (m: Mine[], w: WardRow[], current: string | null): Data => ({
  genesis: G,
  ss58: 42,
  institutions: [],
  mine: m,
  wards: w,
  acting: current,
  consents: [],
  records: [],
  deny: [],
  certificates: [],
  allowance: [0, 0],
  params: { maxDuration: 0, patientAllowance: 0, allowancePeriod: 0 },
});

describe("acting for", () => {
  test("after a read: the previous choice while it may act, else the first registered own pseudonym", () => {
    const own = [mine(OWN_A, 0, false), mine(OWN_B, 2, true)];
    expect(acting.chooseActing(own, [], null)).toBe(OWN_B);
    expect(acting.chooseActing(own, [wardRow(GUARDIAN)], WARD)).toBe(WARD);
    expect(acting.chooseActing(own, [wardRow(OTHER)], WARD)).toBe(OWN_B); // the ward now has another guardian
    expect(acting.chooseActing([], [wardRow(GUARDIAN)], null)).toBeNull(); // never a ward by itself
    expect(acting.chooseActing(own, [], OWN_A)).toBe(OWN_B); // not registered (any more)
  });

  test("actingOf: the pseudonym, its custodian and the account that signs", () => {
    const row = wardRow(GUARDIAN);
    expect(acting.actingOf(data([mine(OWN_B, 2, true)], [row], OWN_B))).toEqual({ address: OWN_B, custodian: 2, signer: OWN_B, ward: null });
    expect(acting.actingOf(data([mine(OWN_B, 2, true)], [row], WARD))).toEqual({ address: WARD, custodian: 0, signer: GUARDIAN, ward: row });
    expect(acting.actingOf(data([], [wardRow(undefined)], WARD))).toBeNull();
    expect(acting.actingOf(data([], [wardRow(GUARDIAN, 3)], WARD))).toBeNull(); // registered elsewhere
    expect(acting.actingOf(data([], [], null))).toBeNull();
  });

  test("a ward's name: the label, else its address shortened", () => {
    expect(acting.wardName(wardRow(GUARDIAN))).toBe("Minji");
    const unnamed = { ...wardRow(GUARDIAN), ward: { ...wardRow(GUARDIAN).ward, label: "" } };
    expect(acting.wardName(unnamed)).toBe(`Ward ${WARD.slice(0, 6)}…${WARD.slice(-4)}`);
  });
});
