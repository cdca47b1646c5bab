import { describe, expect, test } from "vitest";
import { en } from "../../src/i18n";
import {
  custodianShare,
  exchangeWords,
  feeHeld,
  formatAmount,
  recordIdText,
  statusFromJson,
} from "../../src/words";

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
