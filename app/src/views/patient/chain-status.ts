// The patient screen's line per pseudonym on its disclosure log's hash chain, checked in this
// browser (log-chain.ts; docs/app.md, "The log's hash chain, checked in this browser"):
// intact, incomplete (older pages not read yet) or broken (which entry, which check), with
// `data-chain` for tests. The check is run again only when the pseudonym's log was read again.
// Then the log's head proved by this browser's light client (proof.ts), `data-proof`.

import { h } from "../../dom";
import { t, type Key } from "../../i18n";
import { checkChain, type ChainCheck } from "../../log-chain";
import { proofOf, proofSentence, proofWarns } from "./proof";
import type { Loaded, Log } from "./state";

const checked = new WeakMap<Log, ChainCheck>();

/** The check of one pseudonym's log as read (kept for as long as that reading is shown). */
export function chainCheckOf(log: Log): ChainCheck {
  let result = checked.get(log);
  if (!result) {
    result = checkChain(log.state, log.entries, log.kept);
    checked.set(log, result);
  }
  return result;
}

/** The line in words. */
export function chainSentence(result: ChainCheck): string {
  switch (result.state) {
    case "intact":
      return result.checked === 0 ? t("patient.chain.empty") : t("patient.chain.intact", { count: result.checked });
    case "incomplete":
      return t("patient.chain.incomplete", { checked: result.checked, total: result.total });
    case "broken": {
      const fault = t(`patient.chain.fault.${result.fault}` as Key);
      const line = t("patient.chain.broken", { index: result.index, fault });
      return result.fault === "format" ? line : `${line} ${t("patient.chain.brokenAdvice")}`;
    }
  }
}

/** One status line per pseudonym, under the timeline's heading. */
export function chainStatus(loaded: Loaded): HTMLElement {
  const several = loaded.pseudonyms.length > 1;
  return h(
    "ul",
    { class: "plain chain-status", id: "patient-chain", "aria-label": t("patient.chain.title") },
    loaded.pseudonyms.map((p, i) => {
      const result = chainCheckOf(p.log);
      const proof = result.state === "broken" ? null : proofOf(loaded, p, () => redrawChainStatus(loaded));
      const warns = result.state === "broken" || proofWarns(proof);
      return h(
        "li",
        {
          class: `chain-line chain-${result.state}${warns && result.state !== "broken" ? " chain-broken" : ""}`,
          "data-chain": result.state,
          "data-pseudonym": i + 1,
          ...(result.state === "broken" ? { "data-entry": result.index, "data-fault": result.fault } : {}),
          ...(proof ? { "data-proof": proof.state } : {}),
        },
        h("span", { class: "chain-mark", "aria-hidden": "true" }, warns ? "⚠" : result.state === "intact" ? "✓" : "…"),
        " ",
        several ? h("span", { class: "chip chip-pseudonym" }, t("patient.pseudonymChip", { n: i + 1 })) : null,
        several ? " " : null,
        chainSentence(result),
        proof ? " " : null,
        proof ? h("span", { class: `proof proof-${proof.state}` }, proofSentence(proof)) : null,
      );
    }),
  );
}

/** The lines drawn again in place, when a proof is known (the rest of the screen untouched). */
function redrawChainStatus(loaded: Loaded): void {
  document.getElementById("patient-chain")?.replaceWith(chainStatus(loaded));
}
