// Pieces the screens share: error messages in words, dates, institution names, the result box.

import { ChainError, failureKind, type Chain } from "../chain";
import { h } from "../dom";
import { getLang, t, type Key } from "../i18n";
import { NoWebCrypto } from "../hash";
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
