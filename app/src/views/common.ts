// Pieces the screens share: error messages in words, dates, institution names, the result box.

import { ChainError, failureKind, type Chain } from "../chain";
import { h } from "../dom";
import { getLang, t, type Key } from "../i18n";
import { NoWebCrypto } from "../hash";
import { errorDocsFromMetadata, type ErrorDocs } from "../tx";
import type { Tone } from "../words";

export interface Problem {
  key: Key;
  params?: Record<string, string | number>;
}

/** Any failure as a message in words (never a code or a stack trace). */
export function problemOf(error: unknown, chain: Chain): Problem {
  if (error instanceof NoWebCrypto) return { key: "error.crypto" };
  const kind = error instanceof ChainError ? error.kind : failureKind(error);
  switch (kind) {
    case "connection":
      return { key: "error.connection", params: { url: chain.url } };
    case "timeout":
      return { key: "error.timeout" };
    case "invalid":
      return { key: "error.invalid" };
    case "node":
      return { key: "error.node" };
    default:
      return { key: "error.unknown" };
  }
}

export function problemBox(problem: Problem): HTMLElement {
  return h(
    "div",
    { class: "result tone-bad", role: "alert", "data-state": "error" },
    h("p", { class: "result-title", tabindex: -1 }, t(problem.key, problem.params)),
  );
}

export function resultBox(
  tone: Tone,
  state: string,
  title: string,
  body: string,
  details: Array<[string, Node | string]>,
): HTMLElement {
  const icon = tone === "ok" ? "✓" : tone === "warn" ? "!" : "✕";
  return h(
    "div",
    { class: `result tone-${tone}`, "data-state": state },
    h(
      "h3",
      { class: "result-title", tabindex: -1 },
      h("span", { class: "result-icon", "aria-hidden": "true" }, icon),
      " ",
      title,
    ),
    h("p", {}, body),
    details.length
      ? h(
          "dl",
          { class: "details" },
          details.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
        )
      : null,
  );
}

function locale(): string {
  return getLang() === "ko" ? "ko-KR" : "en-GB";
}

export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(ms));
}

/** The time of day to the second ("14:03:27"). */
export function formatClock(ms: number): string {
  return new Intl.DateTimeFormat(locale(), { timeStyle: "medium" }).format(new Date(ms));
}

export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long" }).format(new Date(ms));
}

/** "Name (no. 3)" when the chain knows the name, else "institution no. 3". */
export function institutionLabel(id: number, names: Map<number, string | null>): string {
  const name = names.get(id);
  return name ? t("institution.named", { name, id }) : t("institution.numbered", { id });
}

export async function resolveNames(chain: Chain, ids: Iterable<number>): Promise<Map<number, string | null>> {
  const unique = [...new Set(ids)];
  const names = await Promise.all(unique.map((id) => chain.institutionName(id)));
  return new Map(unique.map((id, i) => [id, names[i]]));
}

/** A labelled form field with its help text tied by aria-describedby. */
export function field(
  id: string,
  label: string,
  help: string | null,
  input: HTMLInputElement | HTMLSelectElement,
): HTMLElement {
  input.id = id;
  if (help) input.setAttribute("aria-describedby", `${id}-help`);
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    input,
    help ? h("p", { class: "help", id: `${id}-help` }, help) : null,
  );
}

// --- Shared by the patient's history and the hospital portal (issue 18, second part) ---

/** The chain's clock when read, to date block numbers. */
export interface Clock {
  best: number;
  bestTimeMs: number;
  blockMs: number;
}

export function chainClock(chain: Chain): Clock | null {
  const s = chain.current;
  return s.best !== undefined && s.bestTimeMs !== undefined && s.blockMs !== undefined
    ? { best: s.best, bestTimeMs: s.bestTimeMs, blockMs: s.blockMs }
    : null;
}

/** "around 3 May 2026, 14:05 (block #123)", or "#123" before the clock is known. */
export function blockWhen(block: number, clock: Clock | null): string {
  if (!clock) return `#${block}`;
  return t("patient.when", { time: blockTime(block, clock), block });
}

/** A block's estimated time, in words ("—" before the clock is known). */
export function blockTime(block: number, clock: Clock | null): string {
  if (!clock) return "—";
  return formatDateTime(clock.bestTimeMs - (clock.best - block) * clock.blockMs);
}

/** An account address shortened for reading ("5Grw…utQY"); the full one goes in `title`. */
export function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-6)}` : address;
}

/** A "more" button that loads the next page of a list. */
export function moreButton(id: string, label: string, busy: boolean, onclick: () => void): HTMLElement {
  return h(
    "p",
    { class: "more" },
    h("button", { type: "button", id, disabled: busy, onclick: () => onclick() }, busy ? t("patient.busy") : label),
  );
}

// The runtime's error docs, read from the node's metadata once (a dispatch error needs them).
const docsByChain = new WeakMap<Chain, Promise<ErrorDocs>>();
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
