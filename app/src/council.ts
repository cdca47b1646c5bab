// The hospital council's motions in words, without DOM or node (unit-tested; docs/governance.md,
// "The council"; docs/app.md, "The council in the portal"). A motion is a call that members
// vote on (`Council.propose`, `vote`, `close`); it passes with `threshold` ayes, and members
// who do not vote count as nay (`AbstentionsCountAsNay`): at its end a motion without enough
// ayes fails. Settling a dispute (`Exchange.settle_dispute`) needs more than half of the seats.

import { publicKeyText } from "./keyring";
import { publicKeyOfAddress } from "./wards";

/** More than half of `seats` (what `RootOrCouncilMajority` asks for). */
export function majority(seats: number): number {
  return Math.floor(seats / 2) + 1;
}

export type Outcome = "Upheld" | "Rejected";

/** What a motion would do, as the portal words it. */
export type MotionCall = { kind: "settle"; request: number; outcome: Outcome } | { kind: "other"; pallet: string; call: string };

/** A RuntimeCall as polkadot-api decodes it: `{type: pallet, value: {type: call, value: args}}`. */
export interface DecodedCall {
  type: string;
  value: { type: string; value?: unknown };
}

export function motionCall(call: DecodedCall): MotionCall {
  if (call.type === "Exchange" && call.value.type === "settle_dispute") {
    const args = call.value.value as { request: bigint | number; outcome: { type: string } };
    const outcome = args?.outcome?.type;
    if (outcome === "Upheld" || outcome === "Rejected") return { kind: "settle", request: Number(args.request), outcome };
  }
  return { kind: "other", pallet: call.type, call: call.value.type };
}

/** A motion's votes (`Council.Voting`). */
export interface Votes {
  index: number;
  threshold: number;
  ayes: string[];
  nays: string[];
  end: number;
}

/**
 * Where a motion stands for a `close` in the next block (`nextBlock`):
 * - `passing`: enough ayes — closing carries it out;
 * - `failing`: so many nays that it cannot pass — closing ends it;
 * - `ended`: its time is up — closing counts those who did not vote as nay;
 * - `open`: voting goes on; it cannot be closed yet.
 */
export type MotionStage = "passing" | "failing" | "ended" | "open";

export function motionStage(votes: Votes, seats: number, nextBlock: number): MotionStage {
  if (votes.ayes.length >= votes.threshold) return "passing";
  if (seats - votes.nays.length < votes.threshold) return "failing";
  if (nextBlock >= votes.end) return "ended";
  return "open";
}

/** Whether the same account: addresses compared by public key (the prefix may differ). */
export function sameAccount(a: string, b: string): boolean {
  const x = publicKeyOfAddress(a);
  const y = publicKeyOfAddress(b);
  return x !== null && y !== null && publicKeyText(x) === publicKeyText(y);
}

/** How `me` voted on a motion, if at all. */
export function voteOf(votes: Pick<Votes, "ayes" | "nays">, me: string): "aye" | "nay" | null {
  if (votes.ayes.some((a) => sameAccount(a, me))) return "aye";
  if (votes.nays.some((a) => sameAccount(a, me))) return "nay";
  return null;
}

/** Whether `me` holds a seat. */
export const holdsSeat = (members: string[], me: string): boolean => members.some((m) => sameAccount(m, me));

/** The open settlement motion on a request, if any (one at a time is enough for a dispute). */
export function settlementOf<T extends { call: MotionCall }>(motions: T[], request: number): T | null {
  return motions.find((m) => m.call.kind === "settle" && m.call.request === request) ?? null;
}
