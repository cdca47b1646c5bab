// The patient screen's line per pseudonym on its disclosure log's hash chain, checked in this
// browser (log-chain.ts; docs/app.md, "The log's hash chain, checked in this browser"):
// intact, incomplete (older pages not read yet) or broken (which entry, which check), with
// `data-chain` for tests. The check is run again only when the pseudonym's log was read again.

import { h } from "../../dom";
import { t, type Key } from "../../i18n";
import { checkChain, type ChainCheck } from "../../log-chain";
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
      return h(
        "li",
        {
          class: `chain-line chain-${result.state}`,
          "data-chain": result.state,
          "data-pseudonym": i + 1,
          ...(result.state === "broken" ? { "data-entry": result.index, "data-fault": result.fault } : {}),
        },
        h("span", { class: "chain-mark", "aria-hidden": "true" }, result.state === "broken" ? "⚠" : result.state === "intact" ? "✓" : "…"),
        " ",
        several ? h("span", { class: "chip chip-pseudonym" }, t("patient.pseudonymChip", { n: i + 1 })) : null,
        several ? " " : null,
        chainSentence(result),
      );
    }),
  );
}
