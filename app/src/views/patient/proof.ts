// The patient screen's second half of each pseudonym's chain line: the log's head proved by
// this browser's light client (src/light-client.ts, src/log-proof.ts; docs/app.md, "The log's
// head, proved by this browser's light client"). Started once per reading of a log whose hash
// chain holds; when the node's answer is older than the light client's finalized block, the
// log is read again once and held against the proof again.

import { t, type Key } from "../../i18n";
import { LightClientError, provenLogState, type LightFailure } from "../../light-client";
import { compareProof, type LogProof } from "../../log-proof";
import type { Hex } from "../../rpc-types";
import { rereadLog } from "./load";
import { screen, state, type Loaded, type Log, type Pseudonym } from "./state";

export type ProofView = LogProof | { state: "checking" } | { state: "none"; reason: LightFailure };

const proofs = new WeakMap<Log, ProofView>();
/**
 * The proof of `p`'s log as read (started on first asking). When it is known, `redrawLine`
 * draws the chain lines again in place (not the whole screen: the focus, on the timeline's
 * heading say, stays where it is).
 */
export function proofOf(loaded: Loaded, p: Pseudonym, redrawLine: () => void): ProofView {
  const known = proofs.get(p.log);
  if (known) return known;
  const checking: ProofView = { state: "checking" };
  proofs.set(p.log, checking);
  void prove(loaded, p, p.log, redrawLine);
  return checking;
}

async function prove(loaded: Loaded, p: Pseudonym, log: Log, redrawLine: () => void): Promise<void> {
  let result: ProofView;
  try {
    // The node's finalized block now (not older than when the log was read), at least #1: the
    // light client starts at the genesis and has proved nothing until it has synced.
    const atLeast = Math.max(1, (await loaded.chain.client.getFinalizedBlock()).number);
    const { genesisHash } = await loaded.chain.client.getChainSpecData();
    const proven = await provenLogState(p.address, atLeast, genesisHash as Hex);
    let read = log;
    let compared = compareProof(proven.block, proven.state, read.state, read.entries, read.kept);
    if (compared.state === "behind" && p.log === log) {
      // The log grew between the node's answer and the light client's block: read it again.
      await rereadLog(loaded.chain, p);
      read = p.log;
      compared = compareProof(proven.block, proven.state, read.state, read.entries, read.kept);
    }
    result = compared;
    if (read !== log) proofs.set(read, result);
  } catch (e) {
    if (!(e instanceof LightClientError)) console.warn("the light client's proof", e);
    result = { state: "none", reason: e instanceof LightClientError ? e.reason : "failed" };
  }
  proofs.set(log, result);
  if (state.loaded !== loaded) return;
  // A log read again changed the timeline too: the screen is drawn again.
  if (p.log !== log) screen.redraw();
  else redrawLine();
}

/** The proof in words. */
export function proofSentence(proof: ProofView): string {
  switch (proof.state) {
    case "checking":
      return t("patient.proof.checking");
    case "none":
      return t(`proof.none.${proof.reason}` as Key);
    case "proven":
      if (proof.upTo === null) {
        return t(proof.newer > 0 ? "patient.proof.provenEmpty" : "patient.proof.provenNone", { block: proof.block });
      }
      return proof.newer > 0
        ? t("patient.proof.provenNewer", { block: proof.block, index: proof.upTo, newer: proof.newer })
        : t("patient.proof.proven", { block: proof.block, index: proof.upTo });
    case "differs":
      return t("patient.proof.differs", { block: proof.block, index: proof.index });
    case "behind":
      return t("patient.proof.behind", { block: proof.block, index: proof.index });
    case "unread":
      return t("patient.proof.unread", { block: proof.block, index: proof.index });
  }
}

/** A proof that says the node's log is not the chain's: shown as a warning, like a broken chain. */
export const proofWarns = (proof: ProofView | null): boolean => proof?.state === "differs" || proof?.state === "behind";
