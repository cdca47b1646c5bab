// What every signing screen shares: the runtime's error docs (read once per connection) and a
// transaction's progress in words (signed → in block → finalized, or why not).

import type { Chain } from "../chain";
import { h } from "../dom";
import { t, type Key } from "../i18n";
import { errorDocsFromMetadata, type ErrorDocs, type Progress } from "../tx";

const docsByChain = new WeakMap<Chain, Promise<ErrorDocs>>();

/** The pallet errors' doc lines of the runtime the node runs (for failures in words). */
export function errorDocs(chain: Chain): Promise<ErrorDocs> {
  let docs = docsByChain.get(chain);
  if (!docs) {
    docs = chain.client
      .getFinalizedBlock()
      .then((b) => chain.client.getMetadata(b.hash))
      .then(errorDocsFromMetadata);
    docs.catch(() => docsByChain.delete(chain));
    docsByChain.set(chain, docs);
  }
  return docs;
}

export type Message = { key: Key; params?: Record<string, string | number> };

/** The lines of a transaction's progress: what it is, its stage, and the problem if it failed. */
export function progressLines(what: Message, p: Progress): HTMLElement[] {
  const stageText =
    p.stage === "inBlock" && p.finalityLate
      ? t("tx.finalityLate", { block: p.block ?? "" })
      : t(`tx.stage.${p.stage}` as Key, { block: p.block ?? "" });
  const tone = p.stage === "failed" ? "bad" : p.stage === "finalized" ? "ok" : "warn";
  const lines = [
    h("p", { class: "tx-what" }, t(what.key, what.params)),
    h("p", { class: `tx-stage tone-${tone}`, "data-stage": p.stage }, stageText),
  ];
  if (p.problem) lines.push(h("p", { class: "tx-problem" }, t(p.problem.key, p.problem.params)));
  return lines;
}

/** Whether a transaction is still under way (a new one must wait). */
export const underWay = (p: Progress | undefined): boolean =>
  p !== undefined && p.stage !== "finalized" && p.stage !== "failed" && !p.finalityLate;
