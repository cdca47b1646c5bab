import { describe, expect, test } from "vitest";
import { AccountId } from "polkadot-api";
import { en, type Key } from "../../src/i18n";
import {
  accountKey,
  custodianShare,
  emergencyAnnouncements,
  exchangeWords,
  feeHeld,
  formatAmount,
  recordIdText,
  statusFromJson,
  type EmergencyOpened,
} from "../../src/words";

const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
// Alice's key in another SS58 format (Kusama's, prefix 2): the same account.
const ALICE_KSM = AccountId(2).dec(AccountId(42).enc(ALICE));

const opened = (patch: Partial<EmergencyOpened> = {}): EmergencyOpened => ({
  access: 7n,
  patient: ALICE,
  institution: 0,
  expiresAt: 1_000,
  block: 40,
  ...patch,
});

describe("emergency accesses announced live", () => {
  test("an access on a shown pseudonym is announced once, with who and when", () => {
    const seen = new Set<string>();
    const first = emergencyAnnouncements([opened()], [ALICE], seen);
    expect(first).toEqual([{ access: "7", pseudonym: 1, institution: 0, block: 40, until: 1_000, key: "live.emergency" }]);
    // The same block again (finalized after best, or after a re-organisation): nothing new.
    expect(emergencyAnnouncements([opened()], [ALICE], seen)).toEqual([]);
  });

  test("an access on another pseudonym is not announced", () => {
    expect(emergencyAnnouncements([opened({ patient: BOB })], [ALICE], new Set())).toEqual([]);
  });

  test("with several pseudonyms the announcement names which one", () => {
    const found = emergencyAnnouncements([opened({ patient: BOB, access: 9n, institution: 3 })], [ALICE, BOB], new Set());
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ pseudonym: 2, institution: 3, key: "live.emergency.of" });
  });

  test("addresses match whatever their SS58 prefix", () => {
    expect(ALICE_KSM).not.toBe(ALICE);
    expect(accountKey(ALICE_KSM)).toBe(accountKey(ALICE));
    expect(emergencyAnnouncements([opened({ patient: ALICE_KSM })], [ALICE], new Set())).toHaveLength(1);
  });

  test("accesses already in the timeline are not news", () => {
    expect(emergencyAnnouncements([opened()], [ALICE], new Set(["7"]))).toEqual([]);
  });

  test("every announcement's words exist and use the placeholders given", () => {
    for (const key of ["live.emergency", "live.emergency.of", "live.emergency.until"] as Key[]) {
      expect(en[key].length).toBeGreaterThan(0);
    }
    expect(en["live.emergency"]).toContain("{institution}");
    expect(en["live.emergency"]).toContain("{time}");
    expect(en["live.emergency.of"]).toContain("{n}");
  });
});

describe("exchange requests in words", () => {
  const time = (b: number) => `T${b}`;

  test("statuses from the RPC's JSON", () => {
    expect(statusFromJson("requested")).toEqual({ state: "requested" });
    expect(statusFromJson({ delivered: { disputeUntil: 50 } })).toEqual({ state: "delivered", disputeUntil: 50 });
    expect(statusFromJson({ disputed: { reason: "MissingRecords", at: 9 } })).toEqual({ state: "disputed", reason: "MissingRecords", at: 9 });
    expect(statusFromJson({ completed: { at: 9, automatic: true } })).toEqual({ state: "completed", at: 9, automatic: true });
    expect(statusFromJson({ refunded: { at: 9, cause: "declined" } })).toEqual({ state: "refunded", at: 9, cause: "declined" });
    expect(statusFromJson({ refunded: { at: 9, cause: { consentWithdrawn: "ConsentRevoked" } } })).toEqual({
      state: "refunded",
      at: 9,
      cause: "consentWithdrawn",
      consentReason: "ConsentRevoked",
    });
  });

  test("a waiting request says by when, and warns when the deadline is near or gone", () => {
    const far = exchangeWords({ state: "requested" }, 14_500, 100, time);
    expect(far).toMatchObject({ state: "requested", tone: "ok", detail: "exchange.deadlineLeft", params: { block: 14_500, left: 14_400, time: "T14500" } });
    expect(exchangeWords({ state: "requested" }, 400, 100, time).tone).toBe("warn");
    expect(exchangeWords({ state: "requested" }, 100, 100, time)).toMatchObject({ tone: "bad", detail: "exchange.deadlinePassed" });
    expect(exchangeWords({ state: "requested" }, 100, undefined, time).detail).toBe("exchange.deadline");
  });

  test("every status and cause has its words", () => {
    const all = [
      exchangeWords({ state: "delivered", disputeUntil: 5 }, 0, 1, time),
      ...(["PackageMismatch", "MissingRecords", "RecordMismatch", "Undecryptable", "PayoutFailed"] as const).map((reason) =>
        exchangeWords({ state: "disputed", reason, at: 5 }, 0, 1, time),
      ),
      exchangeWords({ state: "completed", at: 5, automatic: true }, 0, 1, time),
      exchangeWords({ state: "completed", at: 5, automatic: false }, 0, 1, time),
      ...(["expired", "declined", "consentWithdrawn", "disputeUpheld"] as const).map((cause) =>
        exchangeWords({ state: "refunded", at: 5, cause }, 0, 1, time),
      ),
    ];
    for (const w of all) {
      expect(en[w.title], w.title).toBeTruthy();
      expect(en[w.detail], w.detail).toBeTruthy();
    }
    expect(all[0]).toMatchObject({ state: "delivered", detail: "exchange.disputeUntil", params: { block: 5 } });
    expect(all.at(-1)).toMatchObject({ state: "refunded", tone: "bad", detail: "refund.disputeUpheld" });
  });

  test("the fee is held while the request is open, and only then", () => {
    expect(feeHeld({ state: "requested" })).toBe(true);
    expect(feeHeld({ state: "delivered", disputeUntil: 1 })).toBe(true);
    expect(feeHeld({ state: "disputed", reason: "Undecryptable", at: 1 })).toBe(true);
    expect(feeHeld({ state: "completed", at: 1, automatic: false })).toBe(false);
    expect(feeHeld({ state: "refunded", at: 1, cause: "expired" })).toBe(false);
  });

  test("the custodian's share is the fee less the relay's, rounded as the pallet does", () => {
    expect(custodianShare(10_000_000_000n, 50)).toBe(9_500_000_000n);
    expect(custodianShare(999n, 50)).toBe(950n); // relay floor(49.95) = 49
    expect(custodianShare(5n, 0)).toBe(5n);
  });
});

describe("amounts and record ids", () => {
  test("amounts in MED with 12 decimals, trailing zeros dropped", () => {
    expect(formatAmount(10_000_000_000n)).toBe("0.01 MED");
    expect(formatAmount(0n)).toBe("0 MED");
    expect(formatAmount(1_234_567_000_000_000_000n)).toBe("1,234,567 MED");
    expect(formatAmount(1n)).toBe("0.000000000001 MED");
  });

  test("record ids as text when they are text, else hex", () => {
    expect(recordIdText("0x6c61622d323032362d303030303031")).toBe("lab-2026-000001");
    expect(recordIdText("0x00ff10")).toBe("0x00ff10");
    expect(recordIdText("0x0102")).toBe("0x0102");
  });
});
