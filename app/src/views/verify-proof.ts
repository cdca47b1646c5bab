// "Verify a document": the node's answer about a record proved by this browser's light client
// (src/light-client.ts `provenRecord`, src/record-proof.ts; docs/app.md, "Verify a document,
// proved by this browser's light client"). The line under the answer is drawn again in place
// when the proof is known, so the focus stays on the answer's title.

import type { Chain } from "../chain";
import { h } from "../dom";
import { t, type Key } from "../i18n";
import { LightClientError, provenRecord, type LightFailure } from "../light-client";
import { compareRecord, type RecordProof } from "../record-proof";
import type { Hex, RecordVerifyAnswer } from "../rpc-types";

export type RecordProofView = RecordProof | { state: "checking" } | { state: "none"; reason: LightFailure };

/** A record's answer as shown, with its proof (filled in when known). */
export interface ProvableRecord {
  custodian: number;
  recordIdBytes: Uint8Array;
  hash: Hex;
  answer: RecordVerifyAnswer;
  proof: RecordProofView;
}

/** Starts the proof of `outcome`; `shown` says whether it is still the answer on screen. */
export function proveRecord(chain: Chain, outcome: ProvableRecord, shown: () => boolean): void {
  outcome.proof = { state: "checking" };
  void (async () => {
    let proof: RecordProofView;
    try {
      const [finalized, spec] = await Promise.all([chain.client.getFinalizedBlock(), chain.client.getChainSpecData()]);
      const { block, record } = await provenRecord(outcome.custodian, outcome.recordIdBytes, outcome.hash, Math.max(1, finalized.number), spec.genesisHash as Hex);
      proof = compareRecord(block, outcome.answer, record);
    } catch (e) {
      if (!(e instanceof LightClientError)) console.warn("the light client's proof", e);
      proof = { state: "none", reason: e instanceof LightClientError ? e.reason : "failed" };
    }
    outcome.proof = proof;
    if (shown()) document.getElementById("verify-proof")?.replaceWith(recordProofLine(proof));
  })();
}

/** The proof in words. */
export function recordProofSentence(proof: RecordProofView): string {
  switch (proof.state) {
    case "checking":
      return t("verify.proof.checking");
    case "none":
      return t(`proof.none.${proof.reason}` as Key);
    case "proven":
      return t("verify.proof.proven", { block: proof.block });
    case "newer":
    case "differs":
      return t(`verify.proof.${proof.state}`, { block: proof.block, proved: t(`verify.proof.state.${proof.proved}` as Key) });
  }
}

/** The line under the answer (`#verify-proof`, `data-proof`); a warning when the proof differs. */
export function recordProofLine(proof: RecordProofView): HTMLElement {
  const warns = proof.state === "differs";
  return h(
    "p",
    { id: "verify-proof", class: `proof-line${warns ? " proof-warning" : ""}`, "data-proof": proof.state },
    warns ? h("span", { class: "chain-mark", "aria-hidden": "true" }, "⚠ ") : null,
    recordProofSentence(proof),
  );
}
