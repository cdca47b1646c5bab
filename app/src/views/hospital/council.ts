// The hospital council in the portal (docs/app.md, "The council in the portal"; the rules in
// docs/governance.md): shown to an admin whose key holds a council seat, on its own
// institution's page. The disputes this institution is a party to (as requester or custodian)
// can be put to the council — a motion `Exchange.settle_dispute(request, Upheld | Rejected)`
// with more than half of the seats as threshold (`Council.propose`; with one seat it is carried
// out at once) —, and every open motion is listed in words with its votes: vote aye or nay
// (`Council.vote`), and close it once it passed, cannot pass, or its time is up
// (`Council.close`, with the proposal's length and weight read from the chain).

import { Enum } from "polkadot-api";
import type { Chain } from "../../chain";
import { holdsSeat, majority, motionCall, motionStage, settlementOf, voteOf, type DecodedCall, type MotionCall, type Outcome, type Votes } from "../../council";
import { h } from "../../dom";
import { t, type Key } from "../../i18n";
import { blockTime, problemBox, problemOf, type Problem } from "../common";
import type { ExchangeRow, Portal } from "./data";
import { busy, progressRegion, transact, type Ctx } from "./forms";

interface MotionRow {
  hash: string;
  decoded: DecodedCall;
  call: MotionCall;
  votes: Votes;
}

const council: { readFor: Chain | null; reading: boolean; members: string[]; motions: MotionRow[]; problem: Problem | null } = {
  readFor: null,
  reading: false,
  members: [],
  motions: [],
  problem: null,
};

/** Reads the council's seats and open motions (`Council.Members`, `Proposals`, `ProposalOf`, `Voting`). */
export async function readCouncil(chain: Chain, rerender: () => void): Promise<void> {
  council.readFor = chain;
  council.reading = true;
  try {
    const api = chain.api;
    const [members, hashes] = await Promise.all([api.query.Council.Members.getValue({ at: "best" }), api.query.Council.Proposals.getValue({ at: "best" })]);
    const keys = hashes.map((hash) => [hash] as [typeof hash]);
    const [calls, votes] = await Promise.all([api.query.Council.ProposalOf.getValues(keys, { at: "best" }), api.query.Council.Voting.getValues(keys, { at: "best" })]);
    const motions: MotionRow[] = [];
    hashes.forEach((hash, i) => {
      const call = calls[i] as DecodedCall | undefined;
      const v = votes[i];
      if (!call || !v) return; // closed between the reads
      motions.push({ hash: String(hash), decoded: call, call: motionCall(call), votes: { index: v.index, threshold: v.threshold, ayes: v.ayes, nays: v.nays, end: v.end } });
    });
    council.members = members;
    council.motions = motions;
    council.problem = null;
  } catch (e) {
    council.problem = problemOf(e, chain);
  } finally {
    council.reading = false;
  }
  rerender();
}

/** Makes the council card read the chain again when it is next drawn (the portal was read again). */
export function refreshCouncil(): void {
  if (!council.reading) council.readFor = null;
}

/** The signed-in admin holds a seat (as last read). */
function seated(ctx: Ctx | null): ctx is Ctx {
  return ctx !== null && ctx.who.role === "admin" && holdsSeat(council.members, ctx.who.address);
}

function motionWords(call: MotionCall): string {
  if (call.kind === "settle") return t(call.outcome === "Upheld" ? "council.motion.upheld" : "council.motion.rejected", { id: call.request });
  return t("council.motion.other", { pallet: call.pallet, call: call.call });
}

async function propose(ctx: Ctx, request: number, outcome: Outcome): Promise<void> {
  const api = ctx.chain.api;
  const settle = api.tx.Exchange.settle_dispute({ request: BigInt(request), outcome: Enum(outcome) });
  const length = (await settle.getEncodedData()).length;
  const threshold = majority(council.members.length);
  await transact(ctx, "hospital-council", { key: "council.what.propose", params: { motion: motionWords({ kind: "settle", request, outcome }) } }, "council", () =>
    api.tx.Council.propose({ threshold, proposal: settle.decodedCall, length_bound: length }),
  );
}

async function vote(ctx: Ctx, m: MotionRow, approve: boolean): Promise<void> {
  await transact(ctx, "hospital-council", { key: approve ? "council.what.aye" : "council.what.nay", params: { motion: motionWords(m.call) } }, "council", () =>
    ctx.chain.api.tx.Council.vote({ proposal: m.hash as never, index: m.votes.index, approve }),
  );
}

/** Closes a motion: its length (the stored proposal's bytes) and weight (the runtime's answer) as bounds. */
async function close(ctx: Ctx, m: MotionRow): Promise<void> {
  const api = ctx.chain.api;
  const key = await api.query.Council.ProposalOf.getKey(m.hash as never);
  const raw = await ctx.chain.client._request<string | null>("state_getStorage", [key]);
  if (!raw) {
    await readCouncil(ctx.chain, ctx.rerender); // closed meanwhile
    return;
  }
  const length = (raw.length - 2) / 2;
  const info = await api.apis.TransactionPaymentCallApi.query_call_info(m.decoded as never, length, { at: "best" });
  await transact(ctx, "hospital-council", { key: "council.what.close", params: { motion: motionWords(m.call) } }, "council", () =>
    api.tx.Council.close({ proposal_hash: m.hash as never, index: m.votes.index, proposal_weight_bound: info.weight, length_bound: length }),
  );
}

function motionItem(ctx: Ctx, portal: Portal, m: MotionRow): HTMLElement {
  const clock = portal.clock;
  const seats = council.members.length;
  const stage = motionStage(m.votes, seats, clock ? clock.best + 1 : 0);
  const mine = voteOf(m.votes, ctx.who.address);
  const id = m.hash.slice(2, 14);
  const button = (suffix: string, label: string, act: () => void, primary = false) =>
    h("button", { type: "button", id: `motion-${id}-${suffix}`, class: primary ? "primary" : null, disabled: busy(), onclick: act }, label);
  return h(
    "li",
    { class: `item tone-${stage === "passing" ? "ok" : stage === "open" ? "warn" : "bad"}`, "data-motion": m.hash, "data-stage": stage, "data-request": m.call.kind === "settle" ? m.call.request : null },
    h("p", { class: "item-title" }, motionWords(m.call)),
    h("p", {}, t("council.votes", { ayes: m.votes.ayes.length, nays: m.votes.nays.length, seats, threshold: m.votes.threshold })),
    h("p", { class: "item-status" }, t(`council.stage.${stage}` as Key, { end: m.votes.end, time: blockTime(m.votes.end, clock) })),
    mine ? h("p", { class: "muted" }, t(mine === "aye" ? "council.voted.aye" : "council.voted.nay")) : null,
    h(
      "div",
      { class: "buttons" },
      mine !== "aye" && stage !== "ended" ? button("aye", t("council.vote.aye"), () => void vote(ctx, m, true)) : null,
      mine !== "nay" && stage !== "ended" ? button("nay", t("council.vote.nay"), () => void vote(ctx, m, false)) : null,
      stage !== "open" ? button("close", t("council.close"), () => void close(ctx, m), true) : null,
    ),
  );
}

/** The disputes this institution is a party to, with "Ask the council …" unless a motion is open. */
function disputeItem(ctx: Ctx, r: ExchangeRow): HTMLElement {
  const open = settlementOf(council.motions, r.id);
  const us = ctx.institution.id;
  return h(
    "li",
    { class: "item tone-warn", "data-request": r.id },
    h("p", { class: "item-title" }, t(r.requester === us ? "council.dispute.ours" : "council.dispute.theirs", { id: r.id })),
    open
      ? h("p", { class: "muted" }, t("council.dispute.open"))
      : h(
          "div",
          { class: "buttons" },
          h("button", { type: "button", id: `council-uphold-${r.id}`, disabled: busy(), onclick: () => void propose(ctx, r.id, "Upheld") }, t("council.ask.uphold")),
          h("button", { type: "button", id: `council-reject-${r.id}`, disabled: busy(), onclick: () => void propose(ctx, r.id, "Rejected") }, t("council.ask.reject")),
        ),
  );
}

/** The council's card (#hospital-council) for a seated admin on its own page; null otherwise. */
export function councilSection(chain: Chain, rerender: () => void, ctx: Ctx | null, portal: Portal): HTMLElement | null {
  if (ctx === null || ctx.who.role !== "admin") return null;
  if (council.readFor !== chain && !council.reading) void readCouncil(chain, rerender);
  if (!seated(ctx)) return council.problem ? problemBox(council.problem) : null;
  const disputes = portal.requests.filter((r) => r.status.state === "disputed");
  const seats = council.members.length;
  return h(
    "section",
    { class: "card", id: "hospital-council", "aria-labelledby": "hospital-council-title" },
    h("h3", { id: "hospital-council-title" }, t("council.title")),
    h("p", { class: "help" }, t("council.intro", { seats, majority: majority(seats), institution: ctx.institution.name })),
    h("h4", {}, t("council.disputes")),
    disputes.length === 0 ? h("p", { class: "empty" }, t("council.disputes.none")) : h("ul", { class: "items", id: "council-disputes" }, disputes.map((r) => disputeItem(ctx, r))),
    h("h4", {}, t("council.motions")),
    council.motions.length === 0
      ? h("p", { class: "empty", id: "council-no-motion" }, t("council.motions.none"))
      : h("ul", { class: "items", id: "council-motions" }, council.motions.map((m) => motionItem(ctx, portal, m))),
    council.problem ? problemBox(council.problem) : null,
    progressRegion("hospital-council"),
  );
}
