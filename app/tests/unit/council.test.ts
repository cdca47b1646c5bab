// The council's motions in words (src/council.ts): thresholds, what a motion does, where it
// stands for a close, and who voted — accounts compared by public key.

import { AccountId } from "polkadot-api";
import { describe, expect, test } from "vitest";
import { holdsSeat, majority, motionCall, motionStage, sameAccount, settlementOf, voteOf } from "../../src/council";

const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const BOB_KEY = AccountId().enc(BOB);

describe("the council", () => {
  test("more than half of the seats", () => {
    expect([1, 2, 3, 4, 5, 100].map(majority)).toEqual([1, 2, 2, 3, 3, 51]);
  });

  test("a settlement in words; any other call by its name", () => {
    expect(motionCall({ type: "Exchange", value: { type: "settle_dispute", value: { request: 12n, outcome: { type: "Upheld" } } } })).toEqual({
      kind: "settle",
      request: 12,
      outcome: "Upheld",
    });
    expect(motionCall({ type: "Exchange", value: { type: "settle_dispute", value: { request: 3, outcome: { type: "Rejected" } } } })).toEqual({
      kind: "settle",
      request: 3,
      outcome: "Rejected",
    });
    expect(motionCall({ type: "Institutions", value: { type: "admit", value: {} } })).toEqual({ kind: "other", pallet: "Institutions", call: "admit" });
    // A settlement with an outcome the app does not know is shown by name, not guessed.
    expect(motionCall({ type: "Exchange", value: { type: "settle_dispute", value: { request: 3, outcome: { type: "Split" } } } }).kind).toBe("other");
  });

  test("where a motion stands for a close in the next block", () => {
    const votes = (ayes: number, nays: number, end = 100, threshold = 3) => ({
      index: 0,
      threshold,
      ayes: Array(ayes).fill(ALICE),
      nays: Array(nays).fill(BOB),
      end,
    });
    expect(motionStage(votes(3, 0), 4, 10)).toBe("passing");
    expect(motionStage(votes(1, 1), 4, 10)).toBe("open");
    // Four seats, three ayes needed: two nays leave only two possible ayes.
    expect(motionStage(votes(1, 2), 4, 10)).toBe("failing");
    // Time is up: closing counts the silent as nay.
    expect(motionStage(votes(1, 0, 10), 4, 10)).toBe("ended");
    expect(motionStage(votes(1, 0, 11), 4, 10)).toBe("open");
    // Passing wins over ended (close carries it out).
    expect(motionStage(votes(3, 0, 5), 4, 10)).toBe("passing");
  });

  test("votes and seats by public key, whatever the SS58 prefix", () => {
    const bobOtherPrefix = AccountId(0).dec(BOB_KEY);
    expect(bobOtherPrefix).not.toBe(BOB);
    expect(sameAccount(bobOtherPrefix, BOB)).toBe(true);
    expect(sameAccount(ALICE, BOB)).toBe(false);
    expect(sameAccount("garbage", BOB)).toBe(false);
    expect(voteOf({ ayes: [ALICE], nays: [bobOtherPrefix] }, BOB)).toBe("nay");
    expect(voteOf({ ayes: [ALICE], nays: [] }, ALICE)).toBe("aye");
    expect(voteOf({ ayes: [], nays: [] }, ALICE)).toBeNull();
    expect(holdsSeat([ALICE, bobOtherPrefix], BOB)).toBe(true);
    expect(holdsSeat([ALICE], BOB)).toBe(false);
  });

  test("the open settlement of a request", () => {
    const motions = [
      { call: motionCall({ type: "Institutions", value: { type: "admit" } }) },
      { call: motionCall({ type: "Exchange", value: { type: "settle_dispute", value: { request: 7n, outcome: { type: "Rejected" } } } }) },
    ];
    expect(settlementOf(motions, 7)).toBe(motions[1]);
    expect(settlementOf(motions, 8)).toBeNull();
  });
});
