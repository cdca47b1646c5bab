// What the signing screens share: a transaction's progress in words (signed → in block →
// finalized, or why not). The runtime's error docs are views/common.ts's `errorDocs`.

import { h } from "../dom";
import { t, type Key } from "../i18n";
import type { Progress } from "../tx";
import { formatClock } from "./common";

export type Message = { key: Key; params?: Record<string, string | number> };

/**
 * The lines of a transaction's progress: what it is, its stage, and the problem if it failed
 * (with `problemId` as its element id, for tests and aria-describedby).
 */
export function progressLines(what: Message, p: Progress, problemId?: string): HTMLElement[] {
  const stageText =
    p.stage === "inBlock" && p.finalityLate
      ? t("tx.finalityLate", { block: p.block ?? "" })
      : p.stage === "spacing" && p.spacing
        ? t("tx.stage.spacing", { time: formatClock(p.spacing.until) })
        : t(`tx.stage.${p.stage}` as Key, { block: p.block ?? "" });
  const tone = p.stage === "failed" ? "bad" : p.stage === "finalized" ? "ok" : "warn";
  const lines = [
    h("p", { class: "tx-what" }, t(what.key, what.params)),
    h("p", { class: `tx-stage tone-${tone}`, "data-stage": p.stage }, stageText),
  ];
  if (p.problem) lines.push(h("p", { class: "tx-problem", id: problemId ?? null }, t(p.problem.key, p.problem.params)));
  if (p.stage === "spacing" && p.spacing) {
    const { sendNow, cancel } = p.spacing;
    lines.push(
      h("p", { class: "help" }, t("tx.spacing.why")),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "button", class: "tx-send-now", onclick: sendNow }, t("tx.spacing.now")),
        h("button", { type: "button", class: "tx-cancel", onclick: cancel }, t("tx.spacing.cancel")),
      ),
    );
  }
  return lines;
}

/** Whether a transaction is still under way (a new one must wait). */
export const underWay = (p: Progress | undefined): boolean =>
  p !== undefined && p.stage !== "finalized" && p.stage !== "failed" && !p.finalityLate;
