// The hospital portal's signing actions (docs/app.md, "What staff may do"), offered only to the
// key that may perform them (the pallets' rules):
//   - a device of the custodian declines a waiting request (`Exchange.decline`);
//   - a device of the requester confirms or disputes a delivery (`Exchange.confirm`, `dispute`);
//   - the admin of a hospital or clinic publishes its price list (`Exchange.set_prices`);
//   - the admin adds, replaces and removes devices, sets their encryption keys, adds and removes
//     practitioners, and hands the administration over (`Institutions.*`); a device sets its own
//     encryption key.
// Every input is checked before signing (a message next to the field, nothing sent); progress
// and failures (the pallet error's doc line) show in #staff-tx next to the action; after a
// success the affected section is read again.

import { Enum } from "polkadot-api";
import type { Chain } from "../../chain";
import { CATEGORIES } from "../../consent";
import { h } from "../../dom";
import { getLang, t, type Key } from "../../i18n";
import type { Category } from "../../rpc-types";
import { amountText, parseAddress, parseAmount, parseEncryptionKey, parseHex32, type Check } from "../../staff";
import { send, type Progress } from "../../tx";
import { errorDocs, shortAddress } from "../common";
import { staffKeyring, type Who } from "./signin";

type Message = { key: Key; params?: Record<string, string | number> };
export type Reload = "admin" | "requests" | "institution" | "registrations";

/** What an action needs from the portal. */
export interface Ctx {
  chain: Chain;
  rerender: () => void;
  who: Who;
  institution: { id: number; name: string };
  ss58: number;
  reload: (what: Reload) => Promise<void>;
}

interface ActionState {
  values: Record<string, string>;
  errors: Record<string, Message>;
  /** The form whose checks failed ("nothing was sent"). */
  invalid: string | null;
  /** A destructive button waiting for its second click. */
  armed: string | null;
  tx: { section: string; what: Message; progress: Progress } | null;
  pricesFrom: unknown;
  /** Pseudonyms registered from this browser for the institution shown, newest first. */
  registered: Array<{ account: string; state: "pending" | "confirmed" | "gone"; expiresAt?: number }>;
}

const a: ActionState = { values: {}, errors: {}, invalid: null, armed: null, tx: null, pricesFrom: null, registered: [] };

export function resetActions(): void {
  a.values = {};
  a.errors = {};
  a.invalid = null;
  a.armed = null;
  a.pricesFrom = null;
  a.registered = [];
}

const busy = () => a.tx !== null && !["finalized", "failed"].includes(a.tx.progress.stage) && !a.tx.progress.finalityLate;

// ---------------------------------------------------------------------------------------------
// Fields

function describedBy(...ids: Array<string | null | false | undefined>): string | null {
  const list = ids.filter(Boolean) as string[];
  return list.length ? list.join(" ") : null;
}

function errorLine(id: string): HTMLElement | null {
  const m = a.errors[id];
  return m ? h("p", { class: "field-error", id: `${id}-error` }, t(m.key, m.params)) : null;
}

function textField(id: string, label: string, help: string | null, opts: { mono?: boolean; inputmode?: string; placeholder?: string } = {}): HTMLElement {
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

function selectField(id: string, label: string, options: Array<[string, string]>, help: string | null = null): HTMLElement {
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
function checked<T extends unknown[]>(form: string, checks: { [K in keyof T]: [string, Check<T[K]>] }): T | null {
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

function invalidNote(form: string): HTMLElement | null {
  return a.invalid === form ? h("p", { class: "note bad", role: "alert", id: `${form}-invalid` }, t("staff.invalid")) : null;
}

function afterInvalid(ctx: Ctx, form: string): void {
  ctx.rerender();
  const first = document.querySelector<HTMLElement>(`[id^="${form}"][aria-invalid=true]`);
  first?.focus();
}

// ---------------------------------------------------------------------------------------------
// Transactions

function progressContent(): Node[] {
  const tx = a.tx;
  if (!tx) return [];
  const p = tx.progress;
  const stageText =
    p.stage === "inBlock" && p.finalityLate ? t("tx.finalityLate", { block: p.block ?? "" }) : t(`tx.stage.${p.stage}` as Key, { block: p.block ?? "" });
  return [
    h("p", { class: "tx-what" }, t(tx.what.key, tx.what.params)),
    h("p", { class: `tx-stage tone-${p.stage === "failed" ? "bad" : p.stage === "finalized" ? "ok" : "warn"}`, "data-stage": p.stage }, stageText),
    p.problem ? h("p", { class: "tx-problem", id: "staff-tx-problem" }, t(p.problem.key, p.problem.params)) : null,
  ].filter((n): n is HTMLParagraphElement => n !== null);
}

/** The progress region, in the section where the last action was made. */
export function progressRegion(section: string): HTMLElement | null {
  if (!a.tx || a.tx.section !== section) return null;
  return h(
    "div",
    { id: "staff-tx", class: "tx-progress", role: "status", "aria-live": "polite", "aria-label": t("tx.label"), tabindex: -1, "data-stage": a.tx.progress.stage },
    progressContent(),
  );
}

function showProgress(): void {
  const region = document.getElementById("staff-tx");
  if (!region) return;
  region.replaceChildren(...progressContent());
  region.dataset.stage = a.tx?.progress.stage ?? "";
}

async function transact(ctx: Ctx, section: string, what: Message, reload: Reload, build: () => Parameters<typeof send>[0], clear: string[] = []): Promise<Progress | null> {
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
function armedButton(ctx: Ctx, id: string, label: string, confirmLabel: string, ariaLabel: string | null, act: () => void): HTMLElement[] {
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

// ---------------------------------------------------------------------------------------------
// Requests: decline (custodian's device), confirm and dispute (requester's device)

export function declineControls(ctx: Ctx, request: number): HTMLElement | null {
  if (ctx.who.role !== "device") return null;
  const id = `decline-${request}`;
  return h(
    "div",
    { class: "buttons" },
    armedButton(ctx, id, t("staff.decline"), t("staff.decline.confirm", { id: request }), t("staff.decline.label", { id: request }), () =>
      void transact(ctx, "hospital-incoming", { key: "staff.what.decline", params: { id: request } }, "requests", () =>
        ctx.chain.api.tx.Exchange.decline({ request: BigInt(request) }),
      ),
    ),
  );
}

const REASONS = ["PackageMismatch", "MissingRecords", "RecordMismatch", "Undecryptable"] as const;

export function deliveredControls(ctx: Ctx, request: number): HTMLElement | null {
  if (ctx.who.role !== "device") return null;
  const form = `dispute-${request}`;
  const reasonId = `${form}-reason`;
  const el = h(
    "form",
    { class: "inline-form", id: form, novalidate: true, "aria-label": t("staff.dispute.label", { id: request }) },
    h(
      "div",
      { class: "buttons" },
      h(
        "button",
        {
          type: "button",
          class: "primary",
          id: `confirm-${request}`,
          "aria-label": t("staff.confirm.label", { id: request }),
          disabled: busy(),
          onclick: () =>
            void transact(ctx, "hospital-outgoing", { key: "staff.what.confirm", params: { id: request } }, "requests", () =>
              ctx.chain.api.tx.Exchange.confirm({ request: BigInt(request) }),
            ),
        },
        t("staff.confirm"),
      ),
    ),
    selectField(reasonId, t("staff.dispute.reason"), [["", t("staff.dispute.choose")], ...REASONS.map((r): [string, string] => [r, t(`staff.reason.${r}` as Key)])]),
    h("div", { class: "buttons" }, h("button", { type: "submit", id: `${form}-submit`, disabled: busy() }, t("staff.dispute"))),
    invalidNote(form),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const reason = a.values[reasonId] ?? "";
    const ok = checked<[string]>(form, [[reasonId, REASONS.includes(reason as never) ? { ok: true, value: reason } : { ok: false, error: "staff.error.reason" }]]);
    if (!ok) return afterInvalid(ctx, form);
    void transact(ctx, "hospital-outgoing", { key: "staff.what.dispute", params: { id: request } }, "requests", () =>
      ctx.chain.api.tx.Exchange.dispute({ request: BigInt(request), reason: Enum(ok[0] as (typeof REASONS)[number]) }),
    );
  });
  return el;
}

// ---------------------------------------------------------------------------------------------
// Price list (admin of a hospital or clinic)

export function pricesEditor(ctx: Ctx, newest: Array<[Category, bigint]>, delay: number, maxPrices: number, source: unknown): HTMLElement | null {
  if (ctx.who.role !== "admin" || !ctx.who.keepsRecords) return null;
  const form = "prices";
  // The editor starts from the newest list (waiting, else in force), again after each reload.
  if (a.pricesFrom !== source) {
    a.pricesFrom = source;
    for (const c of CATEGORIES) {
      const fee = newest.find(([cat]) => cat === c)?.[1];
      a.values[`${form}-${c}`] = fee === undefined ? "" : amountText(fee);
    }
  }
  const cap = (s: string) => (getLang() === "en" && s ? s[0].toUpperCase() + s.slice(1) : s);
  const el = h(
    "form",
    { id: "prices-form", novalidate: true, "aria-labelledby": "prices-form-title" },
    h("h4", { id: "prices-form-title" }, t("staff.prices.title")),
    h("p", { class: "help", id: "prices-form-help" }, t("staff.prices.help", { blocks: delay })),
    h(
      "div",
      { class: "price-grid" },
      CATEGORIES.map((c) => textField(`${form}-${c}`, t("staff.prices.field", { category: cap(t(`category.${c}` as Key)) }), null, { inputmode: "decimal", placeholder: "—" })),
    ),
    errorLine(form),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: "prices-submit", disabled: busy() }, t("staff.prices.submit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const filled = CATEGORIES.filter((c) => (a.values[`${form}-${c}`] ?? "").trim() !== "");
    const checks = filled.map((c): [string, Check<bigint>] => [`${form}-${c}`, parseAmount(a.values[`${form}-${c}`])]);
    const ok = checked<bigint[]>(form, checks as never);
    if (!ok) return afterInvalid(ctx, form);
    if (filled.length > maxPrices) {
      a.errors[form] = { key: "staff.error.tooManyPrices", params: { max: maxPrices } };
      a.invalid = form;
      return afterInvalid(ctx, form);
    }
    const prices = filled.map((c, i) => [Enum(c), ok[i]]);
    void transact(ctx, "hospital-prices", { key: "staff.what.prices" }, "admin", () =>
      ctx.chain.api.tx.Exchange.set_prices({ custodian: ctx.institution.id, prices: prices as never }),
    );
  });
  return el;
}

// ---------------------------------------------------------------------------------------------
// Devices

export function addDeviceForm(ctx: Ctx): HTMLElement | null {
  if (ctx.who.role !== "admin") return null;
  const form = "device-add";
  const field = `${form}-account`;
  const el = h(
    "form",
    { id: form, novalidate: true, class: "action-form", "aria-labelledby": `${form}-title` },
    h("h4", { id: `${form}-title` }, t("staff.devices.add")),
    textField(field, t("staff.devices.account"), t("staff.devices.account.help"), { mono: true }),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: `${form}-submit`, disabled: busy() }, t("staff.devices.addSubmit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const ok = checked<[string]>(form, [[field, parseAddress(a.values[field] ?? "", ctx.ss58)]]);
    if (!ok) return afterInvalid(ctx, form);
    void transact(ctx, "hospital-devices", { key: "staff.what.addDevice", params: { account: shortAddress(ok[0]) } }, "admin", () =>
      ctx.chain.api.tx.Institutions.add_device({ device: ok[0] }), [field]);
  });
  return el;
}

/** Per device: set its encryption key (admin, or the device itself), replace or remove it (admin). */
export function deviceControls(ctx: Ctx, device: string, index: number): HTMLElement | null {
  const own = ctx.who.role === "device" && ctx.who.address === device;
  if (ctx.who.role !== "admin" && !own) return null;
  const keyForm = `device-${index}-key`;
  const keyField = `${keyForm}-value`;
  const setKey = h(
    "form",
    { id: keyForm, novalidate: true, class: "action-form" },
    textField(keyField, t("staff.devices.key"), t("staff.devices.key.help"), { mono: true }),
    invalidNote(keyForm),
    h("div", { class: "buttons" }, h("button", { type: "submit", id: `${keyForm}-submit`, disabled: busy() }, t("staff.devices.setKey"))),
  );
  setKey.addEventListener("submit", (e) => {
    e.preventDefault();
    const ok = checked<[`0x${string}`]>(keyForm, [[keyField, parseEncryptionKey(a.values[keyField] ?? "")]]);
    if (!ok) return afterInvalid(ctx, keyForm);
    void transact(ctx, "hospital-devices", { key: "staff.what.setKey", params: { account: shortAddress(device) } }, "admin", () =>
      ctx.chain.api.tx.Institutions.set_encryption_key({ device, key: ok[0] as never }), [keyField]);
  });
  const parts: HTMLElement[] = [setKey];
  if (ctx.who.role === "admin") {
    const rotForm = `device-${index}-rotate`;
    const rotField = `${rotForm}-account`;
    const rotate = h(
      "form",
      { id: rotForm, novalidate: true, class: "action-form" },
      textField(rotField, t("staff.devices.rotate"), t("staff.devices.rotate.help"), { mono: true }),
      invalidNote(rotForm),
      h("div", { class: "buttons" }, h("button", { type: "submit", id: `${rotForm}-submit`, disabled: busy() }, t("staff.devices.rotateSubmit"))),
    );
    rotate.addEventListener("submit", (e) => {
      e.preventDefault();
      const ok = checked<[string]>(rotForm, [[rotField, parseAddress(a.values[rotField] ?? "", ctx.ss58)]]);
      if (!ok) return afterInvalid(ctx, rotForm);
      void transact(
        ctx,
        "hospital-devices",
        { key: "staff.what.rotateDevice", params: { old: shortAddress(device), account: shortAddress(ok[0]) } },
        "admin",
        () => ctx.chain.api.tx.Institutions.rotate_device({ old_device: device, new_device: ok[0] }),
        [rotField],
      );
    });
    parts.push(
      rotate,
      h(
        "div",
        { class: "buttons" },
        armedButton(ctx, `device-${index}-remove`, t("staff.devices.remove"), t("staff.devices.removeConfirm"), null, () =>
          void transact(ctx, "hospital-devices", { key: "staff.what.removeDevice", params: { account: shortAddress(device) } }, "admin", () =>
            ctx.chain.api.tx.Institutions.remove_device({ device }),
          ),
        ),
      ),
    );
  }
  const details = h("details", { class: "manage", id: `device-${index}-manage` }, h("summary", {}, t("staff.devices.manage")), parts);
  // Open while one of its forms has something to say.
  if ([keyForm, `device-${index}-rotate`, `device-${index}-remove`].some((f) => a.invalid === f || a.armed === f)) details.open = true;
  return details;
}

// ---------------------------------------------------------------------------------------------
// Practitioners

const ROLES = ["Physician", "Nurse", "Pharmacist"] as const;

export function addPractitionerForm(ctx: Ctx): HTMLElement | null {
  if (ctx.who.role !== "admin") return null;
  const form = "practitioner-add";
  const account = `${form}-account`;
  const role = `${form}-role`;
  const licence = `${form}-licence`;
  a.values[role] ??= "Physician";
  const el = h(
    "form",
    { id: form, novalidate: true, class: "action-form", "aria-labelledby": `${form}-title` },
    h("h4", { id: `${form}-title` }, t("staff.practitioners.add")),
    textField(account, t("staff.practitioners.account"), t("staff.practitioners.account.help"), { mono: true }),
    selectField(role, t("staff.practitioners.role"), ROLES.map((r): [string, string] => [r, t(`role.${r}` as Key)])),
    textField(licence, t("staff.practitioners.licence"), t("staff.practitioners.licence.help"), { mono: true }),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: `${form}-submit`, disabled: busy() }, t("staff.practitioners.submit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const r = a.values[role] ?? "";
    const ok = checked<[string, string, `0x${string}`]>(form, [
      [account, parseAddress(a.values[account] ?? "", ctx.ss58)],
      [role, ROLES.includes(r as never) ? { ok: true, value: r } : { ok: false, error: "staff.error.reason" }],
      [licence, parseHex32(a.values[licence] ?? "")],
    ]);
    if (!ok) return afterInvalid(ctx, form);
    const chosen = ok[1] as (typeof ROLES)[number];
    void transact(ctx, "hospital-practitioners", { key: "staff.what.addPractitioner", params: { role: t(`role.${chosen}` as Key) } }, "admin", () =>
      ctx.chain.api.tx.Institutions.add_practitioner({ practitioner: ok[0], role: Enum(chosen), licence_hash: ok[2] as never }),
      [account, licence],
    );
  });
  return el;
}

export function removePractitioner(ctx: Ctx, account: string, role: string, index: number): HTMLElement | null {
  if (ctx.who.role !== "admin") return null;
  return h(
    "div",
    { class: "buttons" },
    armedButton(
      ctx,
      `practitioner-${index}-remove`,
      t("staff.practitioners.remove"),
      t("staff.practitioners.removeConfirm"),
      t("staff.practitioners.remove.label", { account: shortAddress(account) }),
      () =>
        void transact(ctx, "hospital-practitioners", { key: "staff.what.removePractitioner", params: { role: t(`role.${role}` as Key) } }, "admin", () =>
          ctx.chain.api.tx.Institutions.remove_practitioner({ practitioner: account }),
        ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Handing the administration over (admin)

export function handOverForm(ctx: Ctx): HTMLElement | null {
  if (ctx.who.role !== "admin") return null;
  const form = "handover";
  const account = `${form}-account`;
  const understood = `${form}-understood`;
  const box = h("input", {
    type: "checkbox",
    id: understood,
    checked: a.values[understood] === "yes",
    "aria-invalid": a.errors[understood] ? "true" : null,
    "aria-describedby": a.errors[understood] ? `${understood}-error` : null,
  });
  box.addEventListener("change", () => (a.values[understood] = box.checked ? "yes" : ""));
  const el = h(
    "form",
    { id: form, novalidate: true, class: "action-form" },
    textField(account, t("staff.admin.account"), t("staff.admin.account.help"), { mono: true }),
    h("div", { class: "field" }, h("label", { class: "choice", for: understood }, box, t("staff.admin.understand", { institution: ctx.institution.name })), errorLine(understood)),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "danger", id: `${form}-submit`, disabled: busy() }, t("staff.admin.submit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const ok = checked<[string, boolean]>(form, [
      [account, parseAddress(a.values[account] ?? "", ctx.ss58)],
      [understood, a.values[understood] === "yes" ? { ok: true, value: true } : { ok: false, error: "staff.error.handover" }],
    ]);
    if (!ok) return afterInvalid(ctx, form);
    void transact(ctx, "hospital-summary", { key: "staff.what.setAdmin", params: { account: shortAddress(ok[0]) } }, "institution", () =>
      ctx.chain.api.tx.Institutions.set_admin({ new_admin: ok[0] }),
      [account, understood],
    );
  });
  const details = h("details", { class: "manage", id: "handover-details" }, h("summary", {}, t("staff.admin.title")), el);
  if (a.invalid === form) details.open = true;
  return details;
}

// ---------------------------------------------------------------------------------------------
// Registering a patient's pseudonym (admin or device of an active hospital or clinic)

/** Reads again where the pseudonyms registered from this browser stand. */
export async function refreshRegistrations(chain: Chain, custodian: number): Promise<void> {
  if (!a.registered.length) return;
  const keys = a.registered.map((r) => [r.account] as [string]);
  const [patients, pending] = await Promise.all([
    chain.api.query.Institutions.Patients.getValues(keys, { at: "best" }),
    chain.api.query.Institutions.PendingRegistrations.getValues(keys, { at: "best" }),
  ]);
  a.registered = a.registered.map((r, i) =>
    patients[i]?.custodian === custodian
      ? { account: r.account, state: "confirmed" }
      : pending[i]?.custodian === custodian
        ? { account: r.account, state: "pending", expiresAt: pending[i]!.expires_at }
        : { account: r.account, state: "gone" },
  );
}

export function registerSection(ctx: Ctx, expiry: number, when: (block: number) => string): HTMLElement | null {
  if (ctx.who.role === "none" || !ctx.who.keepsRecords) return null;
  const form = "register";
  const account = `${form}-account`;
  const guardian = `${form}-guardian`;
  const el = h(
    "form",
    { id: form, novalidate: true, class: "action-form", "aria-describedby": `${form}-help` },
    h("p", { class: "help", id: `${form}-help` }, t("staff.patients.help", { blocks: expiry })),
    textField(account, t("staff.patients.account"), t("staff.patients.account.help"), { mono: true }),
    textField(guardian, t("staff.patients.guardian"), t("staff.patients.guardian.help"), { mono: true }),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: `${form}-submit`, disabled: busy() }, t("staff.patients.submit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const g = (a.values[guardian] ?? "").trim();
    const ok = checked<[string, string | undefined]>(form, [
      [account, parseAddress(a.values[account] ?? "", ctx.ss58)],
      [guardian, g === "" ? { ok: true, value: undefined } : parseAddress(g, ctx.ss58)],
    ]);
    if (!ok) return afterInvalid(ctx, form);
    const [patient, guard] = ok;
    const before = a.registered;
    a.registered = [{ account: patient, state: "pending" as const }, ...before.filter((r) => r.account !== patient)];
    void transact(ctx, "hospital-patients", { key: "staff.what.register", params: { account: shortAddress(patient) } }, "registrations", () =>
      ctx.chain.api.tx.Institutions.register_patient({ patient, guardian: guard }),
      [account, guardian],
    ).then((last) => {
      if (last?.stage === "failed" || last === null) {
        a.registered = before;
        ctx.rerender();
      }
    });
  });
  const made = a.registered.filter((r) => r.expiresAt !== undefined || r.state !== "pending");
  return h(
    "section",
    { class: "card", id: "hospital-patients", "aria-labelledby": "hospital-patients-title" },
    h("h3", { id: "hospital-patients-title" }, t("staff.patients.title")),
    el,
    made.length
      ? [
          h("h4", {}, t("staff.patients.made")),
          h(
            "ul",
            { class: "items" },
            made.map((r) =>
              h(
                "li",
                { class: `item tone-${r.state === "confirmed" ? "ok" : r.state === "pending" ? "warn" : "bad"}`, "data-account": r.account, "data-state": r.state },
                h("p", { class: "item-title" }, h("code", { class: "hash" }, r.account)),
                h(
                  "p",
                  {},
                  r.state === "pending"
                    ? t("staff.patients.pending", { block: r.expiresAt ?? "", time: when(r.expiresAt ?? 0) })
                    : t(r.state === "confirmed" ? "staff.patients.confirmed" : "staff.patients.gone"),
                ),
              ),
            ),
          ),
        ]
      : null,
    progressRegion("hospital-patients"),
  );
}

export type { Message };
