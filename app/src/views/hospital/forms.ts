// The hospital portal's action forms (the actions: actions.ts): what they hold between renders
// (the values typed, the errors, the destructive button waiting for its second click, the
// transaction under way), their fields with an error line each, the checks run before anything is
// signed, and signing itself, with the progress in #staff-tx (views/progress.ts's lines; a
// failure's reason is #staff-tx-problem) in the section where the action was made.

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t } from "../../i18n";
import type { Check } from "../../staff";
import { send, type Progress } from "../../tx";
import { errorDocs } from "../common";
import { progressLines, underWay, type Message } from "../progress";
import { staffKeyring, type Who } from "./signin";

export type { Message };
export type Reload = "admin" | "requests" | "institution" | "registrations" | "council";

/** What an action needs from the portal. */
export interface Ctx {
  chain: Chain;
  rerender: () => void;
  who: Who;
  institution: { id: number; name: string };
  ss58: number;
  reload: (what: Reload) => Promise<void>;
}

interface FormState {
  values: Record<string, string>;
  errors: Record<string, Message>;
  /** The form whose checks failed ("nothing was sent"). */
  invalid: string | null;
  /** A destructive button waiting for its second click. */
  armed: string | null;
  tx: { section: string; what: Message; progress: Progress } | null;
}

export const a: FormState = { values: {}, errors: {}, invalid: null, armed: null, tx: null };

/** Forgets what the forms hold (another institution is shown); the transaction's progress stays. */
export function resetForms(): void {
  a.values = {};
  a.errors = {};
  a.invalid = null;
  a.armed = null;
}

export const busy = (): boolean => underWay(a.tx?.progress);

// ---------------------------------------------------------------------------------------------
// Fields

function describedBy(...ids: Array<string | null | false | undefined>): string | null {
  const list = ids.filter(Boolean) as string[];
  return list.length ? list.join(" ") : null;
}

export function errorLine(id: string): HTMLElement | null {
  const m = a.errors[id];
  return m ? h("p", { class: "field-error", id: `${id}-error` }, t(m.key, m.params)) : null;
}

export function textField(id: string, label: string, help: string | null, opts: { mono?: boolean; inputmode?: string; placeholder?: string } = {}): HTMLElement {
  const input = h("input", {
    type: "text",
    id,
    value: a.values[id] ?? "",
    autocomplete: "off",
    spellcheck: "false",
    inputmode: opts.inputmode ?? null,
    placeholder: opts.placeholder ?? null,
    class: opts.mono ? "mono" : null,
    "aria-invalid": a.errors[id] ? "true" : null,
    "aria-describedby": describedBy(help && `${id}-help`, a.errors[id] && `${id}-error`),
  });
  input.addEventListener("input", () => (a.values[id] = input.value));
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    input,
    help ? h("p", { class: "help", id: `${id}-help` }, help) : null,
    errorLine(id),
  );
}

export function selectField(id: string, label: string, options: Array<[string, string]>, help: string | null = null): HTMLElement {
  const select = h(
    "select",
    {
      id,
      "aria-invalid": a.errors[id] ? "true" : null,
      "aria-describedby": describedBy(help && `${id}-help`, a.errors[id] && `${id}-error`),
    },
    options.map(([value, text]) => h("option", { value, selected: (a.values[id] ?? "") === value }, text)),
  );
  select.addEventListener("change", () => (a.values[id] = select.value));
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    select,
    help ? h("p", { class: "help", id: `${id}-help` }, help) : null,
    errorLine(id),
  );
}

/** Runs the checks of a form's fields; on any failure shows them and focuses the first. */
export function checked<T extends unknown[]>(form: string, checks: { [K in keyof T]: [string, Check<T[K]>] }): T | null {
  for (const key of Object.keys(a.errors)) if (key.startsWith(`${form}-`) || key === form) delete a.errors[key];
  const values: unknown[] = [];
  let first: string | null = null;
  for (const [id, c] of checks as Array<[string, Check<unknown>]>) {
    if (c.ok) values.push(c.value);
    else {
      a.errors[id] = { key: c.error };
      first ??= id;
    }
  }
  if (first) {
    a.invalid = form;
    return null;
  }
  if (a.invalid === form) a.invalid = null;
  return values as T;
}

export function invalidNote(form: string): HTMLElement | null {
  return a.invalid === form ? h("p", { class: "note bad", role: "alert", id: `${form}-invalid` }, t("staff.invalid")) : null;
}

export function afterInvalid(ctx: Ctx, form: string): void {
  ctx.rerender();
  const first = document.querySelector<HTMLElement>(`[id^="${form}"][aria-invalid=true]`);
  first?.focus();
}

// ---------------------------------------------------------------------------------------------
// Transactions

const lines = (): HTMLElement[] => (a.tx ? progressLines(a.tx.what, a.tx.progress, "staff-tx-problem") : []);

/** The progress region, in the section where the last action was made. */
export function progressRegion(section: string): HTMLElement | null {
  if (!a.tx || a.tx.section !== section) return null;
  return h(
    "div",
    { id: "staff-tx", class: "tx-progress", role: "status", "aria-live": "polite", "aria-label": t("tx.label"), tabindex: -1, "data-stage": a.tx.progress.stage },
    lines(),
  );
}

function showProgress(): void {
  const region = document.getElementById("staff-tx");
  if (!region) return;
  region.replaceChildren(...lines());
  region.dataset.stage = a.tx?.progress.stage ?? "";
}

export async function transact(ctx: Ctx, section: string, what: Message, reload: Reload, build: () => Parameters<typeof send>[0], clear: string[] = []): Promise<Progress | null> {
  const key = staffKeyring.current;
  if (!key || busy()) return null;
  a.armed = null;
  a.tx = { section, what, progress: { stage: "signing" } };
  ctx.rerender();
  document.getElementById("staff-tx")?.focus();
  let reloadedAt: number | undefined;
  const last = await send(
    build(),
    key.signer,
    (progress) => {
      if (!a.tx) return;
      a.tx.progress = progress;
      showProgress();
      if (progress.stage === "inBlock" && reloadedAt === undefined) {
        reloadedAt = progress.block;
        for (const id of clear) delete a.values[id];
        void ctx.reload(reload);
      }
    },
    { docs: () => errorDocs(ctx.chain) },
  );
  if (a.tx) a.tx.progress = last;
  if (last.stage !== "failed") await ctx.reload(reload);
  else ctx.rerender();
  document.getElementById("staff-tx")?.focus();
  return last;
}

/** A button that asks for a second click before it acts. */
export function armedButton(ctx: Ctx, id: string, label: string, confirmLabel: string, ariaLabel: string | null, act: () => void): HTMLElement[] {
  if (a.armed !== id) {
    return [
      h(
        "button",
        {
          type: "button",
          id,
          class: "danger",
          "aria-label": ariaLabel,
          disabled: busy(),
          onclick: () => {
            a.armed = id;
            ctx.rerender();
            document.getElementById(id)?.focus();
          },
        },
        label,
      ),
    ];
  }
  return [
    h("button", { type: "button", id, class: "danger", onclick: act }, confirmLabel),
    h(
      "button",
      {
        type: "button",
        id: `${id}-cancel`,
        onclick: () => {
          a.armed = null;
          ctx.rerender();
          document.getElementById(id)?.focus();
        },
      },
      t("staff.cancel"),
    ),
  ];
}
